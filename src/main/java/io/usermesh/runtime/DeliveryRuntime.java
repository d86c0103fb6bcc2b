package io.usermesh.runtime;

import io.usermesh.config.UsermeshConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;

/**
 * The delivery half of a runner for one-shot commands that queue changes and wait for them
 * (reconcile): the same beans and the same route files as {@code run}, of which the change
 * pipeline, the outbox dispatcher, the per-target delivery routes and the audit writer start. No
 * polling, no scheduler, no HTTP server. Works with or without a runner on the same database: outbox rows are claimed, so
 * each is delivered once, by whichever takes it first.
 */
public final class DeliveryRuntime implements AutoCloseable {

    /**
     * The routes left out, by id (Camel's pattern syntax): those that receive requests, poll or run
     * on a schedule. Everything else starts, routes an integrator added for custom-rules included.
     */
    static final String NOT_STARTED = "api-*,dashboard*,hook-*,site-health,audit-purge,poll-*,reconcile-*,sites-watch,alerts";

    private final CamelContext camel;

    private DeliveryRuntime(CamelContext camel) {
        this.camel = camel;
    }

    /**
     * @param routesDir the routes directory, or null for the routes packaged in the jar
     */
    public static DeliveryRuntime start(UsermeshConfig config, DataSource dataSource, Path routesDir)
            throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            camel.getCamelContextExtension().setName("usermesh-delivery");
            camel.setRouteFilterPattern(null, NOT_STARTED);
            camel.getShutdownStrategy().setTimeout(Math.max(1, config.settings().shutdownTimeout().toSeconds()));
            camel.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
            camel.getRegistry().bind("dataSource", dataSource);
            SyncBeans.bind(camel, config, dataSource);
            String pattern = routesDir == null ? "classpath:routes/*.camel.yaml"
                    : "file:" + routesDir.toAbsolutePath().normalize() + "/*.camel.yaml";
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    PluginHelper.getPackageScanResourceResolver(camel).findResources(pattern));
            SiteRoutes.addDeliveryRoutes(camel, config.sites(), config.settings().sync().maxConcurrency());
            camel.start();
            return new DeliveryRuntime(camel);
        } catch (Exception | Error e) {
            camel.close();
            throw e;
        }
    }

    /** A bean the runner binds (outbox, userFlags, …). */
    public <T> T bean(String name, Class<T> type) {
        T bean = camel.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("no bean " + name);
        }
        return bean;
    }

    public CamelContext camel() {
        return camel;
    }

    /** Stops the routes; deliveries in flight get the runner's shutdown timeout to finish. */
    @Override
    public void close() throws Exception {
        camel.close();
    }
}
