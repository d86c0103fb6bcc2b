package io.usermesh.runtime;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;

/** Makes the per-site routes from the templates in routes/delivery.camel.yaml. */
public final class SiteRoutes {

    private SiteRoutes() {
    }

    public static void addDeliveryRoutes(CamelContext camel, SitesConfig sites, int concurrency) {
        for (Site site : sites.sites()) {
            addDeliveryRoute(camel, site, concurrency);
        }
    }

    /** On a started context the route starts at once. */
    public static void addDeliveryRoute(CamelContext camel, Site site, int concurrency) {
        TemplatedRouteBuilder.builder(camel, "deliver-to-site")
                .routeId(deliveryRouteId(site.id()))
                .parameter("siteId", site.id())
                .parameter("siteUrl", site.url())
                .parameter("concurrency", String.valueOf(concurrency))
                .add();
    }

    public static String deliveryRouteId(String siteId) {
        return "deliver-" + siteId;
    }
}
