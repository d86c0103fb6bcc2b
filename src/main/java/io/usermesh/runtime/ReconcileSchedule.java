package io.usermesh.runtime;

import io.usermesh.config.UsermeshSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.model.ModelCamelContext;
import org.quartz.JobKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled full reconciliation: route reconcile-scheduled from the template in
 * routes/reconcile.camel.yaml when usermesh.reconcile.cron is set. When it is not, a job stored by
 * an earlier runner with a cron is removed (a clustered job store keeps jobs when their route goes,
 * and they would go on firing into nothing).
 */
final class ReconcileSchedule {

    static final String TEMPLATE = "reconcile-scheduled";
    /** camel-quartz's key for quartz:usermesh/reconcile. */
    static final JobKey JOB = new JobKey("reconcile", "usermesh");

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileSchedule.class);

    private ReconcileSchedule() {
    }

    /** Call after the routes are loaded and before the context starts, with Quartz configured. */
    static void add(CamelContext camel, UsermeshSettings settings) {
        if (settings.reconcileScheduled()) {
            if (((ModelCamelContext) camel).getRouteTemplateDefinition(TEMPLATE) == null) {
                throw new IllegalStateException("usermesh.reconcile.cron is set but no route template " + TEMPLATE
                        + " was loaded: copy routes/reconcile.camel.yaml into the routes directory");
            }
            TemplatedRouteBuilder.builder(camel, TEMPLATE).routeId(TEMPLATE)
                    .parameter("cron", settings.reconcileCron()).add();
            LOG.info("full reconciliation scheduled: cron '{}'", settings.reconcileCron());
            return;
        }
        camel.getComponent("quartz", QuartzComponent.class).addScheduleInitTask(scheduler -> {
            if (scheduler.checkExists(JOB)) {
                LOG.info("usermesh.reconcile.cron is not set: removing the stored reconciliation job");
                scheduler.deleteJob(JOB);
            }
        });
    }
}
