package io.usermesh.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a reconciliation found to do: per target site the users to create, update and delete so
 * that it matches its sources as far as the links allow, and what it leaves alone and why.
 *
 * @param runId names this reconciliation; its changes carry event ids {@code rc-<runId>-<n>}
 * @param listings every site listed, with its user count
 * @param items one per user and target, sorted by target, action and user
 * @param notes what was not reconciled at all (paused sites, incomplete listings)
 */
public record ReconcilePlan(String runId, Instant plannedAt, List<Listed> listings, List<Item> items,
        List<String> notes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Op {
        CREATE, UPDATE, DELETE, SKIP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One site's listing. */
    public record Listed(String site, int users, int reportedTotal, boolean complete) {
    }

    /**
     * One thing to do (or left alone) for one user on one target.
     *
     * @param userKey the user's email (lowercase), or login when it has none
     * @param groups for an update, the field groups that differ and will be sent
     * @param reason for a skip, why; for a delete, what is gone
     * @param change what is queued for it (null for a skip)
     * @param targetState the target's user as listed (null for a create)
     */
    public record Item(String target, Op op, String userKey, String source, long sourceUserId, Long targetUserId,
            Set<FieldGroup> groups, String reason, UserChange change, UserState targetState) {

        public Item {
            groups = groups.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(groups));
        }

        public boolean isChange() {
            return op != Op.SKIP;
        }

        /** e.g. {@code blog  update  ann@example.com  (profile, roles)  from shop} */
        public String line(int targetWidth) {
            String detail = switch (op) {
                case CREATE -> "from " + source;
                case UPDATE -> "(" + groupNames(groups) + ")  from " + source;
                case DELETE -> "(" + reason + ")";
                case SKIP -> "from " + source + ": " + reason;
            };
            return String.format("%-" + targetWidth + "s  %-6s  %s  %s", target, op.label(), userKey, detail);
        }
    }

    /** Per target, how many of each. */
    public record TargetCounts(String target, int create, int update, int delete, int skipped) {
        public int changes() {
            return create + update + delete;
        }
    }

    public ReconcilePlan {
        listings = List.copyOf(listings);
        items = items.stream().sorted(Comparator.comparing(Item::target).thenComparing(Item::op)
                .thenComparing(Item::userKey).thenComparing(Item::source)).toList();
        notes = List.copyOf(notes);
    }

    /** The items that change something. */
    public List<Item> changes() {
        return items.stream().filter(Item::isChange).toList();
    }

    public List<TargetCounts> counts() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Item item : items) {
            counts.computeIfAbsent(item.target(), t -> new int[4])[item.op().ordinal()]++;
        }
        return counts.entrySet().stream()
                .map(e -> new TargetCounts(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2],
                        e.getValue()[3]))
                .toList();
    }

    /** As text: one line per user and action, then the counts per target. */
    public void print(PrintWriter out, boolean dryRun) {
        out.println("reconcile " + runId + (dryRun ? " (dry run: nothing is changed)" : "") + ": listed "
                + listings.stream().map(l -> l.site() + " " + l.users() + " users").collect(Collectors.joining(", ")));
        notes.forEach(note -> out.println("note: " + note));
        int width = items.stream().mapToInt(i -> i.target().length()).max().orElse(6);
        items.forEach(item -> out.println(item.line(width)));
        List<TargetCounts> counts = counts();
        if (!counts.isEmpty()) {
            int w = Math.max(6, width);
            out.println(String.format("%-" + w + "s  %6s  %6s  %6s  %7s", "TARGET", "CREATE", "UPDATE", "DELETE",
                    "SKIPPED"));
            for (TargetCounts c : counts) {
                out.println(String.format("%-" + w + "s  %6d  %6d  %6d  %7d", c.target(), c.create(), c.update(),
                        c.delete(), c.skipped()));
            }
        }
        int changes = changes().size();
        out.println(changes == 0 ? "nothing to change: the sites match as far as their links allow"
                : changes + " change(s) " + (dryRun ? "would be made" : "planned"));
        out.flush();
    }

    public ObjectNode toJson(boolean dryRun) {
        ObjectNode root = JSON.createObjectNode();
        root.put("runId", runId);
        root.put("dryRun", dryRun);
        root.put("plannedAt", plannedAt.toString());
        ArrayNode sites = root.putArray("sites");
        for (Listed l : listings) {
            sites.addObject().put("site", l.site()).put("users", l.users()).put("reportedTotal", l.reportedTotal())
                    .put("complete", l.complete());
        }
        ArrayNode targets = root.putArray("targets");
        for (TargetCounts c : counts()) {
            targets.addObject().put("target", c.target()).put("create", c.create()).put("update", c.update())
                    .put("delete", c.delete()).put("skipped", c.skipped());
        }
        ArrayNode list = root.putArray("items");
        for (Item item : items) {
            ObjectNode node = list.addObject();
            node.put("target", item.target());
            node.put("action", item.op().label());
            node.put("user", item.userKey());
            node.put("source", item.source());
            node.put("sourceUserId", item.sourceUserId());
            if (item.targetUserId() == null) {
                node.putNull("targetUserId");
            } else {
                node.put("targetUserId", item.targetUserId());
            }
            ArrayNode groups = node.putArray("groups");
            item.groups().stream().sorted().map(g -> g.name().toLowerCase(Locale.ROOT)).forEach(groups::add);
            if (item.reason() == null) {
                node.putNull("reason");
            } else {
                node.put("reason", item.reason());
            }
            if (item.change() != null) {
                node.put("eventId", item.change().eventId());
            }
        }
        ArrayNode notesNode = root.putArray("notes");
        notes.forEach(notesNode::add);
        return root;
    }

    static String groupNames(Set<FieldGroup> groups) {
        List<String> names = new ArrayList<>();
        groups.stream().sorted().forEach(g -> names.add(g.name().toLowerCase(Locale.ROOT)));
        return String.join(", ", names);
    }
}
