package io.usermesh.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usermesh.it.TestBed.WpSite;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A site administrator working directly on a test-bed site over the REST API, independent of
 * usermesh's own client: what tests do "behind usermesh's back" and how they check results.
 */
final class WpAdmin {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WpSite site;

    WpAdmin(WpSite site) {
        this.site = site;
    }

    static WpAdmin of(int index) {
        return new WpAdmin(TestBed.site(index));
    }

    /** The same site, working with another of its application passwords. */
    WpAdmin withAppPassword(String appPassword) {
        return new WpAdmin(new WpSite(site.index(), site.url(), site.user(), appPassword, site.database()));
    }

    JsonNode create(String login, String email, Map<String, Object> extra) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(extra);
        fields.put("username", login);
        fields.put("email", email);
        fields.putIfAbsent("password", "pw-" + login + "-Xy9!");
        return send("POST", "/wp-json/wp/v2/users?context=edit", fields);
    }

    JsonNode update(long id, Map<String, Object> fields) {
        return send("POST", "/wp-json/wp/v2/users/" + id + "?context=edit", fields);
    }

    void delete(long id) {
        send("DELETE", "/wp-json/wp/v2/users/" + id + "?force=true&reassign=1", null);
    }

    /** The user with exactly this email, if any. */
    Optional<JsonNode> byEmail(String email) {
        JsonNode list = send("GET", "/wp-json/wp/v2/users?context=edit&per_page=100&search="
                + URLEncoder.encode(email, StandardCharsets.UTF_8), null);
        for (JsonNode user : list) {
            if (user.path("email").asText().equalsIgnoreCase(email)) {
                return Optional.of(user);
            }
        }
        return Optional.empty();
    }

    /**
     * The user with that email once WordPress has finished writing it: a REST create stores the user
     * first and adds its roles after, so a read in between finds a user with no role yet.
     */
    Optional<JsonNode> written(String email) {
        return byEmail(email).filter(user -> !user.path("roles").isEmpty());
    }

    /** Every user whose login, email or name contains {@code part}, all pages. */
    List<JsonNode> allWithEmailContaining(String part) {
        List<JsonNode> users = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode list = send("GET", "/wp-json/wp/v2/users?context=edit&per_page=100&page=" + page + "&search="
                    + URLEncoder.encode(part, StandardCharsets.UTF_8), null);
            list.forEach(users::add);
            if (list.size() < 100) {
                return users;
            }
        }
    }

    JsonNode send(String method, String pathAndQuery, Map<String, Object> body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(site.url() + pathAndQuery))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (site.user() + ":" + site.appPassword()).getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new AssertionError(method + " " + pathAndQuery + " on site " + site.index() + ": "
                        + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("site " + site.index() + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How many users the site has (X-WP-Total). */
    int total() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(site.url()
                    + "/wp-json/wp/v2/users?context=edit&per_page=1&_fields=id"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (site.user() + ":" + site.appPassword()).getBytes(StandardCharsets.UTF_8)))
                    .GET().build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("listing site " + site.index() + ": " + response.statusCode() + " "
                        + response.body());
            }
            return Integer.parseInt(response.headers().firstValue("X-WP-Total").orElseThrow());
        } catch (IOException e) {
            throw new AssertionError("site " + site.index() + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
