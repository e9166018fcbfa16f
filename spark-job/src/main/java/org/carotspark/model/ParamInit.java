package org.carotspark.model;

import org.carotspark.seed.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic parameter initialisation independent of ND4J's global RNG: each parameter gets its
 * own generator derived from (seed, owner, parameter name), so the values do not depend on the
 * order in which DL4J initialises layers.
 */
public final class ParamInit {

    /** Random parameter tensors this JVM has drawn (tests check that no graph is initialised only to be overwritten). */
    private static final AtomicLong DRAWS = new AtomicLong();

    private ParamInit() {
    }

    public static long draws() {
        return DRAWS.get();
    }

    /** Fills {@code view} with N(0, std²). */
    static void normal(INDArray view, double std, long seed, String owner, String param) {
        DRAWS.incrementAndGet();
        SplittableRandom r = Seeds.random(seed, "init/" + owner, param);
        long n = view.length();
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * std;
        }
        view.assign(Nd4j.createFromArray(v).reshape(view.ordering(), view.shape()).castTo(view.dataType()));
    }

    static void constant(INDArray view, double value) {
        view.assign(value);
    }
}
