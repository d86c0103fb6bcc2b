package io.usermesh.wordpress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.usermesh.model.CompanionFields;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user as the REST API answers it, with and without the companion plugin's field "usermesh". */
class WpUserCompanionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static WpUser read(String usermesh) throws Exception {
        return WpUser.fromJson(JSON.readTree("""
                {"id": 7, "username": "ann", "name": "Ann", "first_name": "Ann", "last_name": "Lee",
                 "email": "ann@example.test", "url": "", "description": "", "nickname": "ann", "slug": "ann",
                 "roles": ["customer"], "meta": {"registered_key": "r"}""" + usermesh + "}"));
    }

    @Test
    void theCompanionFieldGivesDigestTogglesAndMeta() throws Exception {
        WpUser user = read("""
                , "usermesh": {"version": "0.3.0", "password": "digest-1",
                               "meta": {"billing_city": "Oslo", "paying_customer": "1"},
                               "flags": {"propagation": false, "protected": true}}""");

        assertEquals(new CompanionFields("digest-1", true, true), user.companion());
        assertEquals(Map.of("registered_key", "r", "billing_city", "Oslo", "paying_customer", "1"), user.meta(),
                "the companion's meta joins the meta registered for REST");
    }

    @Test
    void propagationOnAndUnprotectedAreTheDefaults() throws Exception {
        WpUser user = read(", \"usermesh\": {\"version\": \"0.3.0\", \"password\": \"d\", \"meta\": []}");

        assertEquals(new CompanionFields("d", false, false), user.companion());
        assertEquals(Map.of("registered_key", "r"), user.meta());
    }

    @Test
    void withoutTheFieldThereIsNoCompanion() throws Exception {
        WpUser user = read("");

        assertNull(user.companion());
        assertEquals(Map.of("registered_key", "r"), user.meta());
    }
}
