package io.usermesh.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** A push body is UTF-8 JSON naming the user by a whole number; anything else is a 400. */
class PushBodyTest {

    @Test
    void readsTheUserId() {
        assertEquals(42, PushReceiver.userId("{\"id\": 42, \"email\": \"ann@example.test\"}"));
        assertEquals("{\"id\":\"ü\"}", PushReceiver.utf8("{\"id\":\"ü\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\": 1.5}", "{\"id\": \"7\"}", "{\"id\": 1e3}", "{\"id\": 0}", "{\"id\": -3}",
            "{\"id\": 99999999999999999999}", "{\"id\": true}", "{}", "[]", "not json", ""})
    void refusesAnythingButAWholeNumberAboveZero(String body) {
        assertEquals(400, assertThrows(PushRefused.class, () -> PushReceiver.userId(body)).status());
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] latin1 = "{\"id\":1,\"name\":\"J\u00f6rg\"}".getBytes(StandardCharsets.ISO_8859_1);

        PushRefused refused = assertThrows(PushRefused.class, () -> PushReceiver.utf8(latin1));
        assertEquals(400, refused.status());
        assertEquals("body is not UTF-8", refused.getMessage());
    }
}
