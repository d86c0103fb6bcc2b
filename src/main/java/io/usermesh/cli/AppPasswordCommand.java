package io.usermesh.cli;

import io.usermesh.config.ConfigLoader;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.wordpress.AppPasswordIssuer;
import io.usermesh.wordpress.AppPasswordIssuer.IssueException;
import io.usermesh.wordpress.AppPasswordRotator;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "app-password", description = "Log in to a site once with a user's password (read from stdin or a "
        + "prompt, never stored) and create an application password for usermesh; print it or write it to --out. "
        + "With --rotate: replace the site's current application password (no login password needed).")
final class AppPasswordCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--site", paramLabel = "ID", required = true, description = "The site in sites.yaml.")
    String siteId;

    @Option(names = "--username", paramLabel = "LOGIN",
            description = "The WordPress login that will own the application password (required unless --rotate,"
                    + " which takes the site's username from sites.yaml).")
    String username;

    @Option(names = "--rotate", description = "Create a new application password with the current one, verify it,"
            + " write it to --out or to the file sites.yaml reads it from (else print it), wait --grace for running"
            + " runners to read it, then revoke the old one by its uuid.")
    boolean rotate;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "15",
            description = "With --rotate: seconds between writing the new password and revoking the old one"
                    + " (default ${DEFAULT-VALUE}; runners read an edited file within a few seconds).")
    int graceSeconds;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the application password to FILE (mode 600) instead of printing it.")
    Path out;

    @Option(names = "--name", defaultValue = "usermesh",
            description = "The application password's name on the site (default ${DEFAULT-VALUE}).")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (rotate) {
            return rotate();
        }
        if (username == null) {
            throw new ParameterException(spec.commandLine(), "--username is required (or --rotate)");
        }
        UsermeshConfig config = options.loadWithoutPasswords(); // the password it makes may be what is missing
        Site site = ConfigOptions.site(config, siteId, spec);
        PrintWriter err = spec.commandLine().getErr();
        Secret password = readPassword();
        if (password.isEmpty()) {
            err.println("app-password: no password given on stdin or at the prompt");
            return UsermeshCli.USAGE;
        }
        AppPasswordIssuer.Issued issued;
        try {
            issued = new AppPasswordIssuer(site.url(), config.settings().wpConnectTimeout(),
                    config.settings().wpResponseTimeout()).issue(username, password, name);
        } catch (IssueException e) {
            err.println("app-password: " + siteId + ": " + e.getMessage());
            return UsermeshCli.FAILED;
        }
        if (out != null) {
            write(out, issued.password());
            err.println("application password \"" + issued.name() + "\" for " + username + " on " + siteId
                    + " written to " + out + "; in sites.yaml: applicationPassword: ${file:"
                    + out.toAbsolutePath() + "}");
        } else {
            spec.commandLine().getOut().println(issued.password().reveal());
            spec.commandLine().getOut().flush();
            err.println("application password \"" + issued.name() + "\" created for " + username + " on " + siteId
                    + "; WordPress shows it only this once");
        }
        return UsermeshCli.OK;
    }

    private int rotate() throws IOException, InterruptedException {
        UsermeshConfig config = options.load(); // the current password must be there: it authenticates the rotation
        Site site = ConfigOptions.site(config, siteId, spec);
        PrintWriter err = spec.commandLine().getErr();
        Secret current = site.applicationPassword();
        if (current.isEmpty()) {
            err.println("app-password --rotate: " + siteId + " has no applicationPassword in sites.yaml to rotate");
            return UsermeshCli.USAGE;
        }
        String login = username != null ? username : site.username();
        Path target = out != null ? out
                : ConfigLoader.applicationPasswordFile(options.configDir(), options.env(), siteId).orElse(null);
        AppPasswordRotator rotator = new AppPasswordRotator(site.url(), login, config.settings().wpConnectTimeout(),
                config.settings().wpResponseTimeout());
        try {
            AppPasswordRotator.InUse old = rotator.inUse(current);
            AppPasswordIssuer.Issued fresh = rotator.create(current,
                    name + " " + ROTATED.format(Instant.now().atOffset(ZoneOffset.UTC)));
            if (rotator.userId(fresh.password()) != rotator.userId(current)) {
                rotator.revoke(current, fresh.uuid());
                throw new IssueException("the new application password logs in as another user; revoked it");
            }
            err.println("application password \"" + fresh.name() + "\" created for " + login + " on " + siteId
                    + " and verified");
            if (target == null) {
                spec.commandLine().getOut().println(fresh.password().reveal());
                spec.commandLine().getOut().flush();
                err.println("sites.yaml does not read it from a file: put it where applicationPassword comes from,"
                        + " restart the runners, then revoke the old one (\"" + old.name() + "\", uuid " + old.uuid()
                        + ") in the user's profile, Application Passwords");
                return UsermeshCli.OK;
            }
            write(target, fresh.password());
            err.println("written to " + target + "; running runners read it within seconds");
            if (graceSeconds > 0) {
                err.println("revoking the old one in " + graceSeconds + " s");
                err.flush();
                Thread.sleep(graceSeconds * 1000L);
            }
            rotator.revoke(fresh.password(), old.uuid());
            err.println("old application password \"" + old.name() + "\" (uuid " + old.uuid() + ") revoked");
            return UsermeshCli.OK;
        } catch (IssueException e) {
            err.println("app-password --rotate: " + siteId + ": " + e.getMessage());
            return UsermeshCli.FAILED;
        }
    }

    private static final DateTimeFormatter ROTATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Secret readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("WordPress password of %s on %s: ", username, siteId);
            return Secret.of(typed == null ? null : new String(typed));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return Secret.of(in.readLine());
    }

    /**
     * Created with mode 600 from the start, so the password is never readable by others, and moved into
     * place whole: a runner watching the file never reads it half written.
     */
    private static void write(Path file, Secret password) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp;
        try {
            temp = Files.createTempFile(dir, ".app-password", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            temp = Files.createTempFile(dir, ".app-password", ".tmp");
        }
        try {
            Files.writeString(temp, password.reveal(), StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
