package io.usermesh.runtime;

import io.usermesh.config.ConfigException;
import io.usermesh.config.ConfigLoader;
import io.usermesh.config.CurrentSites;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.Outbox;
import io.usermesh.delivery.Waiting;
import io.usermesh.model.Json;
import io.usermesh.scheduling.Scheduling;
import io.usermesh.wordpress.WordPressClients;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sites.yaml read again while the runner runs: on demand ({@code POST /api/reload}) and when the file, or
 * a file one of its {@code ${file:...}} placeholders reads, has changed (route {@code sites-watch}).
 *
 * <p>A file that does not load is refused with its file:line:key, in the log and in {@code GET
 * /api/reload}, and the running configuration stays. One that loads is applied: the beans see it from
 * their next operation ({@link CurrentSites}), and the per-site routes follow it. Added sites get their
 * delivery route and, when active and syncing automatically, their poll route; removed sites lose both;
 * a changed site's routes are made again where what they were made from changed (URL, poll interval,
 * status, autoSync). Changes queued for a removed site stay in the outbox, reported, until the site comes
 * back. application.properties is read at start only.
 */
public final class SitesReload {

    private static final Logger LOG = LoggerFactory.getLogger(SitesReload.class);

    /** What the last reload did; {@code status} is applied, unchanged, refused (the file) or failed (applying it). */
    public record Outcome(String status, Instant at, String trigger, String error, List<String> added,
            List<String> removed, List<String> changed, boolean linksChanged, Map<String, Long> queuedForRemoved) {
    }

    private final CamelContext camel;
    private final CurrentSites current;
    private final WordPressClients clients;
    private final Outbox outbox;
    private final Path configDir;
    private final Map<String, String> env;
    private final int deliveryConcurrency;
    private final Clock clock;
    private byte[] inputsSeen;
    private byte[] inputsChanging;
    private volatile Outcome last;

    public SitesReload(CamelContext camel, CurrentSites current, WordPressClients clients, Outbox outbox,
            Path configDir, Map<String, String> env, int deliveryConcurrency, Clock clock) {
        this.camel = camel;
        this.current = current;
        this.clients = clients;
        this.outbox = outbox;
        this.configDir = configDir;
        this.env = Map.copyOf(env);
        this.deliveryConcurrency = deliveryConcurrency;
        this.clock = clock;
        // what the running config was read from, near enough: the start read the same files a moment ago
        this.inputsSeen = ConfigLoader.sitesInputsDigest(configDir);
        this.last = new Outcome("started", clock.instant(), "start", null, List.of(), List.of(), List.of(), false,
                Map.of());
    }

    /**
     * Route sites-watch: reloads when what sites.yaml is read from has changed since it was last read,
     * and has stayed so for one more look: an editor that truncates the file and then writes it would
     * otherwise be caught in between, with a file that names no site at all.
     */
    public synchronized void ifChanged() throws Exception {
        byte[] inputs = ConfigLoader.sitesInputsDigest(configDir);
        if (Arrays.equals(inputs, inputsSeen)) {
            inputsChanging = null;
        } else if (Arrays.equals(inputs, inputsChanging)) {
            reload("file changed");
        } else {
            inputsChanging = inputs;
        }
    }

    /** POST /api/reload: 200 with what changed, or 422 naming file:line when the file is refused. */
    public String reloadNow(Exchange exchange) throws Exception {
        Outcome outcome = reload("api");
        if ("refused".equals(outcome.status())) {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 422);
        }
        return Json.write(outcome);
    }

    /** GET /api/reload: the last reload's outcome (or the start's). */
    public String lastOutcome() {
        return Json.write(last);
    }

    public Outcome last() {
        return last;
    }

    synchronized Outcome reload(String trigger) throws Exception {
        inputsSeen = ConfigLoader.sitesInputsDigest(configDir);
        inputsChanging = null;
        SitesConfig next;
        try {
            next = ConfigLoader.loadSites(configDir, env);
        } catch (ConfigException e) {
            // the message names file, line, key and problem, never a secret's value (ConfigException)
            LOG.error("sites.yaml not reloaded, the running configuration stays: {}", e.getMessage());
            return remember(new Outcome("refused", clock.instant(), trigger, e.getMessage(), List.of(), List.of(),
                    List.of(), false, Map.of()));
        }
        SitesConfig now = current.get();
        if (next.equals(now)) {
            return remember(new Outcome("unchanged", clock.instant(), trigger, null, List.of(), List.of(), List.of(),
                    false, Map.of()));
        }
        try {
            return remember(apply(now, next, trigger));
        } catch (Exception | LinkageError e) {
            // a route that would not stop or start: what was applied stays, and the log says what failed
            LOG.error("sites.yaml reload ({}) failed while applying it: {}", trigger, e.toString());
            return remember(new Outcome("failed", clock.instant(), trigger, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), List.of(), List.of(), List.of(), false, Map.of()));
        }
    }

    private Outcome remember(Outcome outcome) {
        last = outcome;
        return outcome;
    }

    private Outcome apply(SitesConfig now, SitesConfig next, String trigger) throws Exception {
        Map<String, Site> before = byId(now);
        Map<String, Site> after = byId(next);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        after.keySet().stream().filter(id -> !before.containsKey(id)).forEach(added::add);
        before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(removed::add);
        after.keySet().stream().filter(id -> before.containsKey(id) && !before.get(id).equals(after.get(id)))
                .forEach(changed::add);

        // routes made from what changed stop first (deliveries in flight finish on the old config) ...
        boolean pollRemoved = false;
        for (String id : removed) {
            remove(SiteRoutes.deliveryRouteId(id));
            pollRemoved |= remove(Scheduling.pollRouteId(id));
        }
        for (String id : changed) {
            if (!before.get(id).url().equals(after.get(id).url())) {
                remove(SiteRoutes.deliveryRouteId(id));
            }
            if (!pollsAlike(before.get(id), after.get(id))) {
                pollRemoved |= remove(Scheduling.pollRouteId(id));
            }
        }
        // ... then every bean sees the new file, and clients are made again from it ...
        current.replace(next);
        clients.forgetAll();
        if (pollRemoved) {
            Scheduling.removeStalePollJobs(camel);
        }
        // ... and the routes of new and changed sites start from it
        for (Site site : next.sites()) {
            if (camel.getRoute(SiteRoutes.deliveryRouteId(site.id())) == null) {
                SiteRoutes.addDeliveryRoute(camel, site, deliveryConcurrency);
            }
            if (polled(site) && camel.getRoute(Scheduling.pollRouteId(site.id())) == null) {
                Scheduling.addPollRoute(camel, site);
            }
        }
        Map<String, Long> queued = new LinkedHashMap<>();
        Map<String, Waiting> waiting = removed.isEmpty() ? Map.of() : outbox.waitingByTarget();
        for (String id : removed) {
            long pending = waiting.getOrDefault(id, Waiting.NONE).count();
            if (pending > 0) {
                queued.put(id, pending);
                LOG.warn("site {} was removed from sites.yaml with {} change(s) queued for it: they stay in the"
                        + " outbox and are delivered if the site is added back", id, pending);
            }
        }
        added.stream().map(after::get).filter(Site::plainHttpBeyondLoopback).forEach(site -> LOG.warn(
                "site {} is reached over plain http at {}: its application password and its users' data cross"
                        + " the network in clear; use https", site.id(), site.url()));
        boolean linksChanged = !now.links().equals(next.links()) || !now.defaults().equals(next.defaults());
        LOG.info("sites.yaml reloaded ({}): {} site(s), {} link(s); added {}, removed {}, changed {}{}", trigger,
                next.sites().size(), next.links().size(), added, removed, changed,
                linksChanged ? ", links or defaults changed" : "");
        return new Outcome("applied", clock.instant(), trigger, null, added, removed, changed, linksChanged, queued);
    }

    private static boolean polled(Site site) {
        return site.isActive() && site.settings().autoSync();
    }

    private static boolean pollsAlike(Site a, Site b) {
        return polled(a) == polled(b) && a.settings().pollInterval().equals(b.settings().pollInterval());
    }

    private boolean remove(String routeId) throws Exception {
        if (camel.getRoute(routeId) == null) {
            return false;
        }
        camel.getRouteController().stopRoute(routeId);
        return camel.removeRoute(routeId);
    }

    private static Map<String, Site> byId(SitesConfig sites) {
        return sites.sites().stream().collect(Collectors.toMap(Site::id, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }
}
