package io.usermesh.cli;

import io.usermesh.config.Site;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.transfer.Importer;
import io.usermesh.transfer.TransferException;
import io.usermesh.transfer.UserFile;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "import", description = "Create and/or update the users of a JSON or CSV file (as export writes it) "
        + "on one site. The whole file is checked first: a bad file changes nothing. Exit 1 when a user failed.")
final class ImportCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--site", paramLabel = "ID", required = true, description = "The site to import into.")
    String siteId;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "The file to read.")
    Path file;

    @Option(names = "--mode", paramLabel = "MODE", required = true,
            description = "add-only (create missing users), update-only (change existing ones) or add-and-update.")
    String mode;

    @Option(names = "--format", paramLabel = "json|csv",
            description = "json or csv (default: from the file name, else json).")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UsermeshConfig config = options.load();
        Site site = ConfigOptions.site(config, siteId, spec);
        Importer.Mode chosenMode;
        UserFile.Format chosenFormat;
        try {
            chosenMode = Importer.Mode.of(mode);
            chosenFormat = UserFile.Format.of(format, file);
        } catch (TransferException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isReadable(file)) {
            err.println("import: cannot read " + file);
            return UsermeshCli.USAGE;
        }
        if (!site.isActive()) {
            err.println("import: site " + siteId + " is paused; resume it to import into it");
            return UsermeshCli.USAGE;
        }
        Logging.quiet();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            Importer.Result result = new Importer(new WordPressClients(camel, config.settings(), config::sites).client(site), err)
                    .run(file, chosenFormat, chosenMode);
            result.problems().forEach(out::println);
            if (result.stopped() != null) {
                out.println("import: " + result.stopped());
            }
            out.printf("import: %d user(s) in %s: %d created, %d updated, %d unchanged, %d skipped (%s), %d failed%n",
                    result.records(), file, result.created(), result.updated(), result.unchanged(), result.skipped(),
                    mode, result.failed());
            out.flush();
            return result.ok() ? UsermeshCli.OK : UsermeshCli.FAILED;
        } catch (TransferException e) {
            err.println("import: " + e.getMessage() + "; nothing was written");
            return UsermeshCli.USAGE;
        } catch (WordPressException e) {
            err.println("import: " + siteId + ": " + e.error().describe() + "; nothing was written");
            return UsermeshCli.FAILED;
        }
    }
}
