package org.carotspark.weights;

import org.carotspark.config.UserFacingException;
import org.carotspark.model.ClipModelConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a checkpoint's tensors with {@link ClipTensorLayout}'s table before anything is loaded,
 * so a mismatch is reported in full, by name, and never half-applied: missing tensors, unexpected
 * ones, wrong shapes (expected vs found) and dtypes that cannot be read as floats.
 */
public final class StateDictValidator {

    /** How many names each category lists before "and N more". */
    private static final int LISTED = 8;

    /** The outcome; empty lists mean the file fits the config. */
    public record Report(List<String> missing, List<String> unexpected, List<String> wrongShape,
                         List<String> unreadable) {

        public boolean ok() {
            return missing.isEmpty() && unexpected.isEmpty() && wrongShape.isEmpty() && unreadable.isEmpty();
        }

        /** One line naming every problem category with its first tensors. */
        public String describe() {
            List<String> parts = new ArrayList<>();
            part(parts, "missing", missing);
            part(parts, "unexpected", unexpected);
            part(parts, "wrong shape", wrongShape);
            part(parts, "unsupported dtype", unreadable);
            return parts.isEmpty() ? "ok" : String.join("; ", parts);
        }

        private static void part(List<String> parts, String what, List<String> items) {
            if (items.isEmpty()) {
                return;
            }
            String listed = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
            parts.add(items.size() + " " + what + ": " + listed
                    + (items.size() > LISTED ? " and " + (items.size() - LISTED) + " more" : ""));
        }

        /** Throws a {@link UserFacingException} naming {@code source} unless {@link #ok()}. */
        public void requireOk(String source) {
            if (!ok()) {
                throw new UserFacingException(source + " does not match the model config: " + describe());
            }
        }
    }

    private StateDictValidator() {
    }

    public static Report validate(Collection<TensorInfo> found, ClipModelConfig config, StateDictNaming naming) {
        Map<String, TensorInfo> byName = new HashMap<>();
        for (TensorInfo t : found) {
            byName.put(t.name(), t);
        }
        List<String> missing = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        Set<String> expectedNames = new java.util.HashSet<>();
        for (ClipTensorLayout.Entry e : ClipTensorLayout.expected(config, naming)) {
            expectedNames.add(e.name());
            TensorInfo t = byName.get(e.name());
            if (t == null) {
                missing.add(e.name());
                continue;
            }
            if (!Arrays.equals(e.shape(), t.shape())) {
                wrongShape.add(e.name() + " expected " + Arrays.toString(e.shape()) + " found " + Arrays.toString(t.shape()));
            }
            if (!t.dtype().readableAsFloat()) {
                unreadable.add(e.name() + " is " + t.dtype());
            }
        }
        Set<String> ignorable = ClipTensorLayout.ignorable(naming);
        List<String> unexpected = new ArrayList<>();
        for (TensorInfo t : found) {
            if (!expectedNames.contains(t.name()) && !ignorable.contains(t.name())) {
                unexpected.add(t.name());
            }
        }
        unexpected.sort(null);
        return new Report(List.copyOf(missing), List.copyOf(unexpected), List.copyOf(wrongShape), List.copyOf(unreadable));
    }
}
