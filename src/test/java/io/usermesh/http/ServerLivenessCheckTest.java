package io.usermesh.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** UP while the business server answers, DOWN when it takes connections but never answers. */
class ServerLivenessCheckTest {

    @Test
    void upWhileTheServerAnswersEvenWithAnError() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            // a timeout far above an answer's time: the first request of a JVM (the HTTP client's start)
            // took over 500 ms on a loaded 2-core CI machine and read as DOWN
            assertEquals(HealthCheck.State.UP, call(ServerLivenessCheck.probeUri("127.0.0.1",
                    server.getAddress().getPort()), Duration.ofSeconds(10)));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void downWhenTheServerIsStuck() throws Exception {
        try (ServerSocket stuck = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket held = stuck.accept()) {
                    Thread.sleep(5_000);
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            assertEquals(HealthCheck.State.DOWN, call(ServerLivenessCheck.probeUri("127.0.0.1", stuck.getLocalPort()),
                    Duration.ofMillis(500)));
        }
    }

    @Test
    void probesAWildcardBindOnLoopback() {
        assertEquals(URI.create("http://127.0.0.1:8280/"), ServerLivenessCheck.probeUri("0.0.0.0", 8280));
        assertEquals(URI.create("http://[::1]:8280/"), ServerLivenessCheck.probeUri("::", 8280));
        assertEquals(URI.create("http://10.0.0.5:8280/"), ServerLivenessCheck.probeUri("10.0.0.5", 8280));
    }

    private static HealthCheck.State call(URI probe, Duration timeout) {
        ServerLivenessCheck check = new ServerLivenessCheck(probe, timeout);
        check.setCamelContext(new DefaultCamelContext());
        return check.call(Map.of()).getState();
    }
}
