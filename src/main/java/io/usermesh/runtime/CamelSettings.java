package io.usermesh.runtime;

import io.usermesh.config.UsermeshSettings;
import io.usermesh.http.HttpHeaderPolicy;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.properties.PropertiesComponent;

/** Turns usermesh settings into the Camel Main properties that run the servers and load the routes. */
final class CamelSettings {

    private CamelSettings() {
    }

    static Properties of(UsermeshSettings settings, Path routesDir) {
        Properties p = new Properties();
        p.setProperty("camel.main.name", "usermesh");
        p.setProperty("camel.main.routesIncludePattern", routesDir == null
                ? "classpath:routes/*.camel.yaml"
                : "file:" + routesDir.toAbsolutePath().normalize() + "/*.camel.yaml");
        p.setProperty("camel.main.shutdownTimeout", String.valueOf(Math.max(1, settings.shutdownTimeout().toSeconds())));
        p.setProperty("camel.main.shutdownSuppressLoggingOnTimeout", "false");
        p.setProperty("camel.server.enabled", "true");
        p.setProperty("camel.server.host", settings.http().host());
        p.setProperty("camel.server.port", String.valueOf(settings.http().port()));
        // a backstop only: RequestLimits holds each path to its own, smaller limit
        p.setProperty("camel.server.maxBodySize", String.valueOf(Math.max(settings.http().maxHookBody(),
                settings.http().maxApiBody())));
        p.setProperty("camel.server.fileUploadEnabled", "false");
        // nothing from a request becomes a header, and responses carry only the headers set on purpose
        p.setProperty("camel.component.platform-http.headerFilterStrategy",
                "#class:" + HttpHeaderPolicy.class.getName());
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.host", settings.http().managementHost());
        p.setProperty("camel.management.port", String.valueOf(settings.http().managementPort()));
        p.setProperty("camel.management.healthCheckEnabled", "true");
        p.setProperty("camel.management.metricsEnabled", "true");
        p.setProperty("camel.metrics.enabled", "true");
        // REST calls are sent from beans with a producer template, outside any route: the
        // per-exchange notifier would register the same meter with and without a routeId tag.
        p.setProperty("camel.metrics.enableExchangeEventNotifier", "false");
        p.setProperty("camel.metrics.binders", "jvm-memory,jvm-gc,jvm-thread,processor");
        p.setProperty("camel.health.exposureLevel", "full");
        // Camel's per-route and per-consumer checks would name every site (poll-<site>, deliver-<site>) to
        // anyone on the management port; usermesh's own checks cover what a restart can mend
        p.setProperty("camel.health.routesEnabled", "false");
        p.setProperty("camel.health.consumersEnabled", "false");
        // the usermesh.* keys the routes read as {{placeholders}}, validated with all the others
        p.putAll(settings.routes().placeholders());
        // camel.* keys from application.properties win over these defaults.
        p.putAll(settings.camelProperties());
        return p;
    }

    /**
     * The routes' placeholders resolve to the validated values only: by default Camel lets an
     * environment variable or a -D system property of the same name override them, unchecked.
     * ({@code {{env:NAME}}} and {@code {{sys:name}}} still read them where a route asks for it.)
     */
    static void onlyValidated(CamelContext camel) {
        PropertiesComponent properties = (PropertiesComponent) camel.getPropertiesComponent();
        properties.setEnvironmentVariableMode(PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_NEVER);
        properties.setSystemPropertiesMode(PropertiesComponent.SYSTEM_PROPERTIES_MODE_NEVER);
    }
}
