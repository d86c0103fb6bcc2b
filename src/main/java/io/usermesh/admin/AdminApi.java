package io.usermesh.admin;

import io.usermesh.audit.AuditFilter;
import io.usermesh.audit.AuditQuery;
import io.usermesh.audit.AuditStatus;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.DeadLetters;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.Waiting;
import io.usermesh.delivery.TargetConcurrency;
import io.usermesh.detection.PollTimes;
import io.usermesh.http.HttpProblem;
import io.usermesh.http.IncomingRequest;
import io.usermesh.http.UnexpectedErrors;
import io.usermesh.model.Json;
import io.usermesh.pipeline.SitePauses;
import io.usermesh.pipeline.FlagsOnSites;
import io.usermesh.pipeline.UserFlags;
import io.usermesh.reconcile.ReconcileJob;
import io.usermesh.wordpress.SiteCheck;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API behind /api (the REST DSL of admin-api.camel.yaml): every method answers JSON;
 * {@link #authorize} runs first on every request, as that file's one interceptFrom of its REST routes.
 * With no token configured the API refuses everything.
 */
public final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final int MAX_USER_KEY = 100;
    private static final int DEFAULT_MINUTES = 60;
    private static final int MAX_MINUTES = 1440;

    private final Secret token;
    private final Supplier<SitesConfig> sites;
    private final SiteHealth health;
    private final AuditQuery audit;
    private final DeadLetters deadLetters;
    private final Outbox outbox;
    private final IdempotentRepository applied;
    private final UserFlags flags;
    private final FlagsOnSites flagsOnSites;
    private final SitePauses pauses;
    private final ReconcileJob reconciler;
    private final TargetConcurrency concurrency;
    private final PollTimes polls;
    private final Clock clock;

    public AdminApi(Secret token, Supplier<SitesConfig> sites, SiteHealth health, AuditQuery audit, DeadLetters deadLetters,
            Outbox outbox, IdempotentRepository applied, UserFlags flags, FlagsOnSites flagsOnSites, SitePauses pauses,
            ReconcileJob reconciler, TargetConcurrency concurrency, PollTimes polls, Clock clock) {
        this.token = token;
        this.sites = sites;
        this.health = health;
        this.audit = audit;
        this.deadLetters = deadLetters;
        this.outbox = outbox;
        this.applied = applied;
        this.flags = flags;
        this.flagsOnSites = flagsOnSites;
        this.pauses = pauses;
        this.reconciler = reconciler;
        this.concurrency = concurrency;
        this.polls = polls;
        this.clock = clock;
    }

    /**
     * The bearer token, from the Authorization header only (never from a query or form parameter),
     * compared in constant time so it cannot be guessed byte by byte from response times.
     */
    public void authorize(Exchange exchange) {
        if (token.isEmpty()) {
            throw new AdminApiException(403, "the admin API is off: set usermesh.admin.token (or USERMESH_ADMIN_TOKEN)");
        }
        String header = IncomingRequest.of(exchange).header("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.reveal().getBytes(StandardCharsets.UTF_8))) {
            throw new AdminApiException(401, "missing or wrong bearer token");
        }
    }

    /**
     * Called by admin-api.camel.yaml's onException (and the dashboard's route configuration admin-errors):
     * a refusal as a JSON error with its status; anything
     * unexpected is logged with a correlation id that the 500 answer repeats.
     */
    public String error(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> body = new LinkedHashMap<>();
        int status;
        if (caught instanceof HttpProblem e) {
            status = e.status();
            body.put("error", e.getMessage());
        } else if (caught instanceof io.usermesh.reconcile.ReconcileException) {
            status = 502; // a site's listing failed: the gateway's upstream did
            body.put("error", caught.getMessage());
        } else {
            status = 500;
            body.put("error", "internal error");
            body.put("correlationId", UnexpectedErrors.log(LOG, "admin API route " + exchange.getFromRouteId(),
                    caught));
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return Json.write(body);
    }

    public String sites() {
        Map<String, Waiting> waiting = outbox.waitingByTarget();
        Map<String, Long> dead = deadLetters.waitingByTarget();
        return Json.write(sites.get().sites().stream().map(site -> siteView(site, waiting, dead)).toList());
    }

    public String checkSite(Exchange exchange) {
        Site site = site(exchange.getMessage().getHeader("id", String.class));
        return Json.write(health.probe(site));
    }

    public String logs(Exchange exchange) {
        String status = param(exchange, "status");
        AuditFilter filter = new AuditFilter(param(exchange, "site"),
                status == null ? null : auditStatus(status), param(exchange, "user"), instant(exchange, "since"),
                instant(exchange, "until"), limit(exchange));
        return Json.write(audit.find(filter));
    }

    public String deadLetters(Exchange exchange) {
        return Json.write(deadLetters.list(param(exchange, "status") == null ? "dead" : param(exchange, "status"),
                limit(exchange)));
    }

    public String replay(Exchange exchange) {
        long id = pathNumber(exchange, "id");
        long queued = deadLetters.replay(id, outbox, applied)
                .orElseThrow(() -> new AdminApiException(404, "no dead letter " + id + " waiting for replay"));
        LOG.info("dead letter {} replayed through the admin API: outbox row {}", id, queued);
        return Json.write(Map.of("deadLetter", id, "outboxRow", queued, "status", "queued"));
    }

    /**
     * {@code POST /api/dead-letters/replay?target=ID}: every dead letter of one target site that waits,
     * each replayed as {@link #replay} does one; answers how many and which.
     */
    public String replayAll(Exchange exchange) {
        String target = param(exchange, "target");
        if (target == null || !Site.ID.matcher(target).matches()) {
            throw new AdminApiException(400, "target must be a site id");
        }
        Map<Long, Long> queued = deadLetters.replayAll(target, outbox, applied);
        queued.forEach((id, row) -> LOG.info("dead letter {} replayed through the admin API: outbox row {}", id, row));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("target", target);
        view.put("replayed", queued.size());
        view.put("deadLetters", queued.entrySet().stream()
                .map(e -> Map.of("deadLetter", e.getKey(), "outboxRow", e.getValue())).toList());
        return Json.write(view);
    }

    /**
     * {@code GET /api/activity?minutes=60}: the audit rows of the last minutes (this one included),
     * counted per minute and status, oldest first, for the dashboard's chart.
     */
    public String activity(Exchange exchange) {
        int minutes = boundedNumber(exchange, "minutes", DEFAULT_MINUTES, MAX_MINUTES);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("minutes", minutes);
        view.put("perMinute", audit.perMinute(clock.instant(), minutes).stream()
                .map(m -> Map.of("at", m.start().toString(), "counts", m.counts())).toList());
        return Json.write(view);
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
        String to = param(exchange, "to");
        if (to != null && site(to).id().equals(site.id())) {
            throw new AdminApiException(400, "to must name another site than " + site.id());
        }
        String user = param(exchange, "user");
        return Json.write(reconciler.run(site.id(), to, user == null ? null : checkedUserKey("user", user), false));
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
        String user = userKey(exchange);
        return flagsView(site, user, flags.get(site.id(), user));
    }

    public String putFlags(Exchange exchange) {
        Site site = site(exchange.getMessage().getHeader("siteId", String.class));
        String user = userKey(exchange);
        Map<?, ?> body = jsonObject(exchange, "{\"propagationOff\": true, \"protected\": false}");
        UserFlags.Flags current = flags.get(site.id(), user);
        UserFlags.Flags updated = new UserFlags.Flags(bool(body, "propagationOff", current.propagationOff()),
                bool(body, "protected", current.isProtected()));
        flags.set(site.id(), user, updated);
        return flagsView(site, user, updated, flagsOnSites.tell(site, user, updated));
    }

    private String flagsView(Site site, String user, UserFlags.Flags f) {
        return flagsView(site, user, f, null);
    }

    /** @param onSite after a change: what became of it on the site's profile screen (companion plugin) */
    private String flagsView(Site site, String user, UserFlags.Flags f, String onSite) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("site", site.id());
        view.put("user", user);
        view.put("propagationOff", f.propagationOff());
        view.put("protected", f.isProtected());
        if (onSite != null) {
            view.put("onSite", onSite);
        }
        return Json.write(view);
    }

    private Map<String, Object> siteView(Site site, Map<String, Waiting> waiting, Map<String, Long> dead) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", site.id());
        view.put("name", site.name());
        view.put("url", site.url().toString());
        view.put("status", status(site));
        view.put("pausedBy", !site.isActive() ? "sites.yaml" : pauses.isPausedByApi(site.id()) ? "api" : null);
        view.put("prohibitIncoming", site.prohibitIncoming());
        view.put("autoSync", site.settings().autoSync()); // false: manual mode, moved by sync/reconcile only
        Waiting queue = waiting.getOrDefault(site.id(), Waiting.NONE);
        view.put("pending", queue.count());
        // the oldest change still waiting for this site: how far behind its deliveries are
        view.put("oldestPending", queue.oldest() == null ? null : queue.oldest().toString());
        view.put("lagSeconds", queue.lag(clock).toSeconds());
        view.put("dead", dead.getOrDefault(site.id(), 0L));
        view.put("lastPoll", polls.last(site.id()).map(Instant::toString).orElse(null));
        // writes to this site at once: the adaptive limit now, and the most it may reach
        view.put("concurrency", Map.of("current", concurrency.current(site.id()), "max", concurrency.max()));
        SiteCheck last = health.lastResult(site.id()).orElse(null);
        view.put("health", last == null ? "UNKNOWN" : last.passed() ? "UP" : "DOWN");
        view.put("problem", last == null ? null : last.problem());
        view.put("companion", last == null ? null : last.companion());
        return view;
    }

    private Site site(String id) {
        if (id == null || !Site.ID.matcher(id).matches()) {
            throw new AdminApiException(404, "unknown site");
        }
        return sites.get().site(id).orElseThrow(() -> new AdminApiException(404, "unknown site '" + id + "'"));
    }

    /** A query parameter: from the query string only, never from a header or a form field. */
    private static String param(Exchange exchange, String name) {
        return IncomingRequest.of(exchange).param(name);
    }

    private static int limit(Exchange exchange) {
        return boundedNumber(exchange, "limit", DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** A whole number from 1 to {@code max} in the query parameter {@code name}, {@code fallback} when absent. */
    private static int boundedNumber(Exchange exchange, String name, int fallback, int max) {
        String value = param(exchange, name);
        if (value == null) {
            return fallback;
        }
        if (!value.matches("\\d{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > max) {
            throw new AdminApiException(400, name + " must be a whole number from 1 to " + max);
        }
        return Integer.parseInt(value);
    }

    private static long pathNumber(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        if (value == null || !value.matches("\\d{1,18}")) {
            throw new AdminApiException(400, name + " must be a whole number");
        }
        return Long.parseLong(value);
    }

    /** An email or login as the flags table keys users: WordPress allows 100 and 60 characters. */
    private static String userKey(Exchange exchange) {
        return checkedUserKey("userKey", exchange.getMessage().getHeader("userKey", String.class));
    }

    /** {@code value} as a user key (the path's userKey, the users search's q), or a 400 naming {@code name}. */
    static String checkedUserKey(String name, String value) {
        if (value == null || value.isBlank() || value.length() > MAX_USER_KEY
                || value.chars().anyMatch(Character::isISOControl)) {
            throw new AdminApiException(400, name + " must be an email or login of 1 to " + MAX_USER_KEY
                    + " characters");
        }
        return value;
    }

    private static Map<?, ?> jsonObject(Exchange exchange, String example) {
        String text = exchange.getMessage().getBody(String.class);
        Object body;
        try {
            body = text == null || text.isBlank() ? null : Json.MAPPER.readValue(text, Object.class);
        } catch (java.io.IOException e) {
            body = null;
        }
        if (!(body instanceof Map<?, ?> map)) {
            throw new AdminApiException(400, "the body must be a JSON object such as " + example);
        }
        return map;
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
