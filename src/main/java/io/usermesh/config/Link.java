package io.usermesh.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A link {@code between: [site, remote]}: changes flow only along links.
 *
 * @param outgoing what site sends to remote
 * @param incoming what site accepts from remote
 * @param metaKeys the user meta keys allowed over this link (the METADATA action carries only these)
 */
public record Link(String site, String remote, Direction direction, Set<Action> outgoing, Set<Action> incoming,
        List<String> metaKeys) {

    public Link {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(direction, "direction");
        outgoing = enumSet(outgoing);
        incoming = enumSet(incoming);
        metaKeys = List.copyOf(metaKeys);
    }

    // An EnumSet keeps actions in declaration order, which makes printed links stable.
    private static Set<Action> enumSet(Set<Action> actions) {
        EnumSet<Action> copy = EnumSet.noneOf(Action.class);
        copy.addAll(actions);
        return Collections.unmodifiableSet(copy);
    }

    public boolean involves(String siteId) {
        return site.equals(siteId) || remote.equals(siteId);
    }

    /** The site at the other end from {@code siteId}. */
    public String other(String siteId) {
        if (!involves(siteId)) {
            throw new IllegalArgumentException("link " + site + "<->" + remote + " does not involve " + siteId);
        }
        return site.equals(siteId) ? remote : site;
    }

    /**
     * Whether this link lets {@code action} flow from one end to the other. A change from site to remote needs
     * direction push or bidirectional and the action in outgoing; from remote to site it needs pull or
     * bidirectional and the action in incoming. A site's status and prohibitIncoming are checked elsewhere.
     */
    /** Whether changes made on {@code from} (one of the ends) travel to the other end at all. */
    public boolean flowsFrom(String from) {
        return direction == Direction.BIDIRECTIONAL || (direction == Direction.PUSH) == site.equals(from);
    }

    public boolean carries(String from, String to, Action action) {
        if (site.equals(from) && remote.equals(to)) {
            return direction != Direction.PULL && outgoing.contains(action);
        }
        if (remote.equals(from) && site.equals(to)) {
            return direction != Direction.PUSH && incoming.contains(action);
        }
        return false;
    }
}
