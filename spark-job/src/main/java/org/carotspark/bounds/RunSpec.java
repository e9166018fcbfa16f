package org.carotspark.bounds;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One trained model: a variant at one regulariser strength and one seed (evaluated on every shift). */
public record RunSpec(Variant variant, double lambdaOc, double lambdaSd, int seed) implements Serializable {

    /** Stable text key, e.g. {@code both/oc=0.3/sd=1.5/seed=2}. */
    public String key() {
        return String.format(Locale.ROOT, "%s/oc=%s/sd=%s/seed=%d", variant.id(), fmt(lambdaOc), fmt(lambdaSd), seed);
    }

    /** The regulariser strengths without the seed: the unit over which seeds are averaged. */
    public String strengthKey() {
        return String.format(Locale.ROOT, "oc=%s sd=%s", fmt(lambdaOc), fmt(lambdaSd));
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The whole grid in a fixed order: variants, then strengths, then seeds. */
    public static List<RunSpec> grid(BoundsSettings s) {
        List<RunSpec> out = new ArrayList<>();
        for (int seed : s.seeds()) {
            out.add(new RunSpec(Variant.PLAIN, 0, 0, seed));
        }
        for (double oc : s.ocStrengths()) {
            for (int seed : s.seeds()) {
                out.add(new RunSpec(Variant.SV, oc, 0, seed));
            }
        }
        for (double sd : s.sdStrengths()) {
            for (int seed : s.seeds()) {
                out.add(new RunSpec(Variant.SD, 0, sd, seed));
            }
        }
        if (s.bothProduct()) {
            for (double oc : s.ocStrengths()) {
                for (double sd : s.sdStrengths()) {
                    for (int seed : s.seeds()) {
                        out.add(new RunSpec(Variant.BOTH, oc, sd, seed));
                    }
                }
            }
        } else {
            for (int i = 0; i < s.ocStrengths().size(); i++) {
                for (int seed : s.seeds()) {
                    out.add(new RunSpec(Variant.BOTH, s.ocStrengths().get(i), s.sdStrengths().get(i), seed));
                }
            }
        }
        return out;
    }
}
