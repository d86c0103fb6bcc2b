package io.usermesh.reconcile;

import io.usermesh.config.Action;
import io.usermesh.config.Direction;
import io.usermesh.config.Link;
import io.usermesh.config.MatchBy;
import io.usermesh.config.Secret;
import io.usermesh.config.Site;
import io.usermesh.config.SiteSettings;
import io.usermesh.config.SiteStatus;
import io.usermesh.config.SitesConfig;
import io.usermesh.model.UserState;
import io.usermesh.pipeline.Pipeline;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Sites, links, users and bookkeeping held in memory, for planning tests. */
final class Fixtures {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    private Fixtures() {
    }

    static Site site(String id) {
        return site(id, SiteStatus.ACTIVE, false, List.of(), Map.of(), MatchBy.EMAIL);
    }

    static Site site(String id, SiteStatus status, boolean prohibitIncoming, List<String> syncRoles,
            Map<String, String> roleMap, MatchBy matchBy) {
        SiteSettings settings = new SiteSettings(matchBy, syncRoles, true, "admin", roleMap, 30, true,
                Duration.ofSeconds(30), true);
        return new Site(id, id, URI.create("http://" + id + ".test"), status, "admin", Secret.of("p"),
                prohibitIncoming, Optional.empty(), settings);
    }

    static Link link(String a, String b, Direction direction) {
        return link(a, b, direction, EnumSet.allOf(Action.class), List.of());
    }

    static Link link(String a, String b, Direction direction, Set<Action> actions, List<String> metaKeys) {
        return new Link(a, b, direction, actions, actions, metaKeys);
    }

    static SitesConfig config(List<Site> sites, List<Link> links) {
        return new SitesConfig(SiteSettings.DEFAULTS, sites, links);
    }

    static UserState user(String login, String first) {
        return user(login, first, List.of("author"), Map.of());
    }

    static UserState user(String login, String first, List<String> roles, Map<String, String> meta) {
        return new UserState(login, login + "@example.test", first + " Lee", first, "Lee", login, "", "", roles,
                meta);
    }

    /** Users of one site by id, in the order given: id, state, id, state, … */
    static SiteUsers users(String site, Object... idsAndStates) {
        Map<Long, UserState> users = new LinkedHashMap<>();
        for (int i = 0; i < idsAndStates.length; i += 2) {
            users.put(((Number) idsAndStates[i]).longValue(), (UserState) idsAndStates[i + 1]);
        }
        return SiteUsers.of(site, users);
    }

    /** The pipeline's rules that need no database (no user flags). */
    static PipelineGate gate(SitesConfig config) {
        return new PipelineGate(audit -> new Pipeline(config, null, audit, CLOCK));
    }

    /** user_link and user_snapshot in memory. */
    static final class Books implements Bookkeeping {
        private final Map<String, String> personOf = new HashMap<>();
        private final Map<String, Mark> marks = new HashMap<>();
        private final Map<String, UserState> states = new HashMap<>();
        private int persons;

        Books link(String siteA, long idA, String siteB, long idB) {
            String person = personOf.getOrDefault(siteA + "#" + idA, "p" + (++persons));
            personOf.put(siteA + "#" + idA, person);
            personOf.put(siteB + "#" + idB, person);
            return this;
        }

        Books mark(String site, long id, UserState state, Instant seenAt, Instant changedAt) {
            marks.put(site + "#" + id, Mark.of(state.fingerprint(), seenAt, changedAt));
            states.put(site + "#" + id, state);
            return this;
        }

        @Override
        public Optional<Long> linked(String site, long wpUserId, String otherSite) {
            String person = personOf.get(site + "#" + wpUserId);
            if (person == null) {
                return Optional.empty();
            }
            return personOf.entrySet().stream()
                    .filter(e -> e.getValue().equals(person) && e.getKey().startsWith(otherSite + "#"))
                    .map(e -> Long.parseLong(e.getKey().substring(otherSite.length() + 1)))
                    .findFirst();
        }

        @Override
        public Optional<Mark> mark(String site, long wpUserId) {
            return Optional.ofNullable(marks.get(site + "#" + wpUserId));
        }

        @Override
        public Optional<UserState> lastState(String site, long wpUserId) {
            return Optional.ofNullable(states.get(site + "#" + wpUserId));
        }
    }
}
