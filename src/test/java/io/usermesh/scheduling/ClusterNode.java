package io.usermesh.scheduling;

import io.usermesh.config.Secret;
import io.usermesh.config.SitesConfig;
import io.usermesh.storage.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second runner for SchedulingIT, in a JVM of its own: Quartz keeps one scheduler per name in a JVM,
 * so two cluster members need two JVMs. It polls until it reads "stop" (or end of input) on stdin, then
 * stops its context cleanly and exits 0.
 */
public final class ClusterNode implements AutoCloseable {

    private final Process process;
    private final Path log;

    private ClusterNode(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** args: jdbcUrl user password node workMillis checkinMillis intervalMillis siteId... */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        String node = args[3];
        long workMillis = Long.parseLong(args[4]);
        Duration checkin = Duration.ofMillis(Long.parseLong(args[5]));
        Duration interval = Duration.ofMillis(Long.parseLong(args[6]));
        Sites sites = Sites.of();
        for (int i = 7; i < args.length; i++) {
            sites.active(args[i], interval);
        }
        var settings = TestSettings.withDb(url, user, Secret.of(password), Path.of("."));
        try (Database db = Database.open(settings)) {
            QuartzOptions options = QuartzOptions.of(settings).withClusterCheckinInterval(checkin);
            try (PollNode poll = PollNode.start(db.dataSource(), options, sites.config(),
                    new FiringRecorder(node, workMillis, db.dataSource()))) {
                System.out.println("STARTED " + poll.instanceId());
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null && !line.trim().equals("stop")) {
                    // keep polling
                }
            }
        }
        System.out.println("STOPPED");
        System.exit(0);
    }

    public static ClusterNode launch(Path log, String url, String user, String password, String node, long workMillis,
            Duration checkin, Duration interval, SitesConfig sites) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), ClusterNode.class.getName(),
                url, user, password, node, String.valueOf(workMillis), String.valueOf(checkin.toMillis()),
                String.valueOf(interval.toMillis())));
        sites.sites().forEach(s -> command.add(s.id()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ClusterNode(process, log);
    }

    /** Asks for a clean stop and waits for the exit code. */
    public int stop(Duration limit) throws IOException, InterruptedException {
        try (Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            w.write("stop\n");
        }
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node did not stop within " + limit + ":\n" + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
