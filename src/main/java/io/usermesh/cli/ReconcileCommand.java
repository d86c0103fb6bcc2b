package io.usermesh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.pipeline.PipelineEntry;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.reconcile.Applier;
import io.usermesh.reconcile.Bookkeeping;
import io.usermesh.reconcile.ReconcileException;
import io.usermesh.reconcile.ReconcilePlan;
import io.usermesh.reconcile.Reconciler;
import io.usermesh.runtime.DeliveryRuntime;
import io.usermesh.storage.Database;
import io.usermesh.wordpress.WordPressClients;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.api.FlywayException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(name = "reconcile", description = "Full reconciliation: list every user of the linked sites and make each "
        + "target match its sources as far as the links allow. Exit 0 when every change was applied.")
final class ReconcileCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--dry-run", description = "Print the planned creates, updates and deletes per target; change nothing.")
    boolean dryRun;

    @Option(names = "--site", paramLabel = "ID", description = "Reconcile only this site with the sites linked to it.")
    String siteId;

    @Option(names = "--json", description = "Print the plan (and the outcome) as JSON.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for the changes to be delivered, e.g. 90s or 10m (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return run("reconcile", null, null);
    }

    /**
     * Plans, and unless {@link #dryRun} delivers and waits; {@code sync} runs the same with a
     * narrower scope.
     *
     * @param toSite null for every site linked to {@link #siteId}, else only that one
     * @param userKey null for every user, else only the users with this email or login
     */
    int run(String command, String toSite, String userKey) throws Exception {
        UsermeshConfig config = options.load();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String id : java.util.Arrays.asList(siteId, toSite)) {
            if (id == null) {
                continue;
            }
            Site site = ConfigOptions.site(config, id, spec);
            if (!site.isActive()) {
                err.println(command + ": site " + id + " is paused; resume it to " + command + " it");
                return UsermeshCli.USAGE;
            }
        }
        Logging.quiet();
        Clock clock = Clock.systemUTC();
        try (Database database = Database.open(config.settings())) {
            if (!dryRun) {
                try {
                    database.migrate();
                } catch (FlywayException e) {
                    err.println(command + ": cannot prepare the database " + database.describe() + ": " + e.getMessage());
                    return UsermeshCli.FAILED;
                }
            }
            ReconcilePlan plan;
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.start();
                WordPressClients clients = new WordPressClients(camel, config.settings(), config::sites);
                SitesConfig sites = SitePauses.effective(config.sites(), database.dataSource(), clock);
                plan = new Reconciler(sites, clients, Bookkeeping.stored(database.dataSource()),
                        Reconciler.gate(sites, database.dataSource(), clock), clock).plan(siteId, toSite, userKey);
            } catch (ReconcileException e) {
                err.println(command + ": " + e.getMessage());
                return UsermeshCli.FAILED;
            }
            if (dryRun || plan.changes().isEmpty()) {
                print(plan, null, out);
                return UsermeshCli.OK;
            }
            if (!json) {
                plan.print(out, false);
            }
            Applier.Outcome outcome;
            try (DeliveryRuntime runtime = DeliveryRuntime.start(config, database.dataSource(),
                    options.routesDirOrNull())) {
                Applier applier = new Applier(database.dataSource(), runtime.bean("pipelineEntry", PipelineEntry.class),
                        new SnapshotStore(database.dataSource()), clock);
                applier.queue(plan);
                outcome = applier.await(plan, timeout, Duration.ofSeconds(2));
            }
            if (json) {
                print(plan, outcome, out);
            } else {
                outcome.print(out);
            }
            return outcome.ok() ? UsermeshCli.OK : UsermeshCli.FAILED;
        }
    }

    private void print(ReconcilePlan plan, Applier.Outcome outcome, PrintWriter out) throws Exception {
        if (!json) {
            plan.print(out, dryRun);
            return;
        }
        ObjectNode root = plan.toJson(dryRun);
        if (outcome != null) {
            ObjectNode result = root.putObject("result");
            result.put("planned", outcome.planned());
            result.put("applied", outcome.applied());
            result.put("failed", outcome.failed());
            result.put("notApplied", outcome.notApplied());
            result.put("waiting", outcome.waiting());
            result.put("onwardFailed", outcome.onwardFailed());
            outcome.problems().forEach(result.putArray("problems")::add);
        }
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        out.flush();
    }

    /** 90s, 10m, 1h, 500ms or ISO-8601 (PT10M). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Matcher m = SIMPLE.matcher(v);
            try {
                Duration d = m.matches() ? switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(Long.parseLong(m.group(1)));
                    case "s" -> Duration.ofSeconds(Long.parseLong(m.group(1)));
                    case "m" -> Duration.ofMinutes(Long.parseLong(m.group(1)));
                    default -> Duration.ofHours(Long.parseLong(m.group(1)));
                } : Duration.parse(value.trim());
                if (d.isNegative() || d.isZero()) {
                    throw new TypeConversionException("must be greater than zero");
                }
                return d;
            } catch (RuntimeException e) {
                throw new TypeConversionException("bad duration '" + value + "': use e.g. 90s, 10m or 1h");
            }
        }
    }
}
