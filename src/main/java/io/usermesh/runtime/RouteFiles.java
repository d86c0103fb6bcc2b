package io.usermesh.runtime;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up checks of the route files an integrator edits: the extension point custom-rules must be
 * there, and a route that cannot start is reported with the file it came from (Camel names the
 * route, not the file).
 */
final class RouteFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);

    private RouteFiles() {
    }

    /** change-pipeline sends every (change, target) to direct:custom-rules: without it nothing is queued. */
    static void requireCustomRules(CamelContext camel) {
        RouteDefinition route = camel.getCamelContextExtension().getContextPlugin(ModelCamelContext.class)
                .getRouteDefinition("custom-rules");
        if (route == null || !"direct:custom-rules".equals(route.getInput().getEndpointUri())) {
            throw new IllegalStateException("routes/custom-rules.camel.yaml: route custom-rules (from: "
                    + "direct:custom-rules) is missing; change-pipeline calls it for every change and target");
        }
    }

    /** Logs which file a route that could not be created came from; a no-op for any other failure. */
    static void reportFailure(CamelContext camel, Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof FailedToCreateRouteException)) {
            cause = cause.getCause();
        }
        if (cause instanceof FailedToCreateRouteException e && camel != null) {
            RouteDefinition route = camel.getCamelContextExtension().getContextPlugin(ModelCamelContext.class)
                    .getRouteDefinition(e.getRouteId());
            String file = route == null || route.getResource() == null ? "unknown file"
                    : route.getResource().getLocation();
            LOG.error("route {} in {} cannot start: {}", e.getRouteId(), file,
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }
}
