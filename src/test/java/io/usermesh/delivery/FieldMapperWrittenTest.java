package io.usermesh.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.usermesh.model.CompanionFields;
import io.usermesh.model.UserState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An update goes out without a read: what the target's snapshot shows is the "before", the site's
 * answer the "after" for the fields written, and a field changed on the site meanwhile is neither
 * overwritten unnoticed (expect) nor taken for usermesh's own write (asWritten).
 */
class FieldMapperWrittenTest {

    private static UserState ann(String first, String last, List<String> roles, Map<String, String> meta,
            String digest) {
        return new UserState("ann", "ann@example.test", "Ann", first, last, "ann", "", "", roles, meta,
                digest == null ? null : new CompanionFields(digest, false, false));
    }

    @Test
    void expectNamesTheSnapshotsValueOfEveryFieldWrittenAndTheProtectionFound() {
        UserState before = ann("Ann", "Lee", List.of("author"), Map.of("billing_city", "Graz"), "d1");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("first_name", "Anna");
        fields.put("roles", List.of("editor"));
        fields.put("usermesh", Map.of("meta", Map.of("billing_city", "Wien", "billing_phone", "+43"),
                "password_hash", "$wp$2y$10$x"));

        Map<String, Object> expect = FieldMapper.expected(fields, before);

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("billing_city", "Graz");
        meta.put("billing_phone", null); // the user had none: the site must still have none
        assertEquals(Map.of("first_name", "Ann", "roles", List.of("author"), "meta", meta, "protected", false), expect);
        assertEquals(Map.of(), FieldMapper.expected(Map.of("usermesh", Map.of("password_hash", "h")), before),
                "a password alone overwrites nothing that can be compared");
    }

    @Test
    void theStateRecordedTakesTheAnswerForWhatWasWrittenAndTheSnapshotForTheRest() {
        UserState before = ann("Ann", "Lee", List.of("author"), Map.of("billing_city", "Graz"), "d1");
        // the site's answer: first_name written; last_name, a role and the password changed there meanwhile
        UserState after = ann("Anna", "Lee-Smith", List.of("author", "editor"), Map.of("billing_city", "Graz"), "d2");

        UserState recorded = FieldMapper.asWritten(before, after, Map.of("first_name", "Anna"));

        assertEquals(ann("Anna", "Lee", List.of("author"), Map.of("billing_city", "Graz"), "d1"), recorded,
                "the poll still finds what changed on the site");
        assertEquals(after, FieldMapper.asWritten(before, after, Map.of("first_name", "Anna", "last_name", "Lee-Smith",
                "roles", List.of("author", "editor"), "usermesh", Map.of("password_hash", "h"))), "all of it written");
        assertEquals(Map.of(), FieldMapper.asWritten(before, ann("Ann", "Lee", List.of("author"), Map.of(), "d1"),
                Map.of("usermesh", Map.of("meta", Map.of("billing_city", "")))).meta(),
                "a meta key the answer no longer shows was deleted by the write");
    }
}
