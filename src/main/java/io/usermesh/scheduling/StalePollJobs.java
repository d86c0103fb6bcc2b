package io.usermesh.scheduling;

import java.util.HashSet;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzConstants;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.component.quartz.QuartzHelper;
import org.apache.camel.component.quartz.SchedulerInitTask;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the poll jobs stored in the database in line with this runner's routes, once, when the scheduler
 * starts (after the routes have stored or found their jobs).
 *
 * <p>With a clustered job store camel-quartz never deletes a job when its route stops (deleteJob is skipped
 * on purpose: the other runners still need it). So the job of a site that was removed from sites.yaml or
 * paused would stay in the database and keep firing, on whichever runner picks it up, into a route that no
 * longer exists. The starting runner knows the new configuration, so it deletes every job of the poll group
 * that none of its routes uses. That assumes every runner of a cluster reads the same sites.yaml: a runner
 * started with an older file deletes the jobs of sites it does not know (a runner with the newer file puts
 * them back when it starts).
 */
final class StalePollJobs implements SchedulerInitTask {

    private static final Logger LOG = LoggerFactory.getLogger(StalePollJobs.class);

    private final CamelContext camel;

    StalePollJobs(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public void initializeTask(Scheduler scheduler) throws Exception {
        Set<JobKey> used = jobsOfRoutes();
        // the name camel-quartz registered the context under in the scheduler, known once it has started
        String camelContextName = QuartzHelper.getQuartzContextName(camel);
        for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(Scheduling.POLL_GROUP))) {
            if (!used.contains(key)) {
                LOG.info("removing stored poll job '{}': no active site of sites.yaml polls through it", key);
                scheduler.deleteJob(key);
            } else {
                adoptJob(scheduler, key, camelContextName);
            }
        }
    }

    /** camel-quartz names a route's job after its trigger. */
    private Set<JobKey> jobsOfRoutes() {
        Set<JobKey> keys = new HashSet<>();
        for (Route route : camel.getRoutes()) {
            Endpoint endpoint = route.getEndpoint();
            if (endpoint instanceof DelegateEndpoint delegate) {
                endpoint = delegate.getEndpoint();
            }
            if (endpoint instanceof QuartzEndpoint quartz && quartz.getTriggerKey() != null) {
                keys.add(new JobKey(quartz.getTriggerKey().getName(), quartz.getTriggerKey().getGroup()));
            }
        }
        return keys;
    }

    /**
     * camel-quartz writes the CamelContext name into a job only when it first stores it, and a firing looks
     * the context up by that name. A job stored under another name (camel.main.name changed) would fail
     * every firing with "No CamelContext could be found", so it is rewritten to ours; its triggers stay.
     */
    private static void adoptJob(Scheduler scheduler, JobKey key, String camelContextName) throws Exception {
        JobDetail job = scheduler.getJobDetail(key);
        if (job == null) {
            return;
        }
        String stored = job.getJobDataMap().getString(QuartzConstants.QUARTZ_CAMEL_CONTEXT_NAME);
        if (!camelContextName.equals(stored)) {
            LOG.info("poll job '{}' was stored by CamelContext '{}'; taking it over as '{}'", key, stored,
                    camelContextName);
            JobDetail adopted = job.getJobBuilder()
                    .usingJobData(QuartzConstants.QUARTZ_CAMEL_CONTEXT_NAME, camelContextName)
                    .build();
            scheduler.addJob(adopted, true, true);
        }
    }
}
