package io.usermesh.scheduling;

import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The shape of the lead's poll-site template in routes/poll.camel.yaml, loaded through the YAML DSL as the
 * runner loads it, with a recording step instead of the real poll.
 */
public final class PollTemplate {

    private static final String YAML = """
            - routeTemplate:
                id: poll-site
                parameters:
                  - name: siteId
                  - name: pollIntervalMs
                from:
                  uri: "quartz:usermesh-poll/{{siteId}}"
                  parameters:
                    trigger.repeatInterval: "{{pollIntervalMs}}"
                    trigger.repeatCount: "-1"
                    stateful: "STATEFUL"
                  steps:
                    - process:
                        ref: recorder
            """;

    private PollTemplate() {
    }

    /** Loads the template; its step is the bean bound as "recorder". */
    public static void load(CamelContext camel, boolean stateful) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("poll-test.camel.yaml",
                yaml(stateful)));
    }

    public static String yaml(boolean stateful) {
        return YAML.replace("STATEFUL", String.valueOf(stateful));
    }
}
