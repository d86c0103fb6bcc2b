package io.usermesh.it;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person in a browser on a test-bed site, without JavaScript: signs in through wp-login.php with
 * cookies, and posts wp-admin forms as the browser would (every field the form holds, hidden nonces
 * included, with the changes a person makes).
 */
final class WpBrowser {

    private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_-]+)=(\"([^\"]*)\"|'([^']*)')");

    private final String url;
    private final HttpClient http;

    private WpBrowser(String url) {
        this.url = url;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Signs in on test-bed site {@code index}; empty when WordPress refused the password. */
    static java.util.Optional<WpBrowser> signIn(int index, String login, String password) throws Exception {
        WpBrowser browser = new WpBrowser(TestBed.site(index).url());
        browser.get("/wp-login.php"); // sets WordPress's test cookie, as a browser's first visit does
        HttpResponse<String> answer = browser.post("/wp-login.php", Map.of("log", login, "pwd", password,
                "wp-submit", "Log In", "redirect_to", browser.url + "/wp-admin/", "testcookie", "1"));
        boolean in = answer.statusCode() == 302 && answer.headers().allValues("set-cookie").stream()
                .anyMatch(c -> c.startsWith("wordpress_logged_in_"));
        return in ? java.util.Optional.of(browser) : java.util.Optional.empty();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The user's profile screen (wp-admin/user-edit.php) as the browser holds it: every input's value,
     * checkboxes only when ticked.
     */
    Map<String, String> profileForm(long userId) throws Exception {
        HttpResponse<String> page = get("/wp-admin/user-edit.php?user_id=" + userId);
        if (page.statusCode() != 200) {
            throw new IllegalStateException("user-edit.php answered " + page.statusCode());
        }
        String html = page.body();
        int start = html.indexOf("id=\"your-profile\"");
        int end = html.indexOf("</form>", start);
        if (start < 0 || end < 0) {
            throw new IllegalStateException("no profile form on user-edit.php");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(html.substring(start, end));
        while (input.find()) {
            Map<String, String> attributes = attributes(input.group());
            String name = attributes.get("name");
            String type = attributes.getOrDefault("type", "text").toLowerCase(java.util.Locale.ROOT);
            if (name == null || type.equals("submit") || type.equals("button")) {
                continue;
            }
            boolean ticked = input.group().matches("(?is).*\\schecked(=|\\s|>|/).*");
            if ((type.equals("checkbox") || type.equals("radio")) && !ticked) {
                continue;
            }
            fields.put(name, unescape(attributes.getOrDefault("value", type.equals("checkbox") ? "on" : "")));
        }
        return fields;
    }

    /**
     * Posts the profile screen back with {@code ticked} checkboxes set (true) or cleared (false), as a
     * person saving the form would; the answer is WordPress's redirect on success.
     */
    HttpResponse<String> saveProfile(long userId, Map<String, Boolean> ticked) throws Exception {
        Map<String, String> form = profileForm(userId);
        ticked.forEach((name, on) -> {
            if (on) {
                form.put(name, "1");
            } else {
                form.remove(name);
            }
        });
        return post("/wp-admin/user-edit.php", form);
    }

    private static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(tag);
        while (m.find()) {
            attributes.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(3) != null ? m.group(3) : m.group(4));
        }
        return attributes;
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#039;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
