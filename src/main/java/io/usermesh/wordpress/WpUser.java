package io.usermesh.wordpress;

import com.fasterxml.jackson.databind.JsonNode;
import io.usermesh.model.CompanionFields;
import io.usermesh.model.UserState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A user as the REST API shows it with {@code context=edit}. Never carries a password. {@code meta}
 * holds the meta registered for REST and, with the companion plugin, the meta keys usermesh asked for
 * (its field {@code usermesh}); {@code companion} is null on a site without the plugin.
 */
public record WpUser(long id, String username, String name, String firstName, String lastName, String email,
        String url, String description, String nickname, String slug, List<String> roles,
        Map<String, String> meta, Map<String, Boolean> capabilities, CompanionFields companion) {

    public WpUser {
        roles = List.copyOf(roles);
        meta = Map.copyOf(meta);
        capabilities = Map.copyOf(capabilities);
    }

    /** A user as usermesh last saw it (its snapshot), for steps that need only the id and those fields. */
    public static WpUser of(long id, UserState state) {
        return new WpUser(id, state.username(), state.name(), state.firstName(), state.lastName(), state.email(),
                state.url(), state.description(), state.nickname(), "", state.roles(), state.meta(), Map.of(),
                state.companion());
    }

    public static WpUser fromJson(JsonNode node) {
        List<String> roles = new ArrayList<>();
        node.path("roles").forEach(role -> roles.add(role.asText()));
        // WordPress sends "meta": [] rather than {} when no meta is registered.
        Map<String, String> meta = new TreeMap<>();
        node.path("meta").fields().forEachRemaining(e -> meta.put(e.getKey(), metaValue(e.getValue())));
        JsonNode companion = node.path("usermesh");
        companion.path("meta").fields().forEachRemaining(e -> meta.put(e.getKey(), metaValue(e.getValue())));
        Map<String, Boolean> capabilities = new LinkedHashMap<>();
        node.path("capabilities").fields().forEachRemaining(e -> capabilities.put(e.getKey(), e.getValue().asBoolean()));
        return new WpUser(node.path("id").asLong(), text(node, "username"), text(node, "name"),
                text(node, "first_name"), text(node, "last_name"), text(node, "email"), text(node, "url"),
                text(node, "description"), text(node, "nickname"), text(node, "slug"), roles, meta, capabilities,
                companion(companion));
    }

    /** The companion plugin's field, or null when the site has no companion (or an older one without it). */
    private static CompanionFields companion(JsonNode field) {
        if (!field.isObject()) {
            return null;
        }
        JsonNode flags = field.path("flags");
        return new CompanionFields(field.path("password").asText(""), !flags.path("propagation").asBoolean(true),
                flags.path("protected").asBoolean(false));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    private static String metaValue(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
