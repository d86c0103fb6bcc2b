package io.usermesh.wordpress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.hc.client5.http.ConnectTimeoutException;

/**
 * The users part of one site's REST API, over camel-http with the pooled, keep-alive connections
 * of the shared http component. Every failure becomes a {@link WordPressException} with a typed
 * {@link WpError}; the Authorization header is built per request and never logged.
 */
public final class WordPressClient {

    public static final int PAGE_SIZE = 100;
    /** The companion plugin's field on users: password digest, toggles and the meta asked for. */
    public static final String COMPANION_FIELD = "usermesh";
    private static final String USERS = "/wp-json/wp/v2/users";
    private static final String USER_FIELDS = "id,username,name,first_name,last_name,email,url,description,"
            + "nickname,slug,roles,meta,usermesh";
    /** The companion's query parameter naming the meta keys its field should show. */
    private static final String COMPANION_META = "usermesh_meta";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTHORIZATION = "Authorization";

    private final Site site;
    private final List<String> metaKeys;
    private final ProducerTemplate template;
    private final Endpoint endpoint;

    /** @param metaKeys the meta keys this site's links sync, asked of the companion plugin with every user read */
    WordPressClient(Site site, List<String> metaKeys, ProducerTemplate template) {
        this.site = site;
        this.metaKeys = List.copyOf(metaKeys);
        this.template = template;
        // Status codes are mapped here, so camel-http must hand every response back unchanged.
        this.endpoint = template.getCamelContext().getEndpoint(
                site.url() + "?throwExceptionOnFailure=false&followRedirects=false");
    }

    public Site site() {
        return site;
    }

    /** The unauthenticated REST index: is the API on, which plugins answer, are application passwords on. */
    public SiteIndex index() {
        JsonNode root = parse(send("GET", "/wp-json/", Map.of(), null, false));
        List<String> namespaces = new ArrayList<>();
        root.path("namespaces").forEach(ns -> namespaces.add(ns.asText()));
        boolean appPasswords = !root.path("authentication").path("application-passwords").isMissingNode();
        return new SiteIndex(root.path("name").asText(""), namespaces, appPasswords);
    }

    /** The companion plugin's settings as it shows them (version, push URL, whether a secret is set). */
    public JsonNode companionSettings() {
        return parse(send("GET", "/wp-json/" + SiteIndex.COMPANION_NAMESPACE + "/settings", Map.of(), null, true));
    }

    /** The user the application password belongs to, with its capabilities. */
    public WpUser me() {
        return WpUser.fromJson(parse(send("GET", USERS + "/me", Map.of("context", "edit"), null, true)));
    }

    public UserPage listUsers(int page) {
        Map<String, String> query = usersQuery();
        query.put("page", String.valueOf(page));
        query.put("orderby", "id");
        query.put("order", "asc");
        Reply reply = send("GET", USERS, query, null, true);
        List<WpUser> users = new ArrayList<>();
        parse(reply).forEach(node -> users.add(WpUser.fromJson(node)));
        int total = reply.intHeader("X-WP-Total", users.size());
        int totalPages = reply.intHeader("X-WP-TotalPages", 1);
        return new UserPage(users, page, total, totalPages);
    }

    /**
     * Users whose login, email, URL or names contain {@code term} (WordPress's search is a substring
     * match: callers compare exactly).
     */
    public List<WpUser> searchUsers(String term) {
        Map<String, String> query = usersQuery();
        query.put("search", term);
        List<WpUser> users = new ArrayList<>();
        parse(send("GET", USERS, query, null, true)).forEach(node -> users.add(WpUser.fromJson(node)));
        return users;
    }

    /** context=edit (else a wrong password passes as anonymous), a full page, only the synced fields. */
    private Map<String, String> usersQuery() {
        Map<String, String> query = userQuery();
        query.put("per_page", String.valueOf(PAGE_SIZE));
        query.put("_fields", USER_FIELDS);
        return query;
    }

    /**
     * The query of every request that reads or writes one user: context=edit, and the synced meta keys
     * for the companion plugin (sites without it ignore the parameter).
     */
    public Map<String, String> userQuery() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("context", "edit");
        if (!metaKeys.isEmpty()) {
            query.put(COMPANION_META, String.join(",", metaKeys));
        }
        return query;
    }

    /**
     * The users with these ids (at most a page of them), read as a poll lists them: one request for
     * a burst of pushes instead of one per user. An id missing from the answer is not on the site.
     */
    public List<WpUser> getUsers(java.util.Collection<Long> ids) {
        if (ids.size() > PAGE_SIZE) {
            throw new IllegalArgumentException("at most " + PAGE_SIZE + " users per request, not " + ids.size());
        }
        Map<String, String> query = usersQuery();
        query.put("include", ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        List<WpUser> users = new ArrayList<>();
        parse(send("GET", USERS, query, null, true)).forEach(node -> users.add(WpUser.fromJson(node)));
        return users;
    }

    public WpUser getUser(long id) {
        return WpUser.fromJson(parse(send("GET", USERS + "/" + id, userQuery(), null, true)));
    }

    /** WordPress requires username, email and password on create. */
    public WpUser createUser(Map<String, Object> fields) {
        return WpUser.fromJson(parse(send("POST", USERS, userQuery(), toJson(fields), true)));
    }

    public WpUser updateUser(long id, Map<String, Object> fields) {
        return WpUser.fromJson(parse(send("POST", USERS + "/" + id, userQuery(), toJson(fields), true)));
    }

    /**
     * The user's password hash, from the companion plugin, for one delivery: the caller sends it on
     * and forgets it (never stored, never logged). A site without the companion answers 404.
     */
    public Secret passwordHash(long id) {
        JsonNode answer = parse(send("GET", "/wp-json/" + SiteIndex.COMPANION_NAMESPACE + "/users/" + id + "/password",
                Map.of(), null, true));
        return Secret.of(answer.path("hash").asText(""));
    }

    /**
     * The companion's changes feed: the users created, updated or deleted on the site since {@code since}
     * (a cursor from an earlier answer), or, with {@code since} null, only the current position. An
     * expired cursor is answered 410 ({@code usermesh_cursor_expired}), a site without the companion 404:
     * both throw, as every other failure does.
     */
    public FeedPage changes(String since) {
        Map<String, String> query = new LinkedHashMap<>();
        if (since != null) {
            query.put("since", since);
        }
        JsonNode answer = parse(send("GET", "/wp-json/" + SiteIndex.COMPANION_NAMESPACE + "/changes", query, null,
                true));
        String cursor = answer.path("cursor").asText("");
        if (cursor.isEmpty()) {
            throw new WordPressException(site.id(), new WpError(WpError.Kind.BAD_RESPONSE, 200, null,
                    "the changes feed answered without a cursor"));
        }
        java.util.LinkedHashSet<Long> ids = new java.util.LinkedHashSet<>();
        answer.path("changes").forEach(change -> {
            long id = change.path("id").asLong(0);
            if (id > 0) {
                ids.add(id);
            }
        });
        return new FeedPage(cursor, List.copyOf(ids), answer.path("more").asBoolean(false));
    }

    /** Deletes for good; {@code reassignTo} inherits the user's content, null deletes it with the user. */
    public void deleteUser(long id, Long reassignTo) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("force", "true");
        query.put("reassign", reassignTo == null ? "false" : String.valueOf(reassignTo));
        send("DELETE", USERS + "/" + id, query, null, true);
    }

    private Reply send(String method, String path, Map<String, String> query, String body, boolean authenticated) {
        Exchange exchange = template.send(endpoint, ex -> prepare(ex.getIn(), method, path, query, body,
                authenticated));
        if (exchange.getException() != null) {
            throw new WordPressException(site.id(), transportError(exchange.getException()));
        }
        return reply(exchange.getMessage());
    }

    /**
     * Makes {@code message} a request to this site for camel-http (an endpoint on the site's URL with
     * throwExceptionOnFailure=false: {@link #answer} reads every status). Also used by deliver-to-site,
     * whose write steps call camel-http themselves.
     */
    public void prepare(Message message, String method, String path, Map<String, String> query, Object body,
            boolean authenticated) {
        message.setHeader(Exchange.HTTP_METHOD, method);
        message.setHeader(Exchange.HTTP_PATH, path);
        message.setHeader(Exchange.HTTP_QUERY, encode(query));
        message.setHeader("Accept", "application/json");
        if (authenticated) {
            message.setHeader(AUTHORIZATION, basicAuth());
        }
        message.setHeader(Exchange.CONTENT_TYPE, body == null ? null : "application/json; charset=UTF-8");
        message.setBody(body == null ? null : body instanceof String text ? text : toJson(body));
    }

    /**
     * The site's answer to a request made with {@link #prepare}, as JSON; a status other than 2xx throws
     * its {@link WordPressException}. The request's credentials are dropped from the message first.
     */
    public JsonNode answer(Message response) {
        return parse(reply(response));
    }

    /**
     * Removes a request's credentials from the message: camel-http copies request headers to the
     * response, and a request that got no answer still carries them.
     */
    public static void dropCredentials(Message message) {
        message.removeHeader(AUTHORIZATION);
        if (message.getHeader(Exchange.HTTP_RESPONSE_CODE) == null) {
            message.setBody(null); // an unanswered request's body may hold a password hash
        }
    }

    private Reply reply(Message out) {
        dropCredentials(out);
        int status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Reply reply = new Reply(status, out.getBody(String.class), out);
        if (status < 200 || status >= 300) {
            throw new WordPressException(site.id(), errorOf(reply), retryAfter(reply));
        }
        return reply;
    }

    private String basicAuth() {
        String pair = site.username() + ":" + site.applicationPassword().reveal();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String toJson(Object fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("fields cannot be written as JSON", e);
        }
    }

    private JsonNode parse(Reply reply) {
        try {
            return JSON.readTree(reply.body() == null ? "" : reply.body());
        } catch (JsonProcessingException e) {
            throw new WordPressException(site.id(), new WpError(WpError.Kind.BAD_RESPONSE, reply.status(), null,
                    "response is not JSON (is the REST API enabled?)"));
        }
    }

    static WpError errorOf(Reply reply) {
        String code = null;
        String message = null;
        try {
            JsonNode node = JSON.readTree(reply.body() == null ? "" : reply.body());
            code = node.path("code").asText(null);
            message = node.path("message").asText(null);
        } catch (JsonProcessingException notJson) {
            // an HTML error page from a proxy or PHP: the status says enough
        }
        return WpError.fromStatus(reply.status(), code, message);
    }

    /** Retry-After in seconds (the HTTP-date form is rare for APIs and is ignored). */
    private static java.time.Duration retryAfter(Reply reply) {
        int seconds = reply.intHeader("Retry-After", -1);
        return seconds >= 0 ? java.time.Duration.ofSeconds(seconds) : null;
    }

    /** How a request that got no answer failed (timeout, refused, unknown host). */
    public static WpError transportError(Throwable e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof ConnectTimeoutException) {
                return new WpError(WpError.Kind.UNREACHABLE, 0, null, "connect timed out");
            }
            if (cause instanceof SocketTimeoutException) {
                return new WpError(WpError.Kind.TIMEOUT, 0, null, "no response in time");
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return new WpError(WpError.Kind.UNREACHABLE, 0, null, "connection refused");
            }
            if (cause instanceof UnknownHostException) {
                return new WpError(WpError.Kind.UNREACHABLE, 0, null, "unknown host " + cause.getMessage());
            }
            cause = cause.getCause();
        }
        return new WpError(WpError.Kind.UNREACHABLE, 0, null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    record Reply(int status, String body, Message message) {
        int intHeader(String name, int fallback) {
            Integer value = message == null ? null : message.getHeader(name, Integer.class);
            return value == null ? fallback : value;
        }
    }
}
