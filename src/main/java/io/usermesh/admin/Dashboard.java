package io.usermesh.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The dashboard's three static files (classpath dashboard/), served without a token: the page
 * asks for the token and does everything else through the admin API. A strict Content Security
 * Policy lets the page load only its own script and style, so a value from a site can never run.
 */
public final class Dashboard {

    private static final Map<String, String> TYPES = Map.of("index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8", "app.css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self' data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    private final Map<String, String> files;

    public Dashboard() {
        this.files = Map.of("index.html", load("index.html"), "app.js", load("app.js"), "app.css", load("app.css"));
    }

    /** Called by the route dashboard for GET /. */
    public String page(Exchange exchange) {
        return serve(exchange, "index.html");
    }

    /** Called by the route dashboard-files for GET /dashboard/{file}; any other name is a 404. */
    public String file(Exchange exchange) {
        String name = exchange.getMessage().getHeader("file", String.class);
        if (name == null || !files.containsKey(name) || name.equals("index.html")) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            return "not found";
        }
        return serve(exchange, name);
    }

    private String serve(Exchange exchange, String name) {
        var message = exchange.getMessage();
        message.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name));
        message.setHeader("Content-Security-Policy", POLICY);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("Cache-Control", "no-cache");
        return files.get(name);
    }

    private static String load(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
