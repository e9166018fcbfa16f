package org.carotspark.loss;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The named terms of an objective (per-example means, before their λ weights), summed over the
 * minibatches that reported them, as open_clip's distillation loss returns its parts in a dict.
 * Mergeable, so executors' sums add up on the driver.
 */
public final class LossTerms implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> names;
    private final double[] sums;
    private long minibatches;

    public LossTerms(List<String> names) {
        this.names = List.copyOf(names);
        this.sums = new double[names.size()];
    }

    /** One minibatch's terms, in the order of {@code names}. */
    public static LossTerms of(List<String> names, double[] values) {
        LossTerms t = new LossTerms(names);
        t.add(values);
        return t;
    }

    public synchronized void add(double[] values) {
        if (values.length != sums.length) {
            throw new IllegalArgumentException(values.length + " values for terms " + names);
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += values[i];
        }
        minibatches++;
    }

    /** Adds another sum; an empty one (no names yet) takes the other's names. */
    public synchronized LossTerms merge(LossTerms other) {
        if (other.minibatches == 0) {
            return this;
        }
        if (minibatches == 0 && names.isEmpty()) {
            return other.copy();
        }
        if (!names.equals(other.names)) {
            throw new IllegalArgumentException("cannot merge terms " + names + " and " + other.names);
        }
        for (int i = 0; i < sums.length; i++) {
            sums[i] += other.sums[i];
        }
        minibatches += other.minibatches;
        return this;
    }

    public synchronized LossTerms copy() {
        LossTerms c = new LossTerms(names);
        System.arraycopy(sums, 0, c.sums, 0, sums.length);
        c.minibatches = minibatches;
        return c;
    }

    public List<String> names() {
        return names;
    }

    public synchronized long minibatches() {
        return minibatches;
    }

    /** The mean of a term over the minibatches summed, NaN when none reported. */
    public synchronized double mean(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no term '" + name + "' in " + names);
        }
        return minibatches == 0 ? Double.NaN : sums[i] / minibatches;
    }

    public synchronized double[] means() {
        double[] m = new double[sums.length];
        Arrays.setAll(m, i -> minibatches == 0 ? Double.NaN : sums[i] / minibatches);
        return m;
    }

    /** {@code contrastive 2.31, distillation 2.05, orthogonality 0.87}. */
    @Override
    public synchronized String toString() {
        StringJoiner j = new StringJoiner(", ");
        double[] m = means();
        for (int i = 0; i < m.length; i++) {
            j.add(String.format(Locale.ROOT, "%s %.4f", names.get(i), m[i]));
        }
        return j.toString();
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
