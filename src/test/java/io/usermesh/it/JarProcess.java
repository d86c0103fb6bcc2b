package io.usermesh.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs target/usermesh.jar as a user would: a separate JVM, its own working directory. */
public final class JarProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path output;

    private JarProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static Path jar() {
        Path jar = TestBed.projectDir().resolve("target/usermesh.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: integration tests run after mvn package");
        }
        return jar;
    }

    public static JarProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-jar",
                jar().toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("usermesh-run", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("USERMESH_"));
        builder.environment().putAll(env);
        return new JarProcess(builder.start(), output);
    }

    /** Runs a one-shot command to its end. */
    public static Result run(Path workDir, Map<String, String> env, Duration limit, String... args)
            throws IOException, InterruptedException {
        return runWithInput(workDir, env, limit, "", args);
    }

    /** Runs a one-shot command to its end with {@code input} on its standard input. */
    public static Result runWithInput(Path workDir, Map<String, String> env, Duration limit, String input,
            String... args) throws IOException, InterruptedException {
        long start = System.nanoTime();
        try (JarProcess p = start(workDir, env, args)) {
            try (var stdin = p.process.getOutputStream()) {
                stdin.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (!p.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("command did not finish within " + limit + ":\n" + p.output());
            }
            return new Result(p.process.exitValue(), p.output(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    public record Result(int exitCode, String output, Duration took) {
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    public Process process() {
        return process;
    }

    /** Polls an HTTP URL until it answers with the wanted status, or the limit passes. */
    public HttpResponse<String> awaitHttp(String url, int status, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("runner exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                last = get(url);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (IOException notYet) {
                // server not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + status + " from " + url + " within " + limit + "; last: "
                + (last == null ? "no answer" : last.statusCode() + " " + last.body()) + "\n" + output());
    }

    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, then the time it took the process to end. */
    public Duration terminate(Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("runner did not stop within " + limit + " of SIGTERM:\n" + output());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
