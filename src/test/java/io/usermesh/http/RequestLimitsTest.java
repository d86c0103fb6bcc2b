package io.usermesh.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The limits in front of the business server, on a real Vert.x server with stand-in routes. */
class RequestLimitsTest {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Vertx vertx;
    HttpServer server;
    RequestLimits limits;
    int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        limits = new RequestLimits(new RequestLimits.Limits(2, 1000, 500, 100, Duration.ofMillis(500)));
        limits.install(router, vertx);
        // stand-ins for the routes, behind the body handler Camel puts on each (it resumes the request first),
        // answering with the size of the body they got
        io.vertx.ext.web.handler.BodyHandler camelBody = io.vertx.ext.web.handler.BodyHandler.create();
        router.route().handler(ctx -> {
            ctx.request().resume();
            camelBody.handle(ctx);
        });
        router.post("/hooks/:site").handler(ctx -> ctx.end(String.valueOf(ctx.body().length())));
        router.get("/api/slow").handler(ctx -> vertx.setTimer(800, t -> ctx.end("done")));
        router.route("/*").handler(ctx -> ctx.end("ok"));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBodyWithinItsPathsLimitGoesThrough() throws Exception {
        HttpResponse<String> response = post("/hooks/shop", new byte[1000]);

        assertEquals(200, response.statusCode());
        assertEquals("1000", response.body());
    }

    @Test
    void anHttp2ClientGetsTheSameAnswers() throws Exception {
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> within = h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/hooks/shop")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> over = h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/sites")).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[501])).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = h2c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals("1000", within.body());
        assertEquals(413, over.statusCode());
        assertEquals(200, page.statusCode());
        assertEquals(0, limits.inFlight());
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsReadAndTheConnectionCloses() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /hooks/shop HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n"
                    + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(socket.getInputStream());

            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("request body too large"), answer);
        }
    }

    @Test
    void aChunkedBodyIsCountedWhileItArrives() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /api/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                for (int i = 0; i < 20; i++) {
                    out.write("64\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.write(new byte[100]);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException closedByServer) {
                // the server may close before the last chunk: that is the point
            }
            String answer = readToEnd(socket.getInputStream());

            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        }
    }

    @Test
    void takesJsonEverywhereAndAFormOnlyAsAPushButNoMultipart() throws Exception {
        assertEquals(415, send("POST", "/hooks/shop", "multipart/form-data; boundary=x", "--x--").statusCode());
        assertEquals(415, send("GET", "/api/sites", "application/x-www-form-urlencoded", "a=b").statusCode());
        assertEquals(415, send("PUT", "/api/users/a/b/flags", "application/x-www-form-urlencoded", "a=b")
                .statusCode());
        assertEquals(200, send("POST", "/hooks/shop", "application/x-www-form-urlencoded", "webhook_id=7")
                .statusCode());
        assertEquals(0, limits.inFlight());
    }

    @Test
    void everyOtherPathTakesOnlyASmallBody() throws Exception {
        assertEquals(413, post("/dashboard/app.js", new byte[101]).statusCode());
        assertEquals(200, post("/dashboard/app.js", new byte[100]).statusCode());
        assertEquals(413, post("/api/sites", new byte[501]).statusCode());
    }

    @Test
    void requestsPastTheCapAreAskedToComeBackAndTheCapFreesUp() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = List.of(slow(), slow(), slow());
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)
                .sorted().toList();

        assertEquals(List.of(200, 200, 503), statuses);
        HttpResponse<String> refused = calls.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
        assertEquals("2", refused.headers().firstValue("Retry-After").orElse(""));
        assertEquals(0, limits.inFlight());
        assertEquals(200, slow().join().statusCode());
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIsRefusedAndItsSlotFreed() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /hooks/shop HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                    + "0123456789").getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(socket.getInputStream());

            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }
        awaitIdle();
    }

    @Test
    void aClientThatHangsUpMidBodyFreesItsSlot() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(("POST /hooks/shop HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n"
                    + "0123456789").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(100);
        }
        awaitIdle();
        assertEquals(200, post("/hooks/shop", new byte[10]).statusCode());
    }

    private void awaitIdle() throws InterruptedException {
        for (int i = 0; i < 50 && limits.inFlight() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, limits.inFlight());
    }

    private CompletableFuture<HttpResponse<String>> slow() {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) != -1;) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.US_ASCII);
    }
}
