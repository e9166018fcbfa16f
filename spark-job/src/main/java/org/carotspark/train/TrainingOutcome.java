package org.carotspark.train;

import org.carotspark.loss.LossTerms;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A finished (or zero-step) training: the student graph, the step it resumed from (0 for a fresh start), how
 * long it took and where the rounds' time went, the EMA teacher's updates and its flat parameters (null when the method does not distil), and the last
 * round's loss terms (null when nothing was trained).
 */
public record TrainingOutcome(ComputationGraph student, long resumedFromStep, long steps, double wallSeconds, RoundTimings timings,
                              int teacherUpdates, float[] teacherParams, LossTerms lastRoundTerms) {
}
