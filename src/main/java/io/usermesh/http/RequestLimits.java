package io.usermesh.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what one client can make the business server hold, before any route code runs: requests
 * under way at once (past the cap: 503 with Retry-After), the size of each body (per path, counted
 * while it is read, and refused on its Content-Length before a byte is read: 413), the time a
 * client may take to send it (408), and the kinds of body read at all (415). Installed at the front
 * of the server's router, so it holds for every route, including routes an integrator adds; a
 * refused body closes the connection, so an oversized upload stops instead of being drained.
 */
public final class RequestLimits {

    /**
     * @param maxConcurrent requests under way at once
     * @param hookBody largest body of POST /hooks/..., bytes
     * @param apiBody largest body of /api/..., bytes
     * @param otherBody largest body anywhere else (the dashboard takes none), bytes
     * @param bodyTimeout how long a client may take to send the body
     */
    public record Limits(int maxConcurrent, long hookBody, long apiBody, long otherBody, Duration bodyTimeout) {
    }

    private static final String TIMER = "usermesh.bodyTimer";
    private static final String BODY_READ = "usermesh.bodyRead";
    // before the routes' own handlers (Vert.x numbers those from 0 in the order they are added)
    private static final int FIRST = -1000;

    private final Limits limits;
    private final AtomicInteger inFlight = new AtomicInteger();

    public RequestLimits(Limits limits) {
        this.limits = limits;
    }

    /** Requests under way now. */
    public int inFlight() {
        return inFlight.get();
    }

    public void install(Router router, Vertx vertx) {
        BodyHandler hooks = reader(limits.hookBody());
        BodyHandler api = reader(limits.apiBody());
        BodyHandler other = reader(limits.otherBody());
        router.route().order(FIRST - 1).failureHandler(this::refuseFailed);
        router.route().order(FIRST).handler(ctx -> admit(ctx, vertx));
        router.route().order(FIRST + 1).handler(ctx -> {
            String path = ctx.normalizedPath();
            BodyHandler reader = path.startsWith("/hooks/") ? hooks : path.startsWith("/api/") ? api : other;
            read(ctx, reader, reader == hooks ? limits.hookBody() : reader == api ? limits.apiBody()
                    : limits.otherBody());
        });
        router.route().order(FIRST + 2).handler(ctx -> {
            Long timer = ctx.get(TIMER);
            if (timer != null) {
                vertx.cancelTimer(timer);
            }
            ctx.put(BODY_READ, true);
            ctx.next();
        });
    }

    /**
     * Reads the body within {@code limit}. Over HTTP/2 (h2c) the body is left to the route's own body
     * handler, which resumes the request first and fails on one read already: there the declared length
     * is checked here, the server-wide limit (camel.server.maxBodySize) counts while reading, and the
     * body timeout does not apply.
     */
    private static void read(RoutingContext ctx, BodyHandler reader, long limit) {
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            reader.handle(ctx);
            return;
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && (!length.matches("\\d{1,18}") || Long.parseLong(length) > limit)) {
            ctx.fail(413);
            return;
        }
        ctx.next();
    }

    /**
     * usermesh takes JSON everywhere and a form only as WooCommerce's ping to /hooks (a POST); no
     * multipart anywhere: a body decoder is never started for a request no route takes.
     */
    private static boolean acceptedType(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null) {
            return true;
        }
        String t = type.toLowerCase(java.util.Locale.ROOT).trim();
        if (t.startsWith("multipart/")) {
            return false;
        }
        return !t.startsWith("application/x-www-form-urlencoded")
                || ctx.request().method() == HttpMethod.POST && ctx.normalizedPath().startsWith("/hooks/");
    }

    private void admit(RoutingContext ctx, Vertx vertx) {
        if (!acceptedType(ctx)) {
            refuse(ctx, 415, "unsupported content type: send application/json");
            return;
        }
        if (inFlight.incrementAndGet() > limits.maxConcurrent()) {
            inFlight.decrementAndGet();
            ctx.response().putHeader("Retry-After", "2");
            refuse(ctx, 503, "busy: too many requests at once, try again shortly");
            return;
        }
        long timer = vertx.setTimer(limits.bodyTimeout().toMillis(), id -> {
            if (!ctx.response().ended()) {
                refuse(ctx, 408, "the request body did not arrive within " + limits.bodyTimeout().toSeconds() + " s");
            }
        });
        ctx.put(TIMER, timer);
        ctx.addEndHandler(done -> {
            vertx.cancelTimer(timer);
            inFlight.decrementAndGet();
        });
        ctx.next();
    }

    private static BodyHandler reader(long limit) {
        return BodyHandler.create(false).setBodyLimit(limit).setMergeFormAttributes(false);
    }

    /**
     * A request that failed before any route had it: a body over its limit (the body handler's 413), or
     * a body the server could not decode (a 400, not the router's default 500). Failures inside a route
     * go on as they were: the routes' error handling answers those.
     */
    private void refuseFailed(RoutingContext ctx) {
        if (ctx.statusCode() == 413 && ctx.failure() == null) {
            refuse(ctx, 413, "request body too large");
        } else if (ctx.get(BODY_READ) == null) {
            refuse(ctx, 400, "malformed request");
        } else {
            ctx.next();
        }
    }

    /**
     * Answers {@code status}; a refused body (413, 408) also closes an HTTP/1 connection, so the client
     * stops sending instead of the server reading the rest (HTTP/2 ends just the stream).
     */
    private static void refuse(RoutingContext ctx, int status, String error) {
        HttpServerResponse response = ctx.response();
        boolean close = status != 503 && ctx.request().version() != HttpVersion.HTTP_2;
        if (response.ended() || response.headWritten()) {
            if (close) {
                ctx.request().connection().close();
            }
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (close) {
            response.putHeader("Connection", "close");
        }
        response.end("{\"error\":\"" + error + "\"}").onComplete(sent -> {
            if (close) {
                ctx.request().connection().close();
            }
        });
    }
}
