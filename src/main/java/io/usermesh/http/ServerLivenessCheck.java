package io.usermesh.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN when the business server (webhooks, admin API, dashboard) does not answer a request of its
 * own within the timeout: a runner that cannot serve is reported, so the container's health check
 * restarts it. Any answer counts, a 503 of the request limits too: the server is serving then.
 */
public final class ServerLivenessCheck extends AbstractHealthCheck {

    private final URI probe;
    private final Duration timeout;
    private final HttpClient client;

    /** @param probe a cheap GET on the business server (the dashboard page) */
    public ServerLivenessCheck(URI probe, Duration timeout) {
        super("usermesh", "business-server");
        this.probe = probe;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The probe URI for a server bound to {@code host}: a wildcard address is probed on loopback. */
    public static URI probeUri(String host, int port) {
        String target = switch (host) {
            case "0.0.0.0", "" -> "127.0.0.1";
            case "::", "[::]", "::0" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
        return URI.create("http://" + target + ":" + port + "/");
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        HttpRequest request = HttpRequest.newBuilder(probe).timeout(timeout).GET().build();
        try {
            client.send(request, HttpResponse.BodyHandlers.discarding());
            builder.up();
        } catch (IOException e) {
            builder.message("the business server did not answer within " + timeout.toMillis() + " ms").down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("interrupted").down();
        }
    }
}
