package org.carotspark.prep;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import java.util.Collections;
import org.carotspark.data.Split;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code <parquet-root>/manifest.json}: image settings plus one {@link SplitReport} per split. Splits not
 * processed by a run (disabled) keep their previous entry, matching their untouched Parquet data.
 */
public record PrepManifest(int imageSize, int jpegQuality, double heldoutFraction, long heldoutSeed,
                           Map<String, SplitReport> splits) {

    public PrepManifest {
        // Split order as in Split, unknown names last.
        Map<String, SplitReport> ordered = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            if (splits.containsKey(s.configName())) {
                ordered.put(s.configName(), splits.get(s.configName()));
            }
        }
        new TreeMap<>(splits).forEach(ordered::putIfAbsent);
        splits = Collections.unmodifiableMap(ordered);
    }

    public SplitReport split(Split s) {
        return splits.get(s.configName());
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image_size", imageSize);
        m.put("jpeg_quality", jpegQuality);
        m.put("heldout_fraction", heldoutFraction);
        m.put("heldout_seed", heldoutSeed);
        Map<String, Object> s = new LinkedHashMap<>();
        splits.forEach((k, v) -> s.put(k, v.toJsonMap()));
        m.put("splits", s);
        return ConfigValueFactory.fromMap(m).render(ConfigRenderOptions.concise().setJson(true).setFormatted(true))
                + "\n";
    }

    @SuppressWarnings("unchecked")
    public static PrepManifest fromJson(String json) {
        Map<String, Object> m = ConfigFactory.parseString(json,
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)).root().unwrapped();
        Map<String, SplitReport> splits = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("splits")).forEach((k, v) ->
                splits.put(k, SplitReport.fromJsonMap((Map<String, Object>) v)));
        return new PrepManifest(((Number) m.get("image_size")).intValue(), ((Number) m.get("jpeg_quality")).intValue(),
                ((Number) m.get("heldout_fraction")).doubleValue(), ((Number) m.get("heldout_seed")).longValue(),
                splits);
    }
}
