package io.usermesh.model;

import io.usermesh.config.MatchBy;
import io.usermesh.wordpress.WpUser;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fields of a user that usermesh syncs, as one site shows them. Roles are sorted and meta is
 * ordered so that equal users have equal fingerprints whatever order WordPress lists them in.
 *
 * @param companion what the companion plugin shows of the user (password digest, toggles); null on a
 *        site without it, and in snapshots written before it was installed
 */
public record UserState(String username, String email, String name, String firstName, String lastName,
        String nickname, String url, String description, List<String> roles, Map<String, String> meta,
        CompanionFields companion) {

    public UserState {
        roles = roles.stream().sorted().toList();
        meta = java.util.Collections.unmodifiableMap(new TreeMap<>(meta));
    }

    /** A user as a site without the companion plugin shows it. */
    public UserState(String username, String email, String name, String firstName, String lastName,
            String nickname, String url, String description, List<String> roles, Map<String, String> meta) {
        this(username, email, name, firstName, lastName, nickname, url, description, roles, meta, null);
    }

    public static UserState of(WpUser user) {
        return new UserState(user.username(), user.email(), user.name(), user.firstName(), user.lastName(),
                user.nickname(), user.url(), user.description(), user.roles(), user.meta(), user.companion());
    }

    /** How this user is found on another site. Emails compare without case, logins as WordPress stores them. */
    public String key(MatchBy matchBy) {
        return matchBy == MatchBy.EMAIL ? email.toLowerCase(Locale.ROOT) : username;
    }

    /** How audit rows, outbox rows and links name the user: the email without case, else the login. */
    public String auditKey() {
        return email.isBlank() ? username : email.toLowerCase(Locale.ROOT);
    }

    /**
     * SHA-256 over every synced field, and over the companion's fields where the site shows them (so
     * a site without the companion keeps the fingerprints it always had).
     */
    public String fingerprint() {
        return Hashes.sha256(username + '\n' + groupText(FieldGroup.PROFILE) + '\n' + groupText(FieldGroup.ROLES) + '\n'
                + groupText(FieldGroup.METADATA) + (companion == null ? "" : '\n' + companion.text()));
    }

    /**
     * The groups whose fields differ from {@code before}. The password counts as changed only when
     * both states show a digest: the companion's first appearance is not a password change.
     */
    public Set<FieldGroup> changedFrom(UserState before) {
        Set<FieldGroup> changed = EnumSet.noneOf(FieldGroup.class);
        for (FieldGroup group : List.of(FieldGroup.PROFILE, FieldGroup.ROLES, FieldGroup.METADATA)) {
            if (!groupText(group).equals(before.groupText(group))) {
                changed.add(group);
            }
        }
        if (hasPasswordDigest() && before.hasPasswordDigest()
                && !companion.password().equals(before.companion().password())) {
            changed.add(FieldGroup.PASSWORD);
        }
        return changed;
    }

    /** Whether the site shows a password digest (the companion plugin): its password changes are seen. */
    public boolean hasPasswordDigest() {
        return companion != null && !companion.password().isEmpty();
    }

    private String groupText(FieldGroup group) {
        return switch (group) {
            case PROFILE -> String.join("\u0001", email.toLowerCase(Locale.ROOT), name, firstName, lastName,
                    nickname, url, description);
            case ROLES -> String.join(",", roles);
            case METADATA -> meta.toString();
            case PASSWORD -> hasPasswordDigest() ? companion.password() : "";
        };
    }

    public String toJson() {
        return Json.write(this);
    }

    public static UserState fromJson(String json) {
        return Json.read(json, UserState.class);
    }
}
