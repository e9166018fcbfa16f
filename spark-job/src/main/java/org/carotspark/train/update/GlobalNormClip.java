package org.carotspark.train.update;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.List;

/**
 * Gradient clipping by the global L2 norm over every trained parameter, as PyTorch's {@code clip_grad_norm_} (the
 * CaRot reference's FT clips at 1.0, {@code ft_loss.py}): when ‖g‖ exceeds c, g ← g·c/(‖g‖ + 10⁻⁶); otherwise g is
 * untouched. It acts on one flat gradient vector, the one the optimiser step uses, so every parameter is scaled by the
 * same factor: a worker's own gradient under parameter averaging ({@link #everyFit}), the all-reduced one where a
 * mode reduces gradients before one step ({@link #clipInPlace(INDArray, double, double)} on that vector).
 *
 * <p>DL4J's own {@code GradientNormalization} is per layer, and SameDiff layers do not apply it: neither is the
 * reference's global norm.
 */
public final class GlobalNormClip {

    /** torch's {@code clip_grad_norm_} adds this to the norm before dividing. */
    public static final double EPSILON = 1e-6;

    private GlobalNormClip() {
    }

    /**
     * Clips {@code gradient}, the gradient the optimiser step uses, in place to global L2 norm {@code maxNorm}.
     *
     * @return the norm before clipping
     */
    public static double clipInPlace(INDArray gradient, double maxNorm) {
        return clipInPlace(gradient, maxNorm, 1.0);
    }

    /**
     * Clips a gradient that the optimiser step uses divided by {@code divisor}, in place: DL4J's updater divides a
     * graph's flattened gradient (the gradient of the minibatch's summed loss B·L) by the minibatch size B, so the
     * step's gradient is {@code flatGradient / B}; a gradient summed over workers is divided by the global batch.
     * The clip is decided on ‖flatGradient / divisor‖.
     *
     * @return the norm of {@code flatGradient / divisor} before clipping
     */
    public static double clipInPlace(INDArray flatGradient, double maxNorm, double divisor) {
        requireSettings(maxNorm, divisor);
        double norm = flatGradient.norm2Number().doubleValue() / divisor;
        double factor = factor(norm, maxNorm);
        if (factor < 1.0) {
            flatGradient.muli(factor);
        }
        return norm;
    }

    /** As {@link #clipInPlace(INDArray, double, double)} for a plain vector. */
    public static double clipInPlace(float[] flatGradient, double maxNorm, double divisor) {
        requireSettings(maxNorm, divisor);
        double sum = 0.0;
        for (float v : flatGradient) {
            sum += (double) v * v;
        }
        double norm = Math.sqrt(sum) / divisor;
        double factor = factor(norm, maxNorm);
        if (factor < 1.0) {
            for (int i = 0; i < flatGradient.length; i++) {
                flatGradient[i] = (float) (flatGradient[i] * factor);
            }
        }
        return norm;
    }

    /** min(1, c / (‖g‖ + ε)), torch's clip coefficient. */
    static double factor(double norm, double maxNorm) {
        return Math.min(1.0, maxNorm / (norm + EPSILON));
    }

    private static void requireSettings(double maxNorm, double divisor) {
        if (!(maxNorm > 0) || !(divisor > 0)) {
            throw new IllegalArgumentException("clip norm and divisor must be > 0, got " + maxNorm + " and " + divisor);
        }
    }

    /**
     * Makes every {@code fit} of {@code graph} clip its gradient before the updater step ({@code maxNorm} 0 = off:
     * removes the clip): DL4J calls a listener's {@code onGradientCalculation} after the backward pass and before
     * the updater reads the graph's flattened gradient. Replaces the graph's listeners.
     */
    public static void everyFit(ComputationGraph graph, double maxNorm) {
        graph.setListeners(maxNorm > 0 ? List.<TrainingListener>of(new ClipListener(maxNorm)) : List.of());
    }

    /** The listener {@link #everyFit} installs. */
    static final class ClipListener extends BaseTrainingListener implements Serializable {
        private static final long serialVersionUID = 1L;
        private final double maxNorm;

        ClipListener(double maxNorm) {
            this.maxNorm = maxNorm;
        }

        @Override
        public void onGradientCalculation(Model model) {
            ComputationGraph g = (ComputationGraph) model;
            clipInPlace(g.getFlattenedGradients(), maxNorm, g.batchSize());
        }
    }
}
