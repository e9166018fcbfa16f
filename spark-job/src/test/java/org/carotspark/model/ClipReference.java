package org.carotspark.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * An independent plain-Java (double loops) implementation of OpenAI CLIP's forward pass and the
 * CaRot loss, reading the parameters out of a graph built by {@link ClipGraphBuilder}. Written from
 * the CLIP / CaRot definitions, not from the SameDiff code, so the two can check each other.
 */
public final class ClipReference {

    private final ClipModelConfig m;
    private final Map<String, INDArray> vit;
    private final Map<String, INDArray> text;
    private final Map<String, INDArray> head;
    private final INDArray conv;
    private final INDArray tokenTable;

    public ClipReference(ComputationGraph g, ClipModelConfig m) {
        this.m = m;
        this.vit = g.getLayer(ClipGraphBuilder.VIT).paramTable();
        this.text = g.getVertex(ClipGraphBuilder.TEXT_TRANSFORMER).paramTable(false);
        this.head = g.getLayer(ClipGraphBuilder.CLIP_HEAD).paramTable();
        this.conv = g.getLayer(ClipGraphBuilder.PATCH_EMBED).getParam("W");
        this.tokenTable = g.getLayer(ClipGraphBuilder.TOKEN_EMBED).getParam("W");
    }

    // ---------------------------------------------------------------- towers

    /** ViT output before W_v: [B, Wv]. */
    public double[][] imageTower(INDArray images) {
        int b = (int) images.size(0);
        int w = m.visionWidth();
        int p = m.patchSize();
        int grid = m.imageSize() / p;
        int t = grid * grid + 1;
        double[][] out = new double[b][];
        for (int n = 0; n < b; n++) {
            double[][] x = new double[t][w];
            double[] cls = row(vit.get("cls"), 0);
            for (int c = 0; c < w; c++) {
                x[0][c] = cls[c];
            }
            for (int gy = 0; gy < grid; gy++) {
                for (int gx = 0; gx < grid; gx++) {
                    int tok = 1 + gy * grid + gx;
                    for (int c = 0; c < w; c++) {
                        double s = 0;
                        for (int ci = 0; ci < 3; ci++) {
                            for (int ky = 0; ky < p; ky++) {
                                for (int kx = 0; kx < p; kx++) {
                                    s += conv.getDouble(c, ci, ky, kx) * images.getDouble(n, ci, gy * p + ky, gx * p + kx);
                                }
                            }
                        }
                        x[tok][c] = s;
                    }
                }
            }
            double[][] pos = mat(vit.get("pos"));
            for (int i = 0; i < t; i++) {
                for (int c = 0; c < w; c++) {
                    x[i][c] += pos[i][c];
                }
            }
            for (int i = 0; i < t; i++) {
                x[i] = layerNorm(x[i], row(vit.get("lnpreg"), 0), row(vit.get("lnpreb"), 0));
            }
            for (int l = 0; l < m.visionLayers(); l++) {
                x = block(x, vit, l, m.visionHeads(), false);
            }
            out[n] = layerNorm(x[0], row(vit.get("lnpostg"), 0), row(vit.get("lnpostb"), 0));
        }
        return out;
    }

    /** Text transformer output at EOT before W_t: [B, Wt]. */
    public double[][] textTower(INDArray ids) {
        int b = (int) ids.size(0);
        int len = m.contextLength();
        int w = m.textWidth();
        double[][] pos = mat(text.get("pos"));
        double[][] out = new double[b][];
        for (int n = 0; n < b; n++) {
            double[][] x = new double[len][w];
            int eot = 0;
            for (int i = 0; i < len; i++) {
                int id = (int) ids.getDouble(n, i);
                if (ids.getDouble(n, i) > ids.getDouble(n, eot)) {
                    eot = i;
                }
                for (int c = 0; c < w; c++) {
                    x[i][c] = tokenTable.getDouble(id, c) + pos[i][c];
                }
            }
            for (int l = 0; l < m.textLayers(); l++) {
                x = block(x, text, l, m.textHeads(), true);
            }
            out[n] = layerNorm(x[eot], row(text.get("lnfg"), 0), row(text.get("lnfb"), 0));
        }
        return out;
    }

    private double[][] block(double[][] x, Map<String, INDArray> p, int l, int heads, boolean causal) {
        int t = x.length;
        int w = x[0].length;
        int dh = w / heads;
        String pre = "b" + l;
        double[][] h = new double[t][];
        for (int i = 0; i < t; i++) {
            h[i] = layerNorm(x[i], row(p.get(pre + "ln1g"), 0), row(p.get(pre + "ln1b"), 0));
        }
        double[][] qkv = affine(h, mat(p.get(pre + "qkvW")), row(p.get(pre + "qkvb"), 0));
        double[][] ctx = new double[t][w];
        for (int hd = 0; hd < heads; hd++) {
            for (int i = 0; i < t; i++) {
                double[] s = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    if (causal && j > i) {
                        s[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double d = 0;
                    for (int c = 0; c < dh; c++) {
                        d += qkv[i][hd * dh + c] * qkv[j][w + hd * dh + c];
                    }
                    s[j] = d / Math.sqrt(dh);
                    max = Math.max(max, s[j]);
                }
                double z = 0;
                for (int j = 0; j < t; j++) {
                    s[j] = Math.exp(s[j] - max);
                    z += s[j];
                }
                for (int j = 0; j < t; j++) {
                    for (int c = 0; c < dh; c++) {
                        ctx[i][hd * dh + c] += s[j] / z * qkv[j][2 * w + hd * dh + c];
                    }
                }
            }
        }
        double[][] attnOut = affine(ctx, mat(p.get(pre + "outW")), row(p.get(pre + "outb"), 0));
        double[][] y = new double[t][w];
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < w; c++) {
                y[i][c] = x[i][c] + attnOut[i][c];
            }
        }
        double[][] h2 = new double[t][];
        for (int i = 0; i < t; i++) {
            h2[i] = layerNorm(y[i], row(p.get(pre + "ln2g"), 0), row(p.get(pre + "ln2b"), 0));
        }
        double[][] fc = affine(h2, mat(p.get(pre + "fcW")), row(p.get(pre + "fcb"), 0));
        for (double[] r : fc) {
            for (int c = 0; c < r.length; c++) {
                r[c] = r[c] / (1 + Math.exp(-1.702 * r[c])); // QuickGELU x·σ(1.702x)
            }
        }
        double[][] mlp = affine(fc, mat(p.get(pre + "projW")), row(p.get(pre + "projb"), 0));
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < w; c++) {
                y[i][c] += mlp[i][c];
            }
        }
        return y;
    }

    // ---------------------------------------------------------------- loss

    /** Projected, un-normalised features x·W. */
    public double[][] projectImage(double[][] towerOut) {
        return affine(towerOut, mat(head.get(ClipProjectionHead.VISUAL_PROJECTION)), null);
    }

    public double[][] projectText(double[][] towerOut) {
        return affine(towerOut, mat(head.get(ClipProjectionHead.TEXT_PROJECTION)), null);
    }

    public double logitScale() {
        double ls = head.get(ClipProjectionHead.LOGIT_SCALE).getDouble(0);
        return Math.exp(Math.min(Math.max(ls, 0), Math.log(100)));
    }

    /** The parts of the CaRot loss for one batch. */
    public record LossParts(double clip, double oc, double sd, double[][] probs) {
        public double total(double lambdaOc, double lambdaSd) {
            return clip + lambdaOc * oc + lambdaSd * sd;
        }
    }

    public LossParts loss(double[][] imageFeat, double[][] textFeat, double[][] targets) {
        return loss(imageFeat, textFeat, targets, logitScale(), mat(head.get(ClipProjectionHead.VISUAL_PROJECTION)));
    }

    /** CaRot loss from projected features, independent of any graph. */
    public static LossParts loss(double[][] imageFeat, double[][] textFeat, double[][] targets, double scale,
                                 double[][] wv) {
        int b = imageFeat.length;
        double[][] f = normalise(imageFeat);
        double[][] g = normalise(textFeat);
        double[][] logits = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double d = 0;
                for (int c = 0; c < f[i].length; c++) {
                    d += f[i][c] * g[j][c];
                }
                logits[i][j] = scale * d;
            }
        }
        double[][] logpI2T = new double[b][b];
        double[][] logpT2I = new double[b][b];
        for (int i = 0; i < b; i++) {
            double[] r = new double[b];
            double[] c = new double[b];
            for (int j = 0; j < b; j++) {
                r[j] = logits[i][j];
                c[j] = logits[j][i];
            }
            logpI2T[i] = logSoftmax(r);
            logpT2I[i] = logSoftmax(c);
        }
        double ceI = 0;
        double ceT = 0;
        for (int i = 0; i < b; i++) {
            ceI -= logpI2T[i][i];
            ceT -= logpT2I[i][i];
        }
        double clip = 0.5 * (ceI / b + ceT / b);
        double sd = 0;
        double[][] probs = new double[b][2 * b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                sd -= targets[i][j] * logpI2T[i][j] + targets[i][b + j] * logpT2I[i][j];
                probs[i][j] = Math.exp(logpI2T[i][j]);
                probs[i][b + j] = Math.exp(logpT2I[i][j]);
            }
        }
        sd = 0.5 * sd / b;
        return new LossParts(clip, orthogonality(wv), sd, probs);
    }

    /** ‖WᵀW − I‖_F for W [rows, D]. */
    public static double orthogonality(double[][] w) {
        int d = w[0].length;
        double s = 0;
        for (int a = 0; a < d; a++) {
            for (int c = 0; c < d; c++) {
                double gram = 0;
                for (double[] row : w) {
                    gram += row[a] * row[c];
                }
                double e = gram - (a == c ? 1 : 0);
                s += e * e;
            }
        }
        return Math.sqrt(s);
    }

    // ---------------------------------------------------------------- helpers

    public static double[] logSoftmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (double v : x) {
            z += Math.exp(v - max);
        }
        double lse = max + Math.log(z);
        double[] o = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            o[i] = x[i] - lse;
        }
        return o;
    }

    public static double[][] normalise(double[][] x) {
        double[][] o = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double n = 0;
            for (double v : x[i]) {
                n += v * v;
            }
            n = Math.sqrt(n);
            o[i] = new double[x[i].length];
            for (int c = 0; c < x[i].length; c++) {
                o[i][c] = x[i][c] / n;
            }
        }
        return o;
    }

    static double[] layerNorm(double[] x, double[] g, double[] b) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        double[] o = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            o[i] = (x[i] - mean) / Math.sqrt(var + 1e-5) * g[i] + b[i];
        }
        return o;
    }

    public static double[][] affine(double[][] x, double[][] w, double[] bias) {
        int n = x.length;
        int out = w[0].length;
        double[][] y = new double[n][out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int k = 0; k < w.length; k++) {
                    s += x[i][k] * w[k][o];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    public static double[][] mat(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }

    static double[] row(INDArray a, int r) {
        return mat(a)[r];
    }
}
