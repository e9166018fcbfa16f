package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings under {@code carot.} that no {@code reference.conf} on the classpath defines: almost always a typo
 * ({@code carot.prep.image-szie}, {@code carot.train.epoch}) that would otherwise be ignored while the default
 * runs. Each is described with the nearest known key by edit distance.
 */
final class UnknownSettings {

    /** Subtrees whose keys are free-form: passed through verbatim to Spark. */
    private static final List<String> OPEN_SUBTREES = List.of("carot.spark.conf.");
    /**
     * JVM system properties in the carot. namespace that the build gives the tests (root pom, surefire) and that
     * are not settings; system properties are merged into the config, so they would look like unknown keys.
     */
    private static final Set<String> BUILD_PROPERTIES = Set.of("carot.shared.dir", "carot.s3proxy.jar");

    private final Set<String> known;

    private UnknownSettings(Set<String> known) {
        this.known = known;
    }

    /** The keys of every reference.conf on the classpath (not {@code defaultReference()}: that adds system props). */
    static UnknownSettings fromReference() {
        Config reference = ConfigFactory.defaultReferenceUnresolved().resolve(
                ConfigResolveOptions.defaults().setUseSystemEnvironment(false).setAllowUnresolved(true));
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e : reference.entrySet()) {
            known.add(e.getKey());
        }
        return new UnknownSettings(known);
    }

    static UnknownSettings of(Set<String> known) {
        return new UnknownSettings(new TreeSet<>(known));
    }

    /** One description per unknown {@code carot.} setting of a resolved config, in key order. */
    List<String> describeUnknown(Config resolved) {
        List<String> out = new ArrayList<>();
        if (!resolved.hasPath("carot")) {
            return out;
        }
        Set<String> keys = new TreeSet<>();
        resolved.withOnlyPath("carot").entrySet().forEach(e -> keys.add(e.getKey()));
        for (String key : keys) {
            if (known.contains(key) || BUILD_PROPERTIES.contains(key) || OPEN_SUBTREES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            out.add("unknown setting " + key + " (" + resolved.getValue(key).origin().description() + "); did you mean "
                    + nearest(key) + "?");
        }
        return out;
    }

    String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
