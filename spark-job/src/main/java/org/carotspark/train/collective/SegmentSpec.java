package org.carotspark.train.collective;

import org.carotspark.loss.CarotLossLayer;

import java.io.Serializable;

/**
 * The fixed shape of collective mode's segments, as every rank needs it.
 *
 * @param objective       the contrastive objective computed over the whole global batch, or null for a per-example
 *                        loss (the classifier baselines: each rank's own loss, plain DDP)
 * @param gradientClipNorm global L2 norm the all-reduced gradient is clipped to before the step (0 = off)
 * @param timeoutSeconds  how long a rank waits for a silent peer before the segment fails
 */
record SegmentSpec(int globalBatchSize, int perWorkerBatch, boolean clampLogitScale, CarotLossLayer objective,
                   double gradientClipNorm, int timeoutSeconds) implements Serializable {
}
