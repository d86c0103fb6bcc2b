package io.usermesh.wordpress;

import com.fasterxml.jackson.databind.JsonNode;
import io.usermesh.config.Secret;
import io.usermesh.model.Json;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Creates an application password for a WordPress user from that user's real password: logs in
 * once through wp-login.php, takes a REST nonce and asks the REST API for a new application
 * password. The sync client cannot do this: it speaks Basic auth with application passwords only,
 * while this needs a browser's cookie session, so it has its own short-lived JDK client.
 */
public final class AppPasswordIssuer {

    /** A refusal a person can act on; it never holds either password. */
    public static final class IssueException extends RuntimeException {
        public IssueException(String message) {
            super(message);
        }
    }

    /** What WordPress created; {@code password} is shown once and never stored by usermesh. */
    public record Issued(String name, String uuid, Secret password) {
    }

    private final URI site;
    private final Duration connectTimeout;
    private final Duration responseTimeout;

    /** {@code site}: the site address without trailing slash, as in sites.yaml. */
    public AppPasswordIssuer(URI site, Duration connectTimeout, Duration responseTimeout) {
        this.site = site;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
    }

    public Issued issue(String login, Secret password, String name) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            logIn(http, login, password);
            String nonce = restNonce(http);
            return create(http, nonce, name);
        } catch (IOException e) {
            throw new IssueException("cannot reach " + site + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IssueException("interrupted");
        }
    }

    private void logIn(HttpClient http, String login, Secret password) throws IOException, InterruptedException {
        String form = form(Map.of("log", login, "pwd", password.reveal(), "testcookie", "1",
                "redirect_to", site + "/wp-admin/"));
        HttpResponse<String> response = http.send(request("/wp-login.php")
                .header("Content-Type", "application/x-www-form-urlencoded")
                // wp-login.php refuses a login whose browser did not keep its test cookie
                .header("Cookie", "wordpress_test_cookie=WP%20Cookie%20check")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        boolean loggedIn = response.statusCode() == 302 && response.headers().allValues("set-cookie").stream()
                .anyMatch(c -> c.startsWith("wordpress_logged_in_"));
        if (loggedIn) {
            return;
        }
        if (response.statusCode() == 404) {
            throw new IssueException("no wp-login.php at " + site + " (404): is the url the WordPress address?");
        }
        if (response.statusCode() == 200 && response.body().contains("login_error")) {
            throw new IssueException("login as " + login + " on " + site + " failed: wrong username or password");
        }
        throw new IssueException("login as " + login + " on " + site + " failed: HTTP " + response.statusCode()
                + " from wp-login.php (a login plugin, 2FA or captcha needs an application password made by hand)");
    }

    private String restNonce(HttpClient http) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/wp-admin/admin-ajax.php?action=rest-nonce").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String nonce = response.body().trim();
        if (response.statusCode() != 200 || !nonce.matches("[0-9a-f]{6,32}")) {
            throw new IssueException("logged in, but " + site + " gave no REST nonce (HTTP " + response.statusCode()
                    + " from admin-ajax.php)");
        }
        return nonce;
    }

    private Issued create(HttpClient http, String nonce, String name) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/wp-json/wp/v2/users/me/application-passwords")
                .header("Content-Type", "application/json").header("X-WP-Nonce", nonce)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("name", name)))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = parse(response.body());
        if (response.statusCode() == 201 && body.hasNonNull("password")) {
            return new Issued(body.path("name").asText(name), body.path("uuid").asText(),
                    Secret.of(body.path("password").asText()));
        }
        String code = body.path("code").asText("");
        String message = body.path("message").asText("HTTP " + response.statusCode());
        if (code.equals("application_password_duplicate_name")) {
            message = "an application password named \"" + name + "\" exists already for this user; revoke it in"
                    + " the user's profile (Application Passwords) or choose another --name";
        } else if (code.startsWith("application_passwords_disabled")) {
            message = "application passwords are off on this site (" + message + "); they need https, or"
                    + " WP_ENVIRONMENT_TYPE=local on a test site";
        }
        throw new IssueException("creating the application password on " + site + " failed: " + message
                + (code.isEmpty() ? "" : " (" + code + ", HTTP " + response.statusCode() + ")"));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(site + path)).timeout(responseTimeout);
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
