package io.usermesh.wordpress;

import com.fasterxml.jackson.databind.JsonNode;
import io.usermesh.config.Secret;
import io.usermesh.model.Json;
import io.usermesh.wordpress.AppPasswordIssuer.Issued;
import io.usermesh.wordpress.AppPasswordIssuer.IssueException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Replaces an application password with a new one of the same user, authenticated by the current one
 * (no login password needed): which one is in use ({@code .../application-passwords/introspect}), a new
 * one, a check that the new one logs in as the same user, and the old one's revocation by its uuid. Its
 * own short-lived JDK client, as {@link AppPasswordIssuer}: a command, not the sync.
 */
public final class AppPasswordRotator {

    private static final String MINE = "/wp-json/wp/v2/users/me/application-passwords";

    /** The application password a request is authenticated with, as WordPress lists it. */
    public record InUse(String uuid, String name) {
    }

    private final URI site;
    private final String login;
    private final Duration responseTimeout;
    private final HttpClient http;

    public AppPasswordRotator(URI site, String login, Duration connectTimeout, Duration responseTimeout) {
        this.site = site;
        this.login = login;
        this.responseTimeout = responseTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public InUse inUse(Secret current) {
        JsonNode body = expect(200, send("GET", MINE + "/introspect", current, null), "reading the application"
                + " password in use (is sites.yaml's applicationPassword the current one?)");
        return new InUse(body.path("uuid").asText(), body.path("name").asText());
    }

    public Issued create(Secret current, String name) {
        JsonNode body = expect(201, send("POST", MINE, current, Json.write(Map.of("name", name))),
                "creating the new application password");
        return new Issued(body.path("name").asText(name), body.path("uuid").asText(),
                Secret.of(body.path("password").asText()));
    }

    /** The user id the password logs in as; fails when it does not log in. */
    public long userId(Secret password) {
        return expect(200, send("GET", "/wp-json/wp/v2/users/me?context=edit", password, null),
                "logging in with the new application password").path("id").asLong();
    }

    public void revoke(Secret authenticatedWith, String uuid) {
        if (!uuid.matches("[0-9a-fA-F-]{36}")) {
            throw new IssueException("not an application password uuid: " + uuid);
        }
        expect(200, send("DELETE", MINE + "/" + uuid, authenticatedWith, null),
                "revoking the old application password " + uuid);
    }

    private HttpResponse<String> send(String method, String path, Secret password, String json) {
        String basic = Base64.getEncoder().encodeToString((login + ":" + password.reveal())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(site + path)).timeout(responseTimeout)
                .header("Authorization", "Basic " + basic);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IssueException("cannot reach " + site + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IssueException("interrupted");
        }
    }

    /** The body of an answer with this status, else a refusal naming the step and WordPress's code. */
    private JsonNode expect(int status, HttpResponse<String> response, String step) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            body = Json.MAPPER.createObjectNode();
        }
        if (response.statusCode() == status && body != null) {
            return body;
        }
        String code = body == null ? "" : body.path("code").asText("");
        throw new IssueException(step + " on " + site + " failed: HTTP " + response.statusCode()
                + (code.isEmpty() ? "" : " (" + code + ")"));
    }
}
