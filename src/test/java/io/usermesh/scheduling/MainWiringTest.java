package io.usermesh.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.usermesh.config.Secret;
import io.usermesh.config.SitesConfig;
import io.usermesh.config.UsermeshSettings;
import io.usermesh.storage.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hooks the Runner uses: quartz in beforeConfigure, poll routes in afterConfigure, YAML routes from a dir. */
class MainWiringTest {

    @TempDir
    Path dir;

    @Test
    void camelMainLoadsTheTemplateAndThePollRoutesFire() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("poll.camel.yaml"), PollTemplate.yaml(true));
        Files.copy(Path.of("routes/error-handling.camel.yaml"), routes.resolve("error-handling.camel.yaml"));
        UsermeshSettings settings = TestSettings.withDb("", "", Secret.EMPTY, dir.resolve("data"));
        SitesConfig sites = Sites.of().active("shop", Duration.ofSeconds(1)).paused("blog", Duration.ofSeconds(1))
                .config();
        FiringRecorder recorder = new FiringRecorder("main", 0, null);

        try (Database db = Database.open(settings)) {
            db.migrate();
            Main main = new Main();
            Properties p = new Properties();
            p.setProperty("camel.main.name", "usermesh");
            p.setProperty("camel.main.routesIncludePattern", "file:" + routes + "/*.camel.yaml");
            main.setInitialProperties(p);
            main.bind("dataSource", db.dataSource());
            main.bind("poller", recorder);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void beforeConfigure(BaseMainSupport support) {
                    Scheduling.configureQuartz(support.getCamelContext(), db.dataSource(), settings);
                }

                @Override
                public void afterConfigure(BaseMainSupport support) {
                    Scheduling.addPollRoutes(support.getCamelContext(), sites);
                }
            });
            main.start();
            try {
                SchedulingTest.awaitTrue(() -> recorder.count("shop") >= 2, Duration.ofSeconds(10), "shop fires");
                var camel = main.getCamelContext();
                assertNotNull(camel.getRoute("poll-shop"));
                assertEquals(1, camel.getRoutes().size(), "only the active site's route");
                assertEquals("usermesh", camel.getComponent("quartz", QuartzComponent.class).getScheduler()
                        .getSchedulerName());
            } finally {
                main.stop();
            }
        }
    }
}
