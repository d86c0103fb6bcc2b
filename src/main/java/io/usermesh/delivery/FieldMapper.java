package io.usermesh.delivery;

import io.usermesh.config.Link;
import io.usermesh.config.Secret;
import io.usermesh.config.SiteSettings;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserChange;
import io.usermesh.model.UserState;
import io.usermesh.wordpress.WordPressClient;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the REST fields for a target from the groups a link lets through. */
@SuppressWarnings("unchecked") // the maps forUpdate builds
public final class FieldMapper {

    private static final SecureRandom RANDOM = new SecureRandom();

    private FieldMapper() {
    }

    /**
     * @param passwordHash the source's password hash when the password travels (read from the source's
     *        companion plugin for this one request), else empty
     */
    public static Map<String, Object> forUpdate(UserChange change, Set<FieldGroup> groups, Link link,
            SiteSettings target, Secret passwordHash) {
        UserState user = change.state();
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> companion = new LinkedHashMap<>();
        if (groups.contains(FieldGroup.PROFILE)) {
            fields.putAll(profile(user));
        }
        if (groups.contains(FieldGroup.ROLES)) {
            fields.put("roles", mappedRoles(user, target));
        }
        if (groups.contains(FieldGroup.METADATA)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            for (String key : link.metaKeys()) {
                if (user.meta().containsKey(key)) {
                    meta.put(key, user.meta().get(key));
                }
            }
            if (!meta.isEmpty()) {
                // core REST writes the keys registered for it; the companion plugin writes any other
                fields.put("meta", meta);
                companion.put("meta", meta);
            }
        }
        if (groups.contains(FieldGroup.PASSWORD) && !passwordHash.isEmpty()) {
            companion.put("password_hash", passwordHash.reveal()); // set as is: no rehash, no plaintext
        }
        if (!companion.isEmpty()) {
            fields.put(WordPressClient.COMPANION_FIELD, companion);
        }
        return fields;
    }

    /**
     * WordPress needs a password to create a user. Without the source's hash the account gets a random
     * password nobody knows: the person signs in through "lost password" on that site. With it, the
     * companion plugin replaces the random password by the hash in the same request.
     */
    public static Map<String, Object> forCreate(UserChange change, Set<FieldGroup> groups, Link link,
            SiteSettings target, Secret passwordHash) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("username", change.state().username());
        fields.put("email", change.state().email());
        fields.putAll(forUpdate(change, groups, link, target, passwordHash));
        fields.putIfAbsent("password", randomPassword());
        return fields;
    }

    /**
     * Of {@code groups}, those in which {@code target} differs from what {@code source} would make of
     * it: profile fields (email without case), roles as the target's roleMap maps them, and the link's
     * metaKeys that the source has. Delivery skips a write when none differ; reconciliation plans one
     * when some do.
     */
    public static Set<FieldGroup> differing(UserState source, UserState target, Set<FieldGroup> groups, Link link,
            SiteSettings targetSettings) {
        Set<FieldGroup> differ = java.util.EnumSet.noneOf(FieldGroup.class);
        if (groups.contains(FieldGroup.PROFILE) && !sameProfile(source, target)) {
            differ.add(FieldGroup.PROFILE);
        }
        if (groups.contains(FieldGroup.ROLES)
                && !mappedRoles(source, targetSettings).stream().sorted().toList().equals(target.roles())) {
            differ.add(FieldGroup.ROLES);
        }
        if (groups.contains(FieldGroup.METADATA) && link.metaKeys().stream().anyMatch(key ->
                source.meta().containsKey(key) && !source.meta().get(key).equals(target.meta().get(key)))) {
            differ.add(FieldGroup.METADATA);
        }
        return differ;
    }

    /**
     * Of an update's fields, those whose value the target does not hold yet: the request is as small
     * as it can be, and a field changed on the target meanwhile that this change did not touch is
     * left alone. The password hash always goes (digests cannot be compared across sites).
     */
    public static Map<String, Object> changedOnly(Map<String, Object> fields, UserState target) {
        Map<String, Object> now = profile(target);
        Map<String, Object> changed = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            switch (key) {
                case "email" -> {
                    if (!target.email().equalsIgnoreCase(String.valueOf(value))) {
                        changed.put(key, value);
                    }
                }
                case "roles" -> {
                    if (!((List<?>) value).stream().map(String::valueOf).sorted().toList().equals(target.roles())) {
                        changed.put(key, value);
                    }
                }
                case "meta" -> putIfNotEmpty(changed, key, metaChanged(value, target));
                case WordPressClient.COMPANION_FIELD -> {
                    Map<String, Object> companion = new LinkedHashMap<>((Map<String, Object>) value);
                    companion.computeIfPresent("meta", (k, meta) -> metaChanged(meta, target));
                    companion.values().removeIf(v -> v instanceof Map<?, ?> m && m.isEmpty());
                    putIfNotEmpty(changed, key, companion);
                }
                default -> {
                    if (!java.util.Objects.equals(value, now.get(key))) {
                        changed.put(key, value);
                    }
                }
            }
        });
        return changed;
    }

    /**
     * What the target held, as its snapshot shows it, of each field an update is about to overwrite:
     * the companion's compare-and-set (usermesh.expect) refuses the update with 409 when the user holds
     * something else now, i.e. it changed on the site since usermesh last saw it. Also the protection
     * flag, which the pipeline found off. Empty when only the password is written.
     */
    public static Map<String, Object> expected(Map<String, Object> fields, UserState before) {
        Map<String, Object> was = profile(before);
        Map<String, Object> expect = new LinkedHashMap<>();
        fields.forEach((key, value) -> {
            if (was.containsKey(key)) {
                expect.put(key, was.get(key));
            } else if ("roles".equals(key)) {
                expect.put(key, before.roles());
            }
        });
        Map<String, Object> meta = new LinkedHashMap<>();
        writtenMetaKeys(fields).forEach(key -> meta.put(key, before.meta().get(key)));
        if (!meta.isEmpty()) {
            expect.put("meta", meta);
        }
        if (!expect.isEmpty()) {
            expect.put("protected", false);
        }
        return expect;
    }

    /**
     * The target's state after an update: the site's answer for the fields written, the snapshot's
     * for every other field. A field the site shows changed that this update did not write was changed
     * on the site since its last poll: keeping the snapshot's value for it lets that poll find the
     * change and send it on, instead of taking it for usermesh's own write.
     */
    public static UserState asWritten(UserState before, UserState after, Map<String, Object> fields) {
        Map<String, String> meta = new java.util.TreeMap<>(before.meta());
        for (String key : writtenMetaKeys(fields)) {
            if (after.meta().containsKey(key)) {
                meta.put(key, after.meta().get(key));
            } else {
                meta.remove(key);
            }
        }
        Map<String, Object> companion = (Map<String, Object>) fields.getOrDefault(WordPressClient.COMPANION_FIELD,
                Map.of());
        return new UserState(after.username(),
                pick(fields, "email", before.email(), after.email()), pick(fields, "name", before.name(), after.name()),
                pick(fields, "first_name", before.firstName(), after.firstName()),
                pick(fields, "last_name", before.lastName(), after.lastName()),
                pick(fields, "nickname", before.nickname(), after.nickname()),
                pick(fields, "url", before.url(), after.url()),
                pick(fields, "description", before.description(), after.description()),
                fields.containsKey("roles") ? after.roles() : before.roles(), meta,
                companion.containsKey("password_hash") || before.companion() == null ? after.companion()
                        : before.companion());
    }

    private static String pick(Map<String, Object> fields, String key, String before, String after) {
        return fields.containsKey(key) ? after : before;
    }

    private static java.util.Set<String> writtenMetaKeys(Map<String, Object> fields) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        if (fields.get("meta") instanceof Map<?, ?> meta) {
            meta.keySet().forEach(k -> keys.add(String.valueOf(k)));
        }
        if (fields.get(WordPressClient.COMPANION_FIELD) instanceof Map<?, ?> companion
                && companion.get("meta") instanceof Map<?, ?> meta) {
            meta.keySet().forEach(k -> keys.add(String.valueOf(k)));
        }
        return keys;
    }

    private static Map<String, Object> metaChanged(Object meta, UserState target) {
        Map<String, Object> changed = new LinkedHashMap<>();
        ((Map<?, ?>) meta).forEach((k, v) -> {
            if (!java.util.Objects.equals(v, target.meta().get(String.valueOf(k)))) {
                changed.put(String.valueOf(k), v);
            }
        });
        return changed;
    }

    private static void putIfNotEmpty(Map<String, Object> fields, String key, Map<String, Object> value) {
        if (!value.isEmpty()) {
            fields.put(key, value);
        }
    }

    private static boolean sameProfile(UserState a, UserState b) {
        return a.email().equalsIgnoreCase(b.email()) && a.name().equals(b.name())
                && a.firstName().equals(b.firstName()) && a.lastName().equals(b.lastName())
                && a.nickname().equals(b.nickname()) && a.url().equals(b.url())
                && a.description().equals(b.description());
    }

    public static List<String> mappedRoles(UserState user, SiteSettings target) {
        return user.roles().stream().map(target::mapRole).distinct().toList();
    }

    /** The profile fields as the REST API takes them. */
    public static Map<String, Object> profile(UserState user) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("email", user.email());
        fields.put("name", user.name());
        fields.put("first_name", user.firstName());
        fields.put("last_name", user.lastName());
        fields.put("nickname", user.nickname());
        fields.put("url", user.url());
        fields.put("description", user.description());
        return fields;
    }

    /** A password nobody knows, for an account whose password cannot be carried over. */
    public static String randomPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
