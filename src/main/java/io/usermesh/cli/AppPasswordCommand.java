package io.usermesh.cli;

import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.wordpress.AppPasswordIssuer;
import io.usermesh.wordpress.AppPasswordIssuer.IssueException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "app-password", description = "Log in to a site once with a user's password (read from stdin or a "
        + "prompt, never stored) and create an application password for usermesh; print it or write it to --out.")
final class AppPasswordCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--site", paramLabel = "ID", required = true, description = "The site in sites.yaml.")
    String siteId;

    @Option(names = "--username", paramLabel = "LOGIN", required = true,
            description = "The WordPress login that will own the application password.")
    String username;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the application password to FILE (mode 600) instead of printing it.")
    Path out;

    @Option(names = "--name", defaultValue = "usermesh",
            description = "The application password's name on the site (default ${DEFAULT-VALUE}).")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
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

    private Secret readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("WordPress password of %s on %s: ", username, siteId);
            return Secret.of(typed == null ? null : new String(typed));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return Secret.of(in.readLine());
    }

    /** Created with mode 600 from the start, so the password is never readable by others. */
    private static void write(Path file, Secret password) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, password.reveal(), StandardOpenOption.TRUNCATE_EXISTING);
    }
}
