package org.carotspark.train;

import java.io.Serializable;
import java.util.Locale;

/**
 * Where the rounds' wall time went, summed over rounds: the driver's broadcast of the round's start
 * state, the workers' tasks (per worker: building minibatches, the teacher's targets, fit), waiting
 * for the slowest task, and moving and averaging the results (the rest of the round).
 */
public final class RoundTimings implements Serializable {

    private static final long serialVersionUID = 1L;

    private long rounds;
    private double wall;
    private double broadcast;
    private double apply;
    private double slowestTask;
    private double fit;
    private double data;
    private double teacher;

    void add(double roundWall, double broadcastSeconds, double applySeconds, WorkerResult r) {
        rounds++;
        wall += roundWall;
        broadcast += broadcastSeconds;
        apply += applySeconds;
        slowestTask += r.maxTaskSeconds;
        fit += r.fitSeconds / r.workers;
        data += r.dataSeconds / r.workers;
        teacher += r.teacherSeconds / r.workers;
    }

    public long rounds() { return rounds; }
    /** Total round wall time. */
    public double wallSeconds() { return wall; }
    /** Per worker, summed over rounds. */
    public double fitSeconds() { return fit; }
    public double dataSeconds() { return data; }
    public double teacherSeconds() { return teacher; }
    public double broadcastSeconds() { return broadcast; }
    /** Result transfer and averaging: the round's wall time outside the broadcast, the slowest task and applying. */
    public double aggregationSeconds() {
        return Math.max(0, wall - broadcast - slowestTask - apply) + apply;
    }
    /** The slowest task minus the mean one: workers idling at the round's barrier. */
    public double stragglerSeconds() {
        return Math.max(0, slowestTask - fit - data - teacher);
    }

    /** {@code fit 71% | data 6% | teacher 9% | broadcast 3% | aggregation 8% | straggler 3%}. */
    public String shares() {
        double w = Math.max(wall, 1e-12);
        return String.format(Locale.ROOT, "fit %.0f%% | data %.0f%% | teacher %.0f%% | broadcast %.0f%% | aggregation"
                        + " %.0f%% | straggler %.0f%%", 100 * fit / w, 100 * data / w, 100 * teacher / w,
                100 * broadcast / w, 100 * aggregationSeconds() / w, 100 * stragglerSeconds() / w);
    }
}
