package io.usermesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretTest {

    @TempDir
    Path dir;

    @Test
    void secretHidesItsValue() {
        Secret secret = Secret.of("hunter2");

        assertEquals("******", secret.toString());
        assertEquals("(empty)", Secret.EMPTY.toString());
        assertEquals("hunter2", secret.reveal());
        assertFalse(secret.isEmpty());
        assertSame(Secret.EMPTY, Secret.of(""));
        assertSame(Secret.EMPTY, Secret.of(null));
        assertEquals(Secret.of("hunter2"), secret);
        assertNotEquals(Secret.of("hunter3"), secret);
    }

    @Test
    void loadedRecordsNeverPrintSecrets() throws IOException {
        Files.writeString(dir.resolve("application.properties"), """
                usermesh.db.url=jdbc:mariadb://dbuser:s3cr3t-url-pass@db:3306/usermesh?password=s3cr3t-query
                usermesh.db.password=s3cr3t-db
                usermesh.admin.token=${file:token}
                camel.component.sql.password=s3cr3t-camel
                """);
        Files.writeString(dir.resolve("token"), "s3cr3t-token-long-enough-for-the-api-0\n");
        Files.writeString(dir.resolve("sites.yaml"), """
                sites:
                  - id: shop
                    url: https://shop.example.com
                    username: sync-bot
                    applicationPassword: ${env:SHOP_PASS}
                    webhook:
                      secret: s3cr3t-hook
                """);

        UsermeshConfig config = ConfigLoader.load(dir, Map.of("SHOP_PASS", "s3cr3t-app"));

        assertEquals("s3cr3t-token-long-enough-for-the-api-0", config.settings().adminToken().reveal());
        assertEquals("s3cr3t-camel", config.settings().camelProperties().get("camel.component.sql.password"));
        String printed = config.toString();
        assertFalse(printed.contains("s3cr3t"), printed);
        assertTrue(printed.contains("camel.component.sql.password"), "camel keys are still listed");
        assertTrue(printed.contains("dbUrl=jdbc:mariadb://***@db:3306/usermesh?***"), printed);
    }

    @Test
    void dbUrlsAreRedactedForLogs() {
        assertEquals("jdbc:h2:file:./data/usermesh;***", UsermeshSettings.redactDbUrl("jdbc:h2:file:./data/usermesh;PASSWORD=x"));
        assertEquals("jdbc:mariadb://db/u", UsermeshSettings.redactDbUrl("jdbc:mariadb://db/u"));
        assertEquals("", UsermeshSettings.redactDbUrl(""));
    }

    @Test
    void errorsNextToASecretDoNotShowIt() throws IOException {
        Files.writeString(dir.resolve("application.properties"), """
                usermesh.admin.token=s3cr3t-token-long-enough-for-the-api-0
                usermesh.admin.tokn=s3cr3t-typo
                """);

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));

        assertEquals(dir.resolve("application.properties") + ":2: usermesh.admin.tokn", e.getMessage()
                .substring(0, e.getMessage().indexOf(": unknown")));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }
}
