package org.carotspark.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.carotspark.config.UserFacingException;
import org.carotspark.ema.EmaSettings;
import org.carotspark.loss.CarotLoss;
import org.carotspark.train.Method;
import org.carotspark.train.TrainingSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One row label of the report and what produces it: a configured method ({@code carot.methods}), or a sweep entry
 * ({@code carot.sweep}: FLYP or CaRot with {@code carot.train.*} / {@code carot.loss.*} overrides, e.g. the
 * paper's λ ablations), all from the same initial weights and prepared data, in one report.
 *
 * @param config     the run's configuration with the entry's overrides applied
 * @param sweepEntry whether the entry comes from {@code carot.sweep} (then its model is not the method's own)
 */
record MethodRun(String name, Method method, Config config, boolean sweepEntry) {

    /** The configured methods, then the sweep's entries; every entry's settings are validated here. */
    static List<MethodRun> of(Config config) {
        List<MethodRun> runs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String m : config.getStringList("carot.methods")) {
            Method method = Method.parse(m);
            runs.add(new MethodRun(method.configName(), method, config, false));
            names.add(method.configName());
        }
        List<? extends Config> sweep = config.getConfigList("carot.sweep");
        for (int i = 0; i < sweep.size(); i++) {
            Config entry = sweep.get(i);
            String where = "carot.sweep[" + i + "]";
            if (!entry.hasPath("name") || !entry.hasPath("method")) {
                throw new UserFacingException(where + " needs a name and a method (flyp or carot)");
            }
            String name = entry.getString("name").strip();
            Method method = Method.parse(entry.getString("method"));
            if (method != Method.FLYP && method != Method.CAROT) {
                throw new UserFacingException(where + " (" + name + "): a sweep trains flyp or carot, not " + method.configName());
            }
            if (name.isEmpty() || !names.add(name)) {
                throw new UserFacingException(where + ": the name '" + name + "' is empty or already used");
            }
            Config settings = entry.hasPath("settings") ? entry.getConfig("settings") : ConfigFactory.empty();
            for (String key : settings.root().keySet()) {
                if (!key.equals("train") && !key.equals("loss")) {
                    throw new UserFacingException(where + " (" + name + ") overrides carot." + key + ": a sweep entry"
                            + " may set carot.train.* and carot.loss.* only");
                }
            }
            Config merged = settings.atPath("carot").withFallback(config);
            TrainingSettings.fromConfig(merged, 1);
            EmaSettings.fromConfig(merged);
            CarotLoss.fromConfig(merged);
            runs.add(new MethodRun(name, method, merged, true));
        }
        return runs;
    }
}
