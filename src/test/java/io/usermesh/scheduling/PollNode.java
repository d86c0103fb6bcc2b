package io.usermesh.scheduling;

import io.usermesh.config.SitesConfig;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/** One runner as far as scheduling goes: a CamelContext with the poll routes on the clustered job store. */
public final class PollNode implements AutoCloseable {

    private final CamelContext camel;

    private PollNode(CamelContext camel) {
        this.camel = camel;
    }

    public static PollNode start(DataSource dataSource, QuartzOptions options, SitesConfig sites,
            FiringRecorder recorder) throws Exception {
        return start("usermesh", dataSource, options, sites, recorder, true, 30);
    }

    /** Wires the context the way the Runner does: quartz before the routes load, poll routes after. */
    public static PollNode start(String contextName, DataSource dataSource, QuartzOptions options, SitesConfig sites,
            FiringRecorder recorder, boolean stateful, int shutdownTimeoutSeconds) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName(contextName);
        camel.getShutdownStrategy().setTimeout(shutdownTimeoutSeconds);
        camel.getRegistry().bind("poller", recorder);
        Scheduling.configureQuartz(camel, dataSource, options);
        PollTemplate.load(camel, stateful);
        Scheduling.addPollRoutes(camel, sites);
        recorder.instanceIdFrom(() -> {
            try {
                return camel.getComponent("quartz", QuartzComponent.class).getScheduler().getSchedulerInstanceId();
            } catch (SchedulerException e) {
                throw new IllegalStateException(e);
            }
        });
        camel.start();
        return new PollNode(camel);
    }

    public CamelContext camel() {
        return camel;
    }

    public Scheduler scheduler() {
        return camel.getComponent("quartz", QuartzComponent.class).getScheduler();
    }

    public String instanceId() throws SchedulerException {
        return scheduler().getSchedulerInstanceId();
    }

    @Override
    public void close() {
        camel.stop();
    }
}
