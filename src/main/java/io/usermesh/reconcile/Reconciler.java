package io.usermesh.reconcile;

import io.usermesh.config.Link;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.pipeline.Pipeline;
import io.usermesh.pipeline.UserFlags;
import io.usermesh.wordpress.WordPressClients;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full reconciliation's first half: lists every user of the sites involved (all active sites on a
 * link, or one site and the sites linked to it), one thread per site, and plans what each target
 * needs ({@link Planner}). Changes nothing; {@link Applier} queues the plan.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** The links to reconcile, the sites to list, and what was left out. */
    record Selection(List<Link> links, Set<String> sites, List<String> notes) {

        /** Only the links that also have {@code site} at one end. */
        Selection onlyWith(String site) {
            List<Link> kept = links.stream().filter(link -> link.involves(site)).toList();
            Set<String> ends = new LinkedHashSet<>();
            kept.forEach(link -> {
                ends.add(link.site());
                ends.add(link.remote());
            });
            List<String> allNotes = new ArrayList<>(notes);
            if (kept.isEmpty()) {
                allNotes.add("no active link with " + site + ": nothing to reconcile");
            }
            return new Selection(kept, ends, allNotes);
        }
    }

    private final SitesConfig sites;
    private final WordPressClients clients;
    private final Function<Collection<String>, Bookkeeping> bookkeeping;
    private final PipelineGate gate;
    private final Clock clock;

    /**
     * @param bookkeeping reads user_link and user_snapshot of the given sites
     */
    public Reconciler(SitesConfig sites, WordPressClients clients, Function<Collection<String>, Bookkeeping> bookkeeping,
            PipelineGate gate, Clock clock) {
        this.sites = sites;
        this.clients = clients;
        this.bookkeeping = bookkeeping;
        this.gate = gate;
        this.clock = clock;
    }

    /**
     * The pipeline's rules, user flags included; without the usermesh tables (a dry run before any
     * runner created them) nobody has flags, so the flag rules refuse nothing.
     */
    public static PipelineGate gate(SitesConfig sites, DataSource dataSource, Clock clock) {
        UserFlags flags = StoredBookkeeping.schemaPresent(dataSource) ? new UserFlags(dataSource) : null;
        return new PipelineGate(audit -> new Pipeline(sites, flags, audit, clock));
    }

    /**
     * @param onlySite null for every active site, else this site and the sites linked to it
     * @throws ReconcileException for an unknown or paused site, or a listing that failed
     */
    public ReconcilePlan plan(String onlySite) {
        return plan(onlySite, null, null);
    }

    /**
     * @param toSite null for every site linked to {@code onlySite}, else only the link between the two
     * @param userKey null for every user, else only the users with this email (any case) or login
     *        on each site: one person synced now
     */
    public ReconcilePlan plan(String onlySite, String toSite, String userKey) {
        Selection selection = select(sites, onlySite);
        if (toSite != null) {
            selection = selection.onlyWith(toSite);
        }
        String runId = UUID.randomUUID().toString().substring(0, 8);
        long start = System.nanoTime();
        LOG.info("reconcile {}: listing {} for {} link(s){}", runId, selection.sites(), selection.links().size(),
                userKey == null ? "" : " for user " + userKey);
        Map<String, SiteUsers> listed = listAll(selection.sites());
        try {
            if (userKey != null) {
                listed.replaceAll((site, users) -> {
                    try (users) {
                        return users.only(userKey);
                    }
                });
            }
            Bookkeeping books = bookkeeping.apply(selection.sites());
            ReconcilePlan plan = new Planner(sites, gate, books, clock).plan(runId, selection.links(), listed,
                    selection.notes());
            LOG.info("reconcile {}: {} user(s) listed, {} change(s) planned in {} ms; heap peak {} MB of {} MB",
                    runId, listed.values().stream().mapToInt(SiteUsers::size).sum(), plan.changes().size(),
                    (System.nanoTime() - start) / 1_000_000, heapPeakMb(), Runtime.getRuntime().maxMemory() >> 20);
            return plan;
        } finally {
            listed.values().forEach(SiteUsers::close); // their temporary files
        }
    }

    /** The most heap used so far, summed over the heap pools. */
    private static long heapPeakMb() {
        return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage() == null ? 0 : pool.getPeakUsage().getUsed())
                .sum() >> 20;
    }

    static Selection select(SitesConfig sites, String onlySite) {
        List<Link> candidates = sites.links();
        if (onlySite != null) {
            Site site = sites.site(onlySite).orElseThrow(() -> new ReconcileException("unknown site '" + onlySite
                    + "'"));
            if (!site.isActive()) {
                throw new ReconcileException("site " + onlySite + " is paused; resume it to reconcile it");
            }
            candidates = sites.linksOf(onlySite);
        }
        List<Link> links = new ArrayList<>();
        Set<String> listed = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        for (Link link : candidates) {
            List<String> paused = List.of(link.site(), link.remote()).stream()
                    .filter(id -> !sites.site(id).map(Site::isActive).orElse(false)).toList();
            if (!paused.isEmpty()) {
                notes.add("link " + link.site() + "-" + link.remote() + " not reconciled: "
                        + String.join(" and ", paused) + (paused.size() == 1 ? " is" : " are") + " paused");
                continue;
            }
            links.add(link);
            listed.add(link.site());
            listed.add(link.remote());
        }
        if (links.isEmpty()) {
            notes.add("no link with both ends active: nothing to reconcile");
        }
        return new Selection(links, listed, notes);
    }

    private Map<String, SiteUsers> listAll(Set<String> siteIds) {
        if (siteIds.isEmpty()) {
            return new LinkedHashMap<>();
        }
        ExecutorService pool = Executors.newFixedThreadPool(siteIds.size(), r -> {
            Thread t = new Thread(r, "reconcile-list");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<SiteUsers>> futures = new LinkedHashMap<>();
            for (String id : siteIds) {
                Site site = sites.site(id).orElseThrow();
                futures.put(id, pool.submit(() -> SiteLister.list(clients.client(site))));
            }
            Map<String, SiteUsers> listed = new LinkedHashMap<>();
            for (Map.Entry<String, Future<SiteUsers>> f : futures.entrySet()) {
                try {
                    listed.put(f.getKey(), f.getValue().get());
                } catch (ExecutionException e) {
                    futures.values().forEach(other -> other.cancel(true));
                    listed.values().forEach(SiteUsers::close);
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new ReconcileException("listing " + f.getKey() + " failed: " + e.getCause(), e.getCause());
                }
            }
            return listed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReconcileException("reconciliation interrupted while listing; nothing was changed", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
