package org.carotspark.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.Random;

/** Tiny configurations and random inputs for the model tests. */
public final class TinyClip {

    private TinyClip() {
    }

    /** image 8, patch 4 (4 patches), widths 8, 1 layer, 2 heads, context 6, vocab 11, embed 6. */
    public static ClipModelConfig config() {
        return new ClipModelConfig(8, 4, 8, 1, 2, 6, 11, 8, 1, 2, 6, ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE, 7);
    }

    public static INDArray images(int b, ClipModelConfig m, long seed, DataType dt) {
        Random r = new Random(seed);
        int s = m.imageSize();
        double[] v = new double[b * 3 * s * s];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape(b, 3, s, s).castTo(dt);
    }

    /** Captions [SOT, words..., EOT, 0...] with EOT = vocab-1 at varying positions. */
    public static INDArray ids(int b, ClipModelConfig m, long seed, DataType dt) {
        Random r = new Random(seed);
        int l = m.contextLength();
        int v = m.vocabSize();
        double[][] ids = new double[b][l];
        for (int i = 0; i < b; i++) {
            ids[i][0] = v - 2;
            int eot = 1 + (i % (l - 1));
            for (int j = 1; j < eot; j++) {
                ids[i][j] = 1 + r.nextInt(v - 3);
            }
            ids[i][eot] = v - 1;
        }
        return Nd4j.createFromArray(ids).castTo(dt);
    }

    /** Random soft targets [B, 2B]: each row of each block is a probability vector. */
    public static INDArray softTargets(int b, long seed, DataType dt) {
        Random r = new Random(seed);
        double[][] p = new double[b][2 * b];
        for (int i = 0; i < b; i++) {
            for (int blk = 0; blk < 2; blk++) {
                double sum = 0;
                for (int j = 0; j < b; j++) {
                    p[i][blk * b + j] = 0.05 + r.nextDouble();
                    sum += p[i][blk * b + j];
                }
                for (int j = 0; j < b; j++) {
                    p[i][blk * b + j] /= sum;
                }
            }
        }
        return Nd4j.createFromArray(p).castTo(dt);
    }

    /** Overwrites every parameter with N(mean, std) noise so gains/biases/embeddings are exercised too. */
    public static void randomiseParams(ComputationGraph g, long seed, double std) {
        Random r = new Random(seed);
        INDArray p = g.params();
        double[] v = new double[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * std;
        }
        g.setParams(Nd4j.createFromArray(v).reshape(p.shape()).castTo(p.dataType()));
        // Log logit scale inside its clamp range [0, ln 100], so its gradient is exercised.
        org.deeplearning4j.nn.graph.vertex.GraphVertex head = g.getVertex(ClipGraphBuilder.CLIP_HEAD);
        if (head != null) {
            head.paramTable(false).get(ClipProjectionHead.LOGIT_SCALE).assign(2.3);
        }
        // LayerNorm gains near 1 keep activations in a sensible range.
        for (org.deeplearning4j.nn.graph.vertex.GraphVertex gv : g.getVertices()) {
            if (gv.numParams() > 0) {
                shiftGains(gv.paramTable(false));
            }
        }
    }

    private static void shiftGains(Map<String, INDArray> t) {
        t.forEach((k, v) -> {
            if (k.endsWith("g") && (k.contains("ln"))) {
                v.addi(1.0);
            }
        });
    }

    public static INDArray[] inputs(int b, ClipModelConfig m, long seed, DataType dt) {
        INDArray ids = ids(b, m, seed + 1, dt);
        return new INDArray[]{images(b, m, seed, dt), ids, ids.dup()};
    }
}
