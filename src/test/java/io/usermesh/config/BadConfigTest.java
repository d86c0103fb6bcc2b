package io.usermesh.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each directory under config-cases/ is a config dir with one mistake. Every secret in those files and in the
 * environment below contains "s3cr3t", so that no error message may contain that text.
 */
class BadConfigTest {

    private static final Map<String, String> ENV = Map.of("SHOP_PASS", "s3cr3t-from-env");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            malformed-yaml               | sites.yaml | 6  | -                              | malformed YAML
            top-level-not-mapping        | sites.yaml | 2  | -                              | the top level must be a mapping with the keys defaults, sites, links
            empty-file                   | sites.yaml | 0  | -                              | the file is empty
            unknown-top-key              | sites.yaml | 8  | link                           | unknown key; allowed here: defaults, sites, links
            unknown-defaults-key         | sites.yaml | 3  | defaults.pollIntervall         | unknown key; allowed here: matchBy, syncRoles, createOnEdit, deleteReassign, roleMap, logRetentionDays, syncLog, pollInterval, autoSync
            unknown-site-key             | sites.yaml | 6  | sites[0].webhok                | unknown key; allowed here: id, name, url, status, username, applicationPassword, prohibitIncoming, webhook, matchBy,
            unknown-webhook-key          | sites.yaml | 7  | sites[0].webhook.allowIP       | unknown key; allowed here: secret, allowIps, allowSources
            unknown-link-key             | sites.yaml | 10 | links[0].directon              | unknown key; allowed here: between, direction, outgoing, incoming, metaKeys
            duplicate-key                | sites.yaml | 5  | sites[0].url                   | duplicate key (first at line 3)
            missing-id                   | sites.yaml | 5  | sites[1].id                    | missing; this key is required
            missing-url                  | sites.yaml | 2  | sites[0].url                   | missing; this key is required
            missing-username             | sites.yaml | 2  | sites[0].username              | missing; this key is required
            malformed-url                | sites.yaml | 3  | sites[0].url                   | malformed URL 'ftp://shop.example.com': must be an absolute http or https URL with a host
            url-with-credentials         | sites.yaml | 3  | sites[0].url                   | must not contain a user name or password
            malformed-id                 | sites.yaml | 2  | sites[0].id                    | malformed id 'Main_Shop': use 1 to 32 characters from a-z, 0-9 and '-'
            duplicate-id                 | sites.yaml | 5  | sites[1].id                    | duplicate site id 'shop' (first at line 2)
            link-unknown-site            | sites.yaml | 9  | links[0].between[1]            | unknown site 'blgo'; sites defined: shop, blog
            link-same-site               | sites.yaml | 9  | links[0].between               | names site 'shop' twice
            link-between-three           | sites.yaml | 9  | links[0].between               | must name exactly two sites
            link-missing-between         | sites.yaml | 9  | links[0].between               | missing; this key is required
            link-unknown-direction       | sites.yaml | 10 | links[0].direction             | unknown direction 'sideways'; allowed: push, pull, bidirectional
            link-unknown-action          | sites.yaml | 13 | links[0].incoming[1]           | unknown action 'update'; allowed: create, edit, delete, password, roles, metadata
            duplicate-link               | sites.yaml | 11 | links[1].between               | duplicate link between 'blog' and 'shop' (first at line 9)
            unknown-status               | sites.yaml | 4  | sites[0].status                | unknown status 'disabled'; allowed: active, paused
            unknown-matchby              | sites.yaml | 2  | defaults.matchBy               | unknown matchBy 'phone'; allowed: email, username
            bad-duration                 | sites.yaml | 2  | defaults.pollInterval          | bad duration '30': use a number with a unit
            bad-number                   | sites.yaml | 5  | sites[0].logRetentionDays      | bad number 'thirty'
            bad-boolean                  | sites.yaml | 6  | sites[0].prohibitIncoming      | bad boolean 'yes': use true or false
            bad-cidr                     | sites.yaml | 9  | sites[0].webhook.allowIps[1]   | bad CIDR '10.0.0.300/8'
            rolemap-not-mapping          | sites.yaml | 2  | defaults.roleMap               | must be a mapping from role to role
            rolemap-nested-value         | sites.yaml | 7  | sites[0].roleMap.customer      | must map a role name to a role name
            unresolvable-env             | sites.yaml | 5  | sites[0].applicationPassword   | cannot resolve ${env:SHOP_PASS_SUFFIX}: environment variable SHOP_PASS_SUFFIX is not set
            unreadable-file-placeholder  | sites.yaml | 5  | sites[0].applicationPassword   | cannot resolve ${file:secrets/missing.txt}: cannot read
            placeholder-value-not-echoed | sites.yaml | 5  | sites[0].pollInterval          | bad duration '${env:SHOP_PASS}'
            missing-sites-file           | sites.yaml | 0  | -                              | file not found; this file is required
            props-unknown-usermesh-key   | application.properties | 2 | usermesh.admin.tokn       | unknown key; allowed usermesh keys: usermesh.db.url,
            props-unknown-other-key      | application.properties | 2 | server.port               | unknown key; only the usermesh.* keys and camel.* keys
            props-bad-port               | application.properties | 2 | usermesh.http.port        | must be a port number 1..65535 (or 0 for any free port), got 70000
            props-bad-duration           | application.properties | 1 | usermesh.wp.connectTimeout | bad duration '5'
            props-bad-number             | application.properties | 2 | usermesh.db.poolSize      | must be at least 1, got 0
            props-unresolvable-env       | application.properties | 2 | usermesh.db.password      | cannot resolve ${env:DB_PASSWORD}: environment variable DB_PASSWORD is not set
            props-duplicate-key          | application.properties | 3 | usermesh.http.port        | duplicate key (first at line 1)
            props-same-ports             | application.properties | 2 | usermesh.management.port  | usermesh.http.port and usermesh.management.port must differ (both are 9000)
            props-bad-cron               | application.properties | 1 | usermesh.reconcile.cron   | bad cron expression '0 0 3 * *'
            props-continuation-line      | application.properties | 4 | usermesh.wp.responseTimeout | bad duration 'soon'
            props-short-token            | application.properties | 2 | usermesh.admin.token      | the admin token must be at least 32 characters (it has 12)
            props-bad-size               | application.properties | 1 | usermesh.http.maxHookBody | bad size '1GiB': use a whole number of bytes or a unit KiB or MiB
            props-bad-push-period        | application.properties | 2 | usermesh.push.periodMs    | must be a whole number of milliseconds from 10 to 60000, got 5
            props-bad-outbox-period      | application.properties | 3 | usermesh.outbox.periodMs  | bad number '0.5s': expected a whole number
            props-bad-site-health-period | application.properties | 1 | usermesh.siteHealth.period | bad duration '60000': use a number with a unit
            props-empty-purge-cron       | application.properties | 2 | usermesh.audit.purgeCron  | must not be empty: a Quartz cron expression
            """)
    void reportsFileLineAndKey(String caseName, String fileName, int line, String key, String problem)
            throws URISyntaxException {
        Path dir = Path.of(BadConfigTest.class.getResource("/config-cases/" + caseName).toURI());

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, ENV));

        String file = dir.resolve(fileName).toString();
        assertEquals(file, e.file(), "file");
        assertEquals(line, e.line(), () -> "line of " + e.getMessage());
        assertEquals(key, e.key(), () -> "key of " + e.getMessage());
        assertTrue(e.problem().contains(problem), () -> "problem of " + e.getMessage());
        assertEquals(file + ":" + line + ": " + key + ": " + e.problem(), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), () -> "secret leaked: " + e.getMessage());
    }
}
