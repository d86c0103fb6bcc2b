package io.usermesh.it;

import io.usermesh.config.MatchBy;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Site records with the documented defaults, for tests that build components directly. */
final class TestSites {

    static final SiteSettings DEFAULTS = new SiteSettings(MatchBy.EMAIL, List.of(), true, "admin", Map.of(), 30,
            true, Duration.ofSeconds(30), true);

    private TestSites() {
    }

    static Site site(String id, String url, String user, String password) {
        return new Site(id, id, URI.create(url), SiteStatus.ACTIVE, user, Secret.of(password), false,
                Optional.empty(), DEFAULTS);
    }
}
