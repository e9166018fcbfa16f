package org.carotspark.eval;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Maps a row of logits over all ImageNet classes to the label space a split is scored in:
 * all classes (ImageNet, V2, Sketch, C), a class subset (IN-R, IN-A: logits restricted to the
 * subset's columns) or ObjectNet's classes (an ObjectNet class's logit = max over the ImageNet
 * classes mapped to it).
 */
public abstract class SplitProjection implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Projected logits. */
    public abstract float[] project(float[] logits);

    /** The row's stored label in the projected label space, or -1 if it has no place there. */
    public abstract int projectedLabel(int storedLabel);

    public static SplitProjection allClasses() {
        return new AllClasses();
    }

    public static SplitProjection subset(int[] classIndices) {
        return new Subset(classIndices);
    }

    public static SplitProjection maxOverMapped(int[][] targetToClasses) {
        return new MaxOverMapped(targetToClasses);
    }

    private static final class AllClasses extends SplitProjection {
        private static final long serialVersionUID = 1L;

        @Override
        public float[] project(float[] logits) {
            return logits;
        }

        @Override
        public int projectedLabel(int storedLabel) {
            return storedLabel;
        }
    }

    private static final class Subset extends SplitProjection {
        private static final long serialVersionUID = 1L;
        private final int[] classes;

        Subset(int[] classes) {
            this.classes = classes.clone();
        }

        @Override
        public float[] project(float[] logits) {
            float[] out = new float[classes.length];
            for (int i = 0; i < classes.length; i++) {
                out[i] = logits[classes[i]];
            }
            return out;
        }

        @Override
        public int projectedLabel(int storedLabel) {
            for (int i = 0; i < classes.length; i++) {
                if (classes[i] == storedLabel) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final class MaxOverMapped extends SplitProjection {
        private static final long serialVersionUID = 1L;
        private final int[][] mapping;

        MaxOverMapped(int[][] mapping) {
            this.mapping = Arrays.stream(mapping).map(int[]::clone).toArray(int[][]::new);
        }

        @Override
        public float[] project(float[] logits) {
            float[] out = new float[mapping.length];
            for (int t = 0; t < mapping.length; t++) {
                float best = Float.NEGATIVE_INFINITY;
                for (int c : mapping[t]) {
                    best = Math.max(best, logits[c]);
                }
                out[t] = best;
            }
            return out;
        }

        @Override
        public int projectedLabel(int storedLabel) {
            return storedLabel >= 0 && storedLabel < mapping.length ? storedLabel : -1;
        }
    }
}
