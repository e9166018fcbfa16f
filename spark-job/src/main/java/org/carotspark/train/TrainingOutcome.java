package org.carotspark.train;

import org.carotspark.loss.LossTerms;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Map;

/**
 * A finished (or zero-step) training: the student graph, how long it took, and where a round's
 * time went ({@code fitSeconds}: workers' fit time averaged over workers; the rest of the round's
 * wall time is averaging, broadcasts, data movement and teacher targets).
 */
public record TrainingOutcome(ComputationGraph student, long steps, double wallSeconds, double roundSeconds,
                              double fitSeconds, double teacherSeconds, int teacherUpdates,
                              Map<String, Double> sparkStatsMs, LossTerms lastRoundTerms) {
}
