package io.usermesh.wordpress;

import io.usermesh.config.Site;
import io.usermesh.config.UsermeshSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;

/** One client per site, all sharing the http component's connection pool and timeouts. */
public final class WordPressClients {

    private final ProducerTemplate template;
    private final Map<String, WordPressClient> clients = new ConcurrentHashMap<>();

    public WordPressClients(CamelContext context, UsermeshSettings settings) {
        configure(context.getComponent("http", HttpComponent.class), settings);
        this.template = context.createProducerTemplate();
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
    }

    public WordPressClient client(Site site) {
        return clients.computeIfAbsent(site.id(), id -> new WordPressClient(site, template));
    }
}
