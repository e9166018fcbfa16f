package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The settings that determine a run's numbers, one entry per leaf key, and their digest: what a checkpoint or a
 * finished evaluation is valid for. Operational keys (how often to checkpoint, where files are) are left out, so
 * changing them resumes; keys whose value is a location can be replaced by an identity of what is there (a content
 * digest), so moving the files resumes too. Kept as key = value so a real change can say which keys differ.
 *
 * @param settings leaf key (e.g. {@code carot.train.epochs}) → concise rendering of its value
 */
public record SettingsFingerprint(SortedMap<String, String> settings, String digest) {

    public SettingsFingerprint {
        settings = new TreeMap<>(settings);
    }

    /**
     * The leaves under {@code paths}, minus {@code operational} keys (exact leaf keys or whole sub-trees), with
     * {@code replaced} keys' values replaced (added when absent).
     */
    public static SettingsFingerprint of(Config config, Collection<String> paths, Collection<String> operational,
                                         Map<String, String> replaced) {
        SortedMap<String, String> leaves = new TreeMap<>();
        for (String path : paths) {
            if (!config.hasPath(path)) {
                leaves.put(path, "<absent>");
                continue;
            }
            ConfigValue value = config.getValue(path);
            if (value instanceof com.typesafe.config.ConfigObject object) {
                object.toConfig().entrySet().forEach(e -> leaves.put(path + "." + e.getKey(), render(e.getValue())));
            } else {
                leaves.put(path, render(value));
            }
        }
        leaves.keySet().removeIf(key -> operational.stream().anyMatch(op -> key.equals(op) || key.startsWith(op + ".")));
        leaves.putAll(replaced);
        return of(leaves);
    }

    /** A fingerprint of exactly these settings. */
    public static SettingsFingerprint of(Map<String, String> settings) {
        StringBuilder rendered = new StringBuilder();
        new TreeMap<>(settings).forEach((k, v) -> rendered.append(k).append('=').append(v).append('\n'));
        return new SettingsFingerprint(new TreeMap<>(settings), ConfigDigest.sha256Hex(rendered.toString()));
    }

    /**
     * A fingerprint known only by its digest (tests, checkpoints of older versions): equal digests match, and a
     * difference cannot name keys.
     */
    public static SettingsFingerprint opaque(String digest) {
        return new SettingsFingerprint(new TreeMap<>(), digest);
    }

    /** The keys whose values differ between the two, sorted; empty when either side has no recorded settings. */
    public List<String> differingKeys(Map<String, String> other) {
        if (settings.isEmpty() || other.isEmpty()) {
            return List.of();
        }
        Set<String> keys = new TreeSet<>(settings.keySet());
        keys.addAll(other.keySet());
        keys.removeIf(k -> java.util.Objects.equals(settings.get(k), other.get(k)));
        return List.copyOf(keys);
    }

    /** "carot.train.epochs differs", "carot.train.epochs, carot.train.learning-rate differ", or why it cannot say. */
    public String describeDifference(Map<String, String> other) {
        List<String> keys = differingKeys(other);
        return keys.isEmpty() ? "which ones the earlier run did not record"
                : String.join(", ", keys) + (keys.size() == 1 ? " differs" : " differ");
    }

    private static String render(ConfigValue value) {
        return value.render(ConfigRenderOptions.concise());
    }
}
