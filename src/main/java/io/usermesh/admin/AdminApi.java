package io.usermesh.admin;

import io.usermesh.audit.AuditFilter;
import io.usermesh.audit.AuditQuery;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.Outbox;
import io.usermesh.model.Json;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.pipeline.UserFlags;
import io.usermesh.reconcile.ReconcileJob;
import io.usermesh.wordpress.SiteCheck;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;

/**
 * The admin API behind /api: every method answers JSON; {@link #authorize} runs first on every
 * request. With no token configured the API refuses everything.
 */
public final class AdminApi {

    private final Secret token;
    private final SitesConfig sites;
    private final SiteHealth health;
    private final AuditQuery audit;
    private final DeadLetters deadLetters;
    private final Outbox outbox;
    private final IdempotentRepository applied;
    private final UserFlags flags;
    private final SitePauses pauses;
    private final ReconcileJob reconciler;

    public AdminApi(Secret token, SitesConfig sites, SiteHealth health, AuditQuery audit, DeadLetters deadLetters,
            Outbox outbox, IdempotentRepository applied, UserFlags flags, SitePauses pauses, ReconcileJob reconciler) {
        this.token = token;
        this.sites = sites;
        this.health = health;
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.outbox = outbox;
        this.applied = applied;
        this.flags = flags;
        this.pauses = pauses;
        this.reconciler = reconciler;
    }

    public void authorize(Exchange exchange) {
        if (token.isEmpty()) {
            throw new AdminApiException(403, "the admin API is off: set usermesh.admin.token (or USERMESH_ADMIN_TOKEN)");
        }
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        // constant time, so the token cannot be guessed byte by byte from response times
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.reveal().getBytes(StandardCharsets.UTF_8))) {
            throw new AdminApiException(401, "missing or wrong bearer token");
        }
        // the token must not travel further with the exchange (logs, tracing)
        exchange.getMessage().removeHeader("Authorization");
    }

    /** Called by the route configuration admin-errors: the refusal as a JSON error with its status. */
    public String error(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int status = 500;
        String message = "internal error";
        if (caught instanceof AdminApiException e) {
            status = e.status();
            message = e.getMessage();
        } else if (caught instanceof io.usermesh.reconcile.ReconcileException) {
            status = 502; // a site's listing failed: the gateway's upstream did
            message = caught.getMessage();
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return Json.write(Map.of("error", message));
    }

    public String sites() {
        return Json.write(sites.sites().stream().map(this::siteView).toList());
    }

    public String checkSite(Exchange exchange) {
        Site site = site(exchange.getMessage().getHeader("id", String.class));
        return Json.write(health.probe(site));
    }

    public String logs(Exchange exchange) {
        String status = param(exchange, "status");
        AuditFilter filter = new AuditFilter(param(exchange, "site"),
                status == null ? null : auditStatus(status), param(exchange, "user"), instant(exchange, "since"),
                instant(exchange, "until"), (int) number(exchange, "limit", 100));
        return Json.write(audit.find(filter));
    }

    public String deadLetters(Exchange exchange) {
        return Json.write(deadLetters.list(param(exchange, "status") == null ? "dead" : param(exchange, "status"),
                (int) number(exchange, "limit", 100)));
    }

    public String replay(Exchange exchange) {
        long id = number(exchange, "id", -1);
        long queued = deadLetters.replay(id, outbox, applied)
                .orElseThrow(() -> new AdminApiException(404, "no dead letter " + id + " waiting for replay"));
        return Json.write(Map.of("deadLetter", id, "outboxRow", queued, "status", "queued"));
    }

    /**
     * Plans a full reconciliation (all sites, or ?site=ID and its linked sites); with dryRun=true it
     * only answers the plan, otherwise the plan is queued for this runner's delivery workers.
     */
    public String reconcile(Exchange exchange) {
        String site = param(exchange, "site");
        if (site != null) {
            site(site);
        }
        return Json.write(reconciler.run(site, "true".equalsIgnoreCase(param(exchange, "dryRun"))));
    }

    /**
     * Pauses a site on every runner of the database: it is not polled, nothing is written to it,
     * and its changes wait in the outbox until it is resumed.
     */
    public String pause(Exchange exchange) {
        Site site = site(exchange.getMessage().getHeader("id", String.class));
        boolean changed = site.isActive() && pauses.pause(site.id());
        return Json.write(pauseView(site, changed));
    }

    /** Resumes a site the API paused; one paused in sites.yaml stays paused until the file says otherwise. */
    public String resume(Exchange exchange) {
        Site site = site(exchange.getMessage().getHeader("id", String.class));
        if (!site.isActive()) {
            throw new AdminApiException(409, "site " + site.id() + " is paused in sites.yaml; set its status to"
                    + " active there and restart the runners");
        }
        boolean changed = pauses.resume(site.id());
        return Json.write(pauseView(site, changed));
    }

    /**
     * Syncs one site now: a reconciliation of the site with the sites linked to it (with ?user=, of
     * that one user), queued for delivery (origin reconcile); answers the plan with the number of
     * deliveries queued.
     */
    public String sync(Exchange exchange) {
        Site site = site(exchange.getMessage().getHeader("id", String.class));
        if (!pauses.isActive(site)) {
            throw new AdminApiException(409, "site " + site.id() + " is paused; resume it to sync it");
        }
        return Json.write(reconciler.run(site.id(), param(exchange, "user"), false));
    }

    private Map<String, Object> pauseView(Site site, boolean changed) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", site.id());
        view.put("status", status(site));
        view.put("changed", changed);
        return view;
    }

    private String status(Site site) {
        return pauses.isActive(site) ? "active" : "paused";
    }

    public String getFlags(Exchange exchange) {
        Site site = site(exchange.getMessage().getHeader("siteId", String.class));
        String user = exchange.getMessage().getHeader("userKey", String.class);
        return flagsView(site, user, flags.get(site.id(), user));
    }

    public String putFlags(Exchange exchange) {
        Site site = site(exchange.getMessage().getHeader("siteId", String.class));
        String user = exchange.getMessage().getHeader("userKey", String.class);
        Map<?, ?> body = Json.read(exchange.getMessage().getBody(String.class), Map.class);
        UserFlags.Flags current = flags.get(site.id(), user);
        UserFlags.Flags updated = new UserFlags.Flags(bool(body, "propagationOff", current.propagationOff()),
                bool(body, "protected", current.isProtected()));
        flags.set(site.id(), user, updated);
        return flagsView(site, user, updated);
    }

    private String flagsView(Site site, String user, UserFlags.Flags f) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("site", site.id());
        view.put("user", user);
        view.put("propagationOff", f.propagationOff());
        view.put("protected", f.isProtected());
        return Json.write(view);
    }

    private Map<String, Object> siteView(Site site) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", site.id());
        view.put("name", site.name());
        view.put("url", site.url().toString());
        view.put("status", status(site));
        view.put("pausedBy", !site.isActive() ? "sites.yaml" : pauses.isPausedByApi(site.id()) ? "api" : null);
        view.put("prohibitIncoming", site.prohibitIncoming());
        view.put("pending", outbox.pending(site.id()));
        SiteCheck last = health.lastResult(site.id()).orElse(null);
        view.put("health", last == null ? "UNKNOWN" : last.passed() ? "UP" : "DOWN");
        view.put("problem", last == null ? null : last.problem());
        return view;
    }

    private Site site(String id) {
        return sites.site(id).orElseThrow(() -> new AdminApiException(404, "unknown site '" + id + "'"));
    }

    private static String param(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value;
    }

    private static long number(Exchange exchange, String name, long fallback) {
        String value = param(exchange, name);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new AdminApiException(400, name + " must be a number, got '" + value + "'");
        }
    }

    private static Instant instant(Exchange exchange, String name) {
        String value = param(exchange, name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new AdminApiException(400, name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static AuditStatus auditStatus(String value) {
        try {
            return AuditStatus.parse(value);
        } catch (IllegalArgumentException e) {
            throw new AdminApiException(400, e.getMessage());
        }
    }

    private static boolean bool(Map<?, ?> body, String key, boolean fallback) {
        Object value = body.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new AdminApiException(400, key + " must be true or false");
    }
}
