package io.usermesh.wordpress;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A user as the REST API shows it with {@code context=edit}. Never carries a password. */
public record WpUser(long id, String username, String name, String firstName, String lastName, String email,
        String url, String description, String nickname, String slug, List<String> roles,
        Map<String, String> meta, Map<String, Boolean> capabilities) {

    public WpUser {
        roles = List.copyOf(roles);
        meta = Map.copyOf(meta);
        capabilities = Map.copyOf(capabilities);
    }

    public static WpUser fromJson(JsonNode node) {
        List<String> roles = new ArrayList<>();
        node.path("roles").forEach(role -> roles.add(role.asText()));
        // WordPress sends "meta": [] rather than {} when no meta is registered.
        Map<String, String> meta = new TreeMap<>();
        node.path("meta").fields().forEachRemaining(e -> meta.put(e.getKey(), metaValue(e.getValue())));
        Map<String, Boolean> capabilities = new LinkedHashMap<>();
        node.path("capabilities").fields().forEachRemaining(e -> capabilities.put(e.getKey(), e.getValue().asBoolean()));
        return new WpUser(node.path("id").asLong(), text(node, "username"), text(node, "name"),
                text(node, "first_name"), text(node, "last_name"), text(node, "email"), text(node, "url"),
                text(node, "description"), text(node, "nickname"), text(node, "slug"), roles, meta, capabilities);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    private static String metaValue(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
