package io.usermesh.transfer;

import io.usermesh.config.MatchBy;
import io.usermesh.config.Site;
import io.usermesh.delivery.FieldMapper;
import io.usermesh.detection.Listing;
import io.usermesh.model.FieldGroup;
import io.usermesh.model.UserState;
import io.usermesh.wordpress.WordPressClient;
import io.usermesh.wordpress.WordPressException;
import io.usermesh.wordpress.WpError;
import io.usermesh.wordpress.WpUser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Brings the users of a file into one site: each is found by the site's matchBy (exactly), then
 * created or updated as the mode allows, with the site's roleMap applied to its roles. The whole
 * file is checked before anything is written, so a bad file changes nothing. Created accounts get
 * a password nobody knows (the file has none): people sign in through "lost password".
 */
public final class Importer {

    public enum Mode {
        ADD_ONLY, UPDATE_ONLY, ADD_AND_UPDATE;

        public static Mode of(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new TransferException("--mode must be add-only, update-only or add-and-update, got '" + text + "'");
            }
        }

        boolean adds() {
            return this != UPDATE_ONLY;
        }

        boolean updates() {
            return this != ADD_ONLY;
        }
    }

    /**
     * What the import did; {@code problems} has one line per failed user, {@code stopped} says why
     * the import ended early (the site stopped answering), or is null.
     */
    public record Result(int records, int created, int updated, int unchanged, int skipped, int failed,
            List<String> problems, String stopped) {

        public boolean ok() {
            return failed == 0 && stopped == null;
        }
    }

    /** Ends the second reading of the file when the site stops answering. */
    private static final class Stop extends RuntimeException {
        Stop(String message) {
            super(message, null, false, false);
        }
    }

    private static final int PROGRESS_EVERY = 100;

    private final WordPressClient client;
    private final Site site;
    private final PrintWriter progress;

    public Importer(WordPressClient client, PrintWriter progress) {
        this.client = client;
        this.site = client.site();
        this.progress = progress;
    }

    /** @throws TransferException for a bad file, before anything is written */
    public Result run(Path file, UserFile.Format format, Mode mode) {
        MatchBy matchBy = site.settings().matchBy();
        int records = check(file, format, matchBy);
        Map<String, Long> ids = new HashMap<>();
        Map<Long, UserState> states = new HashMap<>();
        Listing.eachPage(client, page -> {
            for (WpUser user : page.users()) {
                UserState state = UserState.of(user);
                ids.putIfAbsent(state.key(matchBy), user.id());
                states.put(user.id(), state);
            }
        });
        int[] counts = new int[5]; // created, updated, unchanged, skipped, failed
        List<String> problems = new ArrayList<>();
        int[] done = {0};
        String stopped = null;
        try {
            UserFile.read(file, format, entry -> {
                UserState wanted = mapped(entry.user());
                Long id = ids.get(wanted.key(matchBy));
                try {
                    counts[apply(wanted, id, id == null ? null : states.get(id), mode)]++;
                } catch (WordPressException e) {
                    counts[4]++;
                    problems.add("line " + entry.line() + " " + wanted.auditKey() + ": " + e.error().describe());
                    if (e.error().kind() == WpError.Kind.UNREACHABLE || e.error().kind() == WpError.Kind.TIMEOUT) {
                        throw new Stop("stopped at line " + entry.line() + ": " + e.error().describe() + "; " + done[0]
                                + " of " + records + " user(s) were handled");
                    }
                }
                if (++done[0] % PROGRESS_EVERY == 0) {
                    report(done[0], records, counts);
                }
            });
        } catch (Stop e) {
            stopped = e.getMessage();
        }
        report(done[0], records, counts);
        return new Result(records, counts[0], counts[1], counts[2], counts[3], counts[4], problems, stopped);
    }

    /** Reads the whole file once: it must parse, and name no user twice. */
    private static int check(Path file, UserFile.Format format, MatchBy matchBy) {
        Map<String, Integer> seen = new HashMap<>();
        int[] records = {0};
        UserFile.read(file, format, entry -> {
            records[0]++;
            Integer first = seen.putIfAbsent(entry.user().key(matchBy), entry.line());
            if (first != null) {
                throw new TransferException(file + ":" + entry.line() + ": user " + entry.user().key(matchBy)
                        + " is in the file twice (first on line " + first + ")");
            }
        });
        return records[0];
    }

    /** Index into the counts: 0 created, 1 updated, 2 unchanged, 3 skipped by the mode. */
    private int apply(UserState wanted, Long id, UserState current, Mode mode) {
        if (id == null) {
            if (!mode.adds()) {
                return 3;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("username", wanted.username());
            fields.putAll(FieldMapper.profile(wanted));
            putRolesAndMeta(fields, wanted, Set.of(FieldGroup.ROLES, FieldGroup.METADATA));
            fields.put("password", FieldMapper.randomPassword());
            client.createUser(fields);
            return 0;
        }
        if (!mode.updates()) {
            return 3;
        }
        Set<FieldGroup> changed = wanted.changedFrom(current);
        if (changed.isEmpty()) {
            return 2;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        if (changed.contains(FieldGroup.PROFILE)) {
            fields.putAll(FieldMapper.profile(wanted));
        }
        putRolesAndMeta(fields, wanted, changed);
        if (fields.isEmpty()) {
            return 2;
        }
        client.updateUser(id, fields);
        return 1;
    }

    private static void putRolesAndMeta(Map<String, Object> fields, UserState user, Set<FieldGroup> groups) {
        if (groups.contains(FieldGroup.ROLES) && !user.roles().isEmpty()) {
            fields.put("roles", user.roles());
        }
        if (groups.contains(FieldGroup.METADATA) && !user.meta().isEmpty()) {
            fields.put("meta", user.meta());
        }
    }

    private UserState mapped(UserState user) {
        return new UserState(user.username(), user.email(), user.name(), user.firstName(), user.lastName(),
                user.nickname(), user.url(), user.description(),
                FieldMapper.mappedRoles(user, site.settings()), user.meta());
    }

    private void report(int done, int records, int[] counts) {
        progress.printf("import: %s %d/%d (%d created, %d updated, %d unchanged, %d skipped, %d failed)%n", site.id(),
                done, records, counts[0], counts[1], counts[2], counts[3], counts[4]);
        progress.flush();
    }
}
