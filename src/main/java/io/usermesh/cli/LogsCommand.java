package io.usermesh.cli;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditFilter;
import io.usermesh.audit.AuditQuery;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.model.Json;
import io.usermesh.storage.Database;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "logs", description = "Show the audit trail (sync_log), newest first.")
final class LogsCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--site", paramLabel = "ID", description = "Rows with this site as source or target.")
    String site;

    @Option(names = "--status", paramLabel = "S", description = "success, skipped, failed, conflict or dead.")
    String status;

    @Option(names = "--since", paramLabel = "ISO",
            description = "Rows logged at or after this time: 2026-01-31T12:00:00Z, an offset time, or a date (UTC).")
    String since;

    @Option(names = "--until", paramLabel = "ISO", description = "Rows logged before this time (same forms).")
    String until;

    @Option(names = "--user", paramLabel = "X", description = "The exact user key (email or login).")
    String user;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "At most this many rows (default 100, at most " + AuditFilter.MAX_LIMIT + ").")
    int limit;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        AuditFilter filter = filter();
        UsermeshConfig config = options.load();
        if (site != null && config.sites().site(site).isEmpty()) {
            // rows of a site removed from sites.yaml are still worth reading, so this is only a note
            spec.commandLine().getErr().println("note: site '" + site + "' is not in sites.yaml");
        }
        Logging.quiet();
        PrintWriter out = spec.commandLine().getOut();
        try (Database db = Database.open(config.settings())) {
            db.migrate();
            AuditQuery query = new AuditQuery(db.dataSource());
            List<AuditEntry> rows = query.find(filter);
            if (json) {
                rows.forEach(row -> out.println(Json.write(row)));
            } else {
                print(rows, query.count(filter), out);
            }
            out.flush();
            return UsermeshCli.OK;
        }
    }

    private AuditFilter filter() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        AuditStatus wanted = null;
        if (status != null) {
            try {
                wanted = AuditStatus.parse(status);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--status: " + e.getMessage());
            }
        }
        return new AuditFilter(site, wanted, user, instant("--since", since), instant("--until", until), limit);
    }

    private Instant instant(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + " must be an ISO-8601 time such as"
                    + " 2026-01-31T12:00:00Z or a date such as 2026-01-31, got '" + value + "'");
        }
    }

    private static void print(List<AuditEntry> rows, long matching, PrintWriter out) {
        String format = "%-24s %-10s %-10s %-32s %-8s %-8s %4s %6s %-9s %s%n";
        out.printf(format, "TIME", "SOURCE", "TARGET", "USER", "ACTION", "STATUS", "HTTP", "MS", "ORIGIN",
                "MESSAGE");
        for (AuditEntry e : rows) {
            out.printf(format, e.loggedAt(), e.sourceSite(), orDash(e.targetSite()), e.userKey(), e.action(),
                    e.status().dbValue(), orDash(e.httpStatus()), orDash(e.durationMs()),
                    e.origin().dbValue(), orDash(e.message()));
        }
        out.println(rows.size() + " of " + matching + " matching row(s)");
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
