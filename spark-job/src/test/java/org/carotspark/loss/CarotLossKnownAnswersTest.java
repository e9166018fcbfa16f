package org.carotspark.loss;

import java.util.List;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.model.ClipProjectionHead;
import org.carotspark.model.ClipReference;
import org.carotspark.model.TinyClip;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Known answers of the CaRot objective, each checked against an independent plain-Java computation. */
class CarotLossKnownAnswersTest {

    private static final int WV = 6;
    private static final int WT = 5;
    private static final int D = 4;
    private static final int B = 5;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * The projection head (W_v, W_t, logit scale) and the objective on tower outputs; all graphs built here
     * get the same parameters, whatever their λ.
     */
    private static ComputationGraph lossGraph(double lambdaOc, double lambdaSd, double lambdaCross, INDArray params) {
        ClipModelConfig shapes = new ClipModelConfig(8, 4, WV, 1, 1, 6, 11, WT, 1, 1, D,
                ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE, 1);
        CarotLoss objective = new CarotLoss(lambdaOc, lambdaSd, lambdaCross);
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder().addInputs("features")
                .addLayer("head", new ClipProjectionHead(shapes, objective.penalties()), "features")
                .addLayer("loss", objective.outputLayer(D), "head")
                .setOutputs("loss").build());
        g.init();
        if (params != null) {
            g.setParams(params);
        }
        return g;
    }

    private static INDArray features(long seed) {
        Random r = new Random(seed);
        double[][] f = new double[B][WV + WT];
        for (double[] row : f) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return Nd4j.createFromArray(f);
    }

    private static double score(ComputationGraph g, INDArray x, INDArray targets) {
        return g.score(new MultiDataSet(new INDArray[]{x}, new INDArray[]{targets}), false);
    }

    private static double[][] proj(ComputationGraph g, String name) {
        return ClipReference.mat(g.getLayer("head").getParam(name));
    }

    private static double[][] cols(double[][] x, int from, int to) {
        double[][] o = new double[x.length][to - from];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], from, o[i], 0, to - from);
        }
        return o;
    }

    @Test
    void withZeroLambdasTheScoreIsTheClipLoss() {
        ComputationGraph g = lossGraph(0, 0, 0, null);
        INDArray x = features(1);
        double[][] xs = ClipReference.mat(x);
        double[][] fi = ClipReference.affine(cols(xs, 0, WV), proj(g, ClipProjectionHead.VISUAL_PROJECTION), null);
        double[][] ft = ClipReference.affine(cols(xs, WV, WV + WT), proj(g, ClipProjectionHead.TEXT_PROJECTION), null);
        double scale = 1 / 0.07;
        // Independent L_CLIP: ½(CE over texts for each image + CE over images for each text), batch means.
        double[][] f = ClipReference.normalise(fi);
        double[][] t = ClipReference.normalise(ft);
        double ce = 0;
        for (int i = 0; i < B; i++) {
            double[] row = new double[B];
            double[] col = new double[B];
            for (int j = 0; j < B; j++) {
                for (int c = 0; c < D; c++) {
                    row[j] += scale * f[i][c] * t[j][c];
                    col[j] += scale * f[j][c] * t[i][c];
                }
            }
            ce -= 0.5 * (ClipReference.logSoftmax(row)[i] + ClipReference.logSoftmax(col)[i]) / B;
        }
        // Targets that would give a large SD term if λ_SD were not 0.
        assertEquals(ce, score(g, x, TinyClip.softTargets(B, 3, DataType.DOUBLE)), 1e-9);
        assertTrue(ce > 0.1, "non-trivial loss " + ce);
    }

    @Test
    void identicalTeacherAndStudentGiveTheStudentsEntropy() {
        ComputationGraph noSd = lossGraph(0, 0, 0, null);
        ComputationGraph withSd = lossGraph(0, 1.0, 0, noSd.params());
        INDArray x = features(2);
        INDArray own = withSd.output(x)[0];                       // the student's [P_i2t | P_t2i]
        double[][] p = ClipReference.mat(own);
        double entropy = 0;                                        // Σ_dir mean_i H(p_i), both directions summed
        for (double[] row : p) {
            for (double v : row) {
                entropy -= v * Math.log(v);
            }
        }
        entropy = entropy / B;
        double sdTerm = score(withSd, x, own) - score(noSd, x, own);
        assertEquals(entropy, sdTerm, 1e-9);
        assertTrue(entropy > 0.1, "non-trivial entropy " + entropy);
        // Cross-entropy ≥ entropy: any other teacher gives a larger SD term (Gibbs).
        double other = score(withSd, x, TinyClip.softTargets(B, 9, DataType.DOUBLE))
                - score(noSd, x, TinyClip.softTargets(B, 9, DataType.DOUBLE));
        assertTrue(other > sdTerm, "cross-entropy " + other + " vs entropy " + sdTerm);
    }

    @Test
    void orthogonalityTermIsZeroForOrthonormalColumnsAndMatchesOtherwise() {
        ComputationGraph noOc = lossGraph(0, 0, 0, null);
        INDArray x = features(3);
        INDArray targets = TinyClip.softTargets(B, 4, DataType.DOUBLE);

        // Random W_v (not orthonormal): score(λ=1) − score(λ=0) = ‖W_vᵀW_v − I‖_F.
        ComputationGraph withOc = lossGraph(1.0, 0, 0, noOc.params());
        double expected = ClipReference.orthogonality(proj(noOc, ClipProjectionHead.VISUAL_PROJECTION));
        assertEquals(expected, score(withOc, x, targets) - score(noOc, x, targets), 1e-9);
        assertTrue(expected > 0.1);

        // Orthonormal columns (Gram–Schmidt of a random [WV, D]): the term vanishes.
        double[][] w = orthonormalColumns(WV, D, 5);
        INDArray wv = Nd4j.createFromArray(w);
        noOc.getLayer("head").getParam(ClipProjectionHead.VISUAL_PROJECTION).assign(wv);
        ComputationGraph ortho = lossGraph(5.0, 0, 0, noOc.params());
        assertEquals(0.0, ClipReference.orthogonality(w), 1e-12);
        assertEquals(score(noOc, x, targets), score(ortho, x, targets), 1e-9);
    }

    /** The official script's ‖W_v W_tᵀ‖_F, computed independently. */
    @Test
    void crossTermMatchesThePlainJavaNorm() {
        ComputationGraph none = lossGraph(0, 0, 0, null);
        ComputationGraph withCross = lossGraph(0, 0, 1.0, none.params());
        INDArray x = features(6);
        INDArray targets = TinyClip.softTargets(B, 7, DataType.DOUBLE);
        double expected = ClipReference.crossNorm(proj(none, ClipProjectionHead.VISUAL_PROJECTION),
                proj(none, ClipProjectionHead.TEXT_PROJECTION));
        assertTrue(expected > 0.1);
        assertEquals(expected, score(withCross, x, targets) - score(none, x, targets), 1e-9);
    }

    /** The objective reports each term by name; the score is their λ-weighted sum. */
    @Test
    void termsAreReportedByNameAndWeightToTheScore() {
        double lambdaOc = 0.3;
        double lambdaSd = 1.5;
        double lambdaCross = 0.05;
        ComputationGraph g = lossGraph(lambdaOc, lambdaSd, lambdaCross, null);
        INDArray x = features(4);
        INDArray targets = TinyClip.softTargets(B, 5, DataType.DOUBLE);
        double score = score(g, x, targets);
        LossTerms terms = ((LossTermsSource) g.getOutputLayer(0)).lastTerms();
        assertEquals(List.of(CarotLossLayer.TOTAL, CarotLossLayer.CONTRASTIVE,
                CarotLossLayer.DISTILLATION, OrthogonalityPenalty.NAME, CrossProjectionPenalty.NAME), terms.names());

        double[][] xs = ClipReference.mat(x);
        double[][] fi = ClipReference.affine(cols(xs, 0, WV), proj(g, ClipProjectionHead.VISUAL_PROJECTION), null);
        double[][] ft = ClipReference.affine(cols(xs, WV, WV + WT), proj(g, ClipProjectionHead.TEXT_PROJECTION), null);
        ClipReference.LossParts ref = ClipReference.loss(fi, ft, ClipReference.mat(targets), 1 / 0.07,
                proj(g, ClipProjectionHead.VISUAL_PROJECTION), proj(g, ClipProjectionHead.TEXT_PROJECTION));
        assertEquals(ref.clip(), terms.mean(CarotLossLayer.CONTRASTIVE), 1e-9);
        assertEquals(ref.sd(), terms.mean(CarotLossLayer.DISTILLATION), 1e-9);
        assertEquals(ref.oc(), terms.mean(OrthogonalityPenalty.NAME), 1e-9);
        assertEquals(ref.cross(), terms.mean(CrossProjectionPenalty.NAME), 1e-9);
        assertEquals(ref.total(lambdaOc, lambdaSd, lambdaCross), score, 1e-9);
        assertEquals(score, terms.mean(CarotLossLayer.TOTAL), 1e-9);
    }

    static double[][] orthonormalColumns(int rows, int d, long seed) {
        Random r = new Random(seed);
        double[][] q = new double[d][rows];
        for (int c = 0; c < d; c++) {
            for (int i = 0; i < rows; i++) {
                q[c][i] = r.nextGaussian();
            }
            for (int prev = 0; prev < c; prev++) {
                double dot = 0;
                for (int i = 0; i < rows; i++) {
                    dot += q[c][i] * q[prev][i];
                }
                for (int i = 0; i < rows; i++) {
                    q[c][i] -= dot * q[prev][i];
                }
            }
            double n = 0;
            for (int i = 0; i < rows; i++) {
                n += q[c][i] * q[c][i];
            }
            for (int i = 0; i < rows; i++) {
                q[c][i] /= Math.sqrt(n);
            }
        }
        double[][] w = new double[rows][d];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < d; c++) {
                w[i][c] = q[c][i];
            }
        }
        return w;
    }
}
