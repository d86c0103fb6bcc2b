package io.usermesh.admin;

import io.usermesh.audit.AuditEntry;
import io.usermesh.audit.AuditFilter;
import io.usermesh.audit.AuditQuery;
import io.usermesh.config.Site;
import io.usermesh.config.SitesConfig;
import io.usermesh.delivery.UserLinks;
import io.usermesh.detection.Snapshot;
import io.usermesh.detection.SnapshotStore;
import io.usermesh.http.IncomingRequest;
import io.usermesh.model.Json;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.UserFlags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/users?q=EMAIL_OR_LOGIN}: one person on every site, from what usermesh knows of
 * each (its snapshot as of the last poll or write, the link between the accounts, the flags, the
 * last audit rows), without a request to any site: the dashboard searches as people type, and a
 * site's search is a scan over all its users.
 */
public final class UserDirectory {

    private static final int ROWS = 20;

    private final Supplier<SitesConfig> sites;
    private final SnapshotStore snapshots;
    private final UserLinks links;
    private final UserFlags flags;
    private final AuditQuery audit;

    public UserDirectory(Supplier<SitesConfig> sites, SnapshotStore snapshots, UserLinks links, UserFlags flags,
            AuditQuery audit) {
        this.sites = sites;
        this.snapshots = snapshots;
        this.links = links;
        this.flags = flags;
        this.audit = audit;
    }

    public String search(Exchange exchange) {
        String wanted = AdminApi.checkedUserKey("q", IncomingRequest.of(exchange).param("q")).trim();
        List<Map<String, Object>> onSites = new ArrayList<>();
        Set<String> auditKeys = new LinkedHashSet<>(); // the audit's user_key: the email in lowercase, else the login
        for (Site site : sites.get().sites()) {
            Optional<Snapshot> found = snapshots.findByKey(site.id(), wanted);
            found.ifPresent(s -> auditKeys.add(s.state().auditKey()));
            onSites.add(onSite(site, found));
        }
        if (auditKeys.isEmpty()) {
            auditKeys.add(wanted.contains("@") ? wanted.toLowerCase(Locale.ROOT) : wanted);
        }
        List<AuditEntry> rows = new ArrayList<>();
        auditKeys.forEach(key -> rows.addAll(audit.find(new AuditFilter(null, null, key, null, null, ROWS))));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("query", wanted);
        answer.put("sites", onSites);
        answer.put("rows", rows);
        return Json.write(answer);
    }

    /**
     * The user on one site: {@code exists} is false when the site's snapshot has no such user, null
     * when the site was never polled (usermesh cannot say).
     */
    private Map<String, Object> onSite(Site site, Optional<Snapshot> found) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("site", site.id());
        if (found.isEmpty()) {
            view.put("exists", snapshots.hasBaseline(site.id()) ? false : null);
            return view;
        }
        Snapshot snapshot = found.get();
        UserState user = snapshot.state();
        UserFlags.Flags f = flags.of(site.id(), user);
        view.put("exists", true);
        view.put("id", snapshot.wpUserId());
        view.put("login", user.username());
        view.put("email", user.email());
        view.put("name", user.name()); // the display name, as the site gave it: the dashboard shows it as text
        view.put("roles", user.roles());
        view.put("seenAt", snapshot.seenAt().toString());
        view.put("person", links.person(site.id(), snapshot.wpUserId()).orElse(null));
        view.put("propagationOff", f.propagationOff());
        view.put("protected", f.isProtected());
        return view;
    }
}
