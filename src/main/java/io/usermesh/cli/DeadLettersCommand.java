package io.usermesh.cli;

import io.usermesh.config.UsermeshConfig;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.DeadLetters.DeadLetter;
import io.usermesh.delivery.AppliedChanges;
import io.usermesh.delivery.Outbox;
import io.usermesh.storage.Database;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dead-letters", description = "List the changes that failed for good, or replay one "
        + "(it goes through the normal delivery path of a running runner).")
final class DeadLettersCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--replay", paramLabel = "ID", description = "Queue this dead letter for delivery again.")
    Long replay;

    @Option(names = "--all", description = "Also list dead letters already replayed.")
    boolean all;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many rows (default 100).")
    int limit;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UsermeshConfig config = options.load();
        Logging.quiet();
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = Database.open(config.settings())) {
            db.migrate();
            Clock clock = Clock.systemUTC();
            DeadLetters deadLetters = new DeadLetters(db.dataSource(), clock);
            if (replay != null) {
                return replay(config, db, deadLetters, clock, out);
            }
            List<DeadLetter> rows = deadLetters.list(all ? null : "dead", limit);
            if (json) {
                rows.forEach(row -> out.println(io.usermesh.model.Json.write(row)));
            } else {
                out.println(String.format("%-6s %-24s %-10s %-10s %-32s %-7s %-8s %s", "ID", "CREATED", "SOURCE",
                        "TARGET", "USER", "ACTION", "ATTEMPTS", "ERROR"));
                for (DeadLetter d : rows) {
                    out.println(String.format("%-6d %-24s %-10s %-10s %-32s %-7s %-8d %s", d.id(), d.createdAt(),
                            d.sourceSite(), d.targetSite(), d.userKey(), d.action(), d.attempts(),
                            d.status().equals("dead") ? d.error() : "(replayed " + d.replayedAt() + ") " + d.error()));
                }
                out.println(rows.size() + " dead letter(s)");
            }
            out.flush();
            return UsermeshCli.OK;
        }
    }

    private int replay(UsermeshConfig config, Database db, DeadLetters deadLetters, Clock clock, PrintWriter out)
            throws Exception {
        Outbox outbox = new Outbox(db.dataSource(), clock);
        JdbcMessageIdRepository applied = AppliedChanges.repository(db.dataSource());
        applied.start();
        try {
            Optional<Long> queued = deadLetters.replay(replay, outbox, applied);
            if (queued.isEmpty()) {
                spec.commandLine().getErr().println("no dead letter " + replay + " waiting for replay");
                return UsermeshCli.FAILED;
            }
            out.println("dead letter " + replay + " queued again (outbox row " + queued.get()
                    + "); a running runner delivers it");
            out.flush();
            return UsermeshCli.OK;
        } finally {
            applied.stop();
        }
    }
}
