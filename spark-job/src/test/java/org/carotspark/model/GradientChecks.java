package org.carotspark.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shared double-precision gradient check settings: eps 1e-6, max relative error 1e-3. */
public final class GradientChecks {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GradientChecks.class);

    private GradientChecks() {
    }

    /** Checks every parameter entry (GradientCheckUtil's subset option does not cut the work for graphs here). */
    public static boolean check(ComputationGraph g, INDArray[] inputs, INDArray[] labels) {
        GradientCheckUtil.GraphConfig c = new GradientCheckUtil.GraphConfig().net(g).inputs(inputs).labels(labels)
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false);
        int[] calls = new int[1];
        c = c.callEachIter(net -> calls[0]++);
        long t0 = System.nanoTime();
        boolean ok = GradientCheckUtil.checkGradients(c);
        LOG.info("gradient check of {} parameters: {} score evaluations in {} s, {}", g.params().length(), calls[0],
                String.format("%.1f", (System.nanoTime() - t0) / 1e9), ok ? "passed" : "FAILED");
        return ok;
    }
}
