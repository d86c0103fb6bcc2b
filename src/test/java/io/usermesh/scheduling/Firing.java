package io.usermesh.scheduling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One execution of a site's poll job: where it ran and when (epoch ms, one clock for every JVM of a host). */
public record Firing(String site, String node, String instanceId, long startedMs, long endedMs) {

    /** The pairs of executions of the same site that ran at the same time, whatever runner ran them. */
    public static List<String> overlaps(List<Firing> firings) {
        Map<String, List<Firing>> bySite = new TreeMap<>();
        firings.forEach(f -> bySite.computeIfAbsent(f.site(), k -> new ArrayList<>()).add(f));
        List<String> overlaps = new ArrayList<>();
        bySite.values().forEach(list -> {
            list.sort(Comparator.comparingLong(Firing::startedMs));
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).startedMs() < list.get(i - 1).endedMs()) {
                    overlaps.add(list.get(i - 1) + " / " + list.get(i));
                }
            }
        });
        return overlaps;
    }
}
