package io.usermesh.runtime;

import io.usermesh.config.HttpSettings;
import io.usermesh.http.RequestLimits;
import io.usermesh.http.ServerLivenessCheck;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Puts {@link RequestLimits} in front of the business server's router, and the server's liveness
 * check in the health registry, once the server runs and before any route starts: no request
 * reaches a route without the limits.
 */
final class BusinessServerGuard extends EventNotifierSupport {

    /** Largest body anywhere but /hooks and /api: the dashboard takes none. */
    private static final long OTHER_BODY = 4 << 10;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final CamelContext camel;
    private final HttpSettings settings;

    BusinessServerGuard(CamelContext camel, HttpSettings settings) {
        this.camel = camel;
        this.settings = settings;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(camel,
                VertxPlatformHttpRouter.getRouterNameFromPort(settings.port()));
        if (router == null) {
            throw new IllegalStateException("the business HTTP server on port " + settings.port() + " did not start");
        }
        new RequestLimits(new RequestLimits.Limits(settings.maxConcurrentRequests(), settings.maxHookBody(),
                settings.maxApiBody(), OTHER_BODY, settings.bodyTimeout())).install(router, router.vertx());
        int port = router.getServer().getPort();
        HealthCheckRegistry.get(camel).register(new ServerLivenessCheck(
                ServerLivenessCheck.probeUri(settings.host(), port), PROBE_TIMEOUT));
    }
}
