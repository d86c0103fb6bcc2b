package io.usermesh.cli;

import io.usermesh.config.Site;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.transfer.Exporter;
import io.usermesh.transfer.TransferException;
import io.usermesh.transfer.UserFile;
import io.usermesh.wordpress.WordPressClients;
import io.usermesh.wordpress.WordPressException;
import java.io.IOException;
import java.io.PrintWriter;
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

@Command(name = "export", description = "Write every user of a site (the synced fields, no passwords) to a JSON or "
        + "CSV file, page by page with progress.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--site", paramLabel = "ID", required = true, description = "The site to export.")
    String siteId;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The file to write.")
    Path out;

    @Option(names = "--format", paramLabel = "json|csv",
            description = "json or csv (default: from the file name, else json).")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UsermeshConfig config = options.load();
        Site site = ConfigOptions.site(config, siteId, spec);
        UserFile.Format chosen;
        try {
            chosen = UserFile.Format.of(format, out);
        } catch (TransferException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Logging.quiet();
        PrintWriter err = spec.commandLine().getErr();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            int users = new Exporter(new WordPressClients(camel, config.settings(), config::sites).client(site), err)
                    .export(out, chosen);
            err.println("export: " + users + " user(s) of " + siteId + " written to " + out);
            return UsermeshCli.OK;
        } catch (WordPressException e) {
            err.println("export: " + siteId + ": " + e.error().describe() + "; nothing written");
            return UsermeshCli.FAILED;
        } catch (IOException e) {
            err.println("export: cannot write " + out + ": " + e.getMessage());
            return UsermeshCli.FAILED;
        }
    }
}
