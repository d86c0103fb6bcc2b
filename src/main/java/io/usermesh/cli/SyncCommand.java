package io.usermesh.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A reconciliation of one site now, narrowed to one target and one user when asked. */
@Command(name = "sync", description = "Sync a site now with the sites linked to it (or only --to), for every user or "
        + "only --user: the reconciliation of that scope, delivered and awaited. Exit 0 when every change was applied.")
final class SyncCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--site", paramLabel = "ID", required = true, description = "The site to sync.")
    String siteId;

    @Option(names = "--user", paramLabel = "EMAIL_OR_LOGIN", description = "Only the user with this email or login.")
    String user;

    @Option(names = "--to", paramLabel = "ID", description = "Only the link between --site and this site.")
    String to;

    @Option(names = "--dry-run", description = "Print what would change; change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the plan (and the outcome) as JSON.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
            converter = ReconcileCommand.DurationConverter.class,
            description = "How long to wait for the changes to be delivered (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (siteId.equals(to)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--to must name another site than --site");
        }
        ReconcileCommand reconcile = new ReconcileCommand();
        reconcile.options = options;
        reconcile.siteId = siteId;
        reconcile.dryRun = dryRun;
        reconcile.json = json;
        reconcile.timeout = timeout;
        reconcile.spec = spec;
        return reconcile.run("sync", to, user);
    }
}
