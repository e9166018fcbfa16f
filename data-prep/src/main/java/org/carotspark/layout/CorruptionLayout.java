package org.carotspark.layout;

import org.carotspark.data.CorruptionNames;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** ImageNet-C: {@code <corruption>/<severity 1..5>/<wnid>/<file>}. */
public final class CorruptionLayout implements SplitLayout {
    private static final long serialVersionUID = 1L;

    /** ImageNet-C's 15 benchmark corruptions and its 4 extra (held-out) ones. */
    public static final Set<String> CORRUPTIONS = Stream.concat(CorruptionNames.BENCHMARK.stream(),
            CorruptionNames.EXTRA.stream()).collect(Collectors.toUnmodifiableSet());

    private final Map<String, Integer> wnidToIndex;

    public CorruptionLayout(Map<String, Integer> wnidToIndex) {
        this.wnidToIndex = Map.copyOf(wnidToIndex);
    }

    @Override
    public String pattern() {
        return "<corruption>/<severity 1-5>/<wnid>/<file>";
    }

    @Override
    public LayoutEntry classify(String relativePath, String sourcePath) {
        String[] seg = SplitLayout.segments(relativePath, 4);
        if (seg == null) {
            return unexpectedPath(relativePath, sourcePath);
        }
        if (!CORRUPTIONS.contains(seg[0])) {
            return LayoutEntry.rejected(relativePath, sourcePath, LayoutEntry.UNLABELED,
                    "unknown ImageNet-C corruption '" + seg[0] + "'");
        }
        if (!seg[1].matches("[1-5]")) {
            return LayoutEntry.rejected(relativePath, sourcePath, LayoutEntry.UNLABELED,
                    "severity folder '" + seg[1] + "' is not 1..5");
        }
        Integer label = wnidToIndex.get(seg[2]);
        if (label == null) {
            return SplitLayout.unknownWnid(relativePath, sourcePath, seg[2]);
        }
        return LayoutEntry.corrupted(relativePath, sourcePath, label, seg[2], seg[0], Integer.parseInt(seg[1]));
    }
}
