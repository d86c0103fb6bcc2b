package io.usermesh.wordpress;

import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import java.util.function.Function;
import java.util.function.Supplier;

/** One client per site, all sharing the http component's connection pool and timeouts. */
public final class WordPressClients {

    private final ProducerTemplate template;
    private final Map<String, WordPressClient> clients = new ConcurrentHashMap<>();

    private final Function<String, List<String>> metaKeys;

    /** Clients that ask no meta of the companion plugin (checks and tools that sync nothing). */
    public WordPressClients(CamelContext context, UsermeshSettings settings) {
        this(context, settings, site -> List.of());
    }

    /** Clients that read every user with the meta keys the site's links sync. */
    public WordPressClients(CamelContext context, UsermeshSettings settings, Supplier<SitesConfig> sites) {
        this(context, settings, siteId -> sites.get().metaKeysOf(siteId));
    }

    private WordPressClients(CamelContext context, UsermeshSettings settings, Function<String, List<String>> metaKeys) {
        configure(context.getComponent("http", HttpComponent.class), settings);
        this.template = context.createProducerTemplate();
        this.metaKeys = metaKeys;
    }

    static void configure(HttpComponent http, UsermeshSettings settings) {
        long connect = settings.wpConnectTimeout().toMillis();
        long response = settings.wpResponseTimeout().toMillis();
        http.setConnectTimeout(connect);
        http.setConnectionRequestTimeout(response);
        http.setSoTimeout(response);
        http.setResponseTimeout(response);
        http.setMaxTotalConnections(settings.wpMaxConnections());
        http.setConnectionsPerRoute(settings.wpMaxConnectionsPerSite());
        http.setUserAgent("usermesh");
        http.setHeaderFilterStrategy(new WordPressHeaders());
    }

    /**
     * Drops every client made so far: after a reload, a site's next request gets a client with the URL,
     * credentials and meta keys sites.yaml gives it now. Requests under way finish with the old one.
     */
    public void forgetAll() {
        clients.clear();
    }

    public WordPressClient client(Site site) {
        return clients.computeIfAbsent(site.id(), id -> new WordPressClient(site, metaKeys.apply(id), template));
    }
}
