package io.usermesh.scheduling;

import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A sites.yaml in code: only ids, status and poll interval matter to the scheduler. */
public final class Sites {

    private final List<Site> sites = new ArrayList<>();

    public static Sites of() {
        return new Sites();
    }

    public Sites active(String id, Duration pollInterval) {
        return add(id, SiteStatus.ACTIVE, pollInterval);
    }

    public Sites paused(String id, Duration pollInterval) {
        return add(id, SiteStatus.PAUSED, pollInterval);
    }

    private Sites add(String id, SiteStatus status, Duration pollInterval) {
        SiteSettings d = SiteSettings.DEFAULTS;
        SiteSettings settings = new SiteSettings(d.matchBy(), d.syncRoles(), d.createOnEdit(), d.deleteReassign(),
                d.roleMap(), d.logRetentionDays(), d.syncLog(), pollInterval, d.autoSync());
        sites.add(new Site(id, id, URI.create("http://127.0.0.1:9/" + id), status, "sync-bot", Secret.EMPTY, false,
                Optional.empty(), settings));
        return this;
    }

    public SitesConfig config() {
        return new SitesConfig(SiteSettings.DEFAULTS, sites, List.of());
    }
}
