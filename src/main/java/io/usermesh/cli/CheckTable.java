package io.usermesh.cli;

import io.usermesh.wordpress.SiteCheck;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The check results as a plain-text table, one row per site. */
final class CheckTable {

    private static final String[] HEADER = {"SITE", "URL", "REACHABLE", "REST API", "CREDENTIALS",
        "CAPABILITIES", "APP PASSWORDS", "COMPANION", "RESULT"};

    private final List<SiteCheck> results;

    CheckTable(List<SiteCheck> results) {
        this.results = results;
    }

    void print(PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (SiteCheck r : results) {
            rows.add(new String[] {r.siteId(), r.url(), yesNo(r.reachable()), yesNo(r.restApi()),
                yesNo(r.credentials()), capabilities(r), yesNo(r.applicationPasswords()),
                r.companion() == null ? "-" : r.companion(),
                r.passed() ? "PASS" : "FAIL: " + r.problem()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length - 1; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        out.println(failed == 0 ? results.size() + " site(s) passed"
                : failed + " of " + results.size() + " site(s) failed");
    }

    private static String yesNo(Boolean value) {
        return value == null ? "-" : value ? "yes" : "no";
    }

    private static String capabilities(SiteCheck r) {
        if (r.missingCapabilities() == null) {
            return "-";
        }
        return r.missingCapabilities().isEmpty() ? "ok" : "missing " + String.join(",", r.missingCapabilities());
    }
}
