package io.usermesh.scheduling;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The shipped poll-site template (routes/poll.camel.yaml of the checkout) and the route configuration it
 * names, loaded through the YAML DSL as the runner loads them; its bean "poller" is the test's
 * {@link FiringRecorder}.
 */
public final class PollTemplate {

    private static final String STATEFUL = "stateful: \"true\"";

    private PollTemplate() {
    }

    /** Loads the template; {@code stateful} false is the control that shows what stateful prevents. */
    public static void load(CamelContext camel, boolean stateful) throws Exception {
        var loader = PluginHelper.getRoutesLoader(camel);
        loader.loadRoutes(ResourceHelper.fromString("poll.camel.yaml", yaml(stateful)));
        loader.loadRoutes(ResourceHelper.fromString("error-handling.camel.yaml",
                Files.readString(Path.of("routes/error-handling.camel.yaml"))));
    }

    public static String yaml(boolean stateful) throws Exception {
        String shipped = Files.readString(Path.of("routes/poll.camel.yaml"));
        if (!shipped.contains(STATEFUL)) {
            throw new IllegalStateException("routes/poll.camel.yaml no longer has " + STATEFUL);
        }
        return stateful ? shipped : shipped.replace(STATEFUL, "stateful: \"false\"");
    }
}
