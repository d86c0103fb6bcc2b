package io.usermesh.cli;

import io.usermesh.config.Site;
import io.usermesh.config.UsermeshConfig;
import io.usermesh.wordpress.SiteCheck;
import io.usermesh.wordpress.SiteChecker;
import io.usermesh.wordpress.WordPressClients;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "check", description = "Test each site: reachable, REST API, credentials, capabilities, "
        + "application passwords, companion plugin. Exit 0 only if all pass.")
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--site", paramLabel = "ID", description = "Check only this site.")
    String siteId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        UsermeshConfig config = options.load();
        List<Site> sites = config.sites().sites();
        if (siteId != null) {
            Site site = ConfigOptions.site(config, siteId, spec);
            sites = List.of(site);
        }
        Logging.quiet();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            WordPressClients clients = new WordPressClients(camel, config.settings());
            List<SiteCheck> results = sites.parallelStream()
                    .map(site -> SiteChecker.check(clients.client(site)))
                    .toList();
            PrintWriter out = spec.commandLine().getOut();
            new CheckTable(results).print(out);
            out.flush();
            return results.stream().allMatch(SiteCheck::passed) ? UsermeshCli.OK : UsermeshCli.FAILED;
        }
    }
}
