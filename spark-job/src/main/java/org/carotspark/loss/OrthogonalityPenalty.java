package org.carotspark.loss;

import org.carotspark.model.ProjectionPenalty;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * CaRot's orthogonality constraint L_OC = ‖W_vᵀW_v − I_D‖_F on the visual projection only.
 *
 * <p>Gram choice: with the {@code x·W_v} convention ({@code W_v ∈ R^{visionWidth×D}}, D ≤ visionWidth)
 * W_vᵀW_v is the D×D Gram, i.e. orthonormal <em>columns</em> (the D output directions). It is the one
 * CaRot's reference code computes on open_clip's {@code visual.proj} (same shape and convention), and
 * the only one that can reach 0 when D &lt; visionWidth (the visionWidth² Gram has rank ≤ D).
 */
public class OrthogonalityPenalty implements ProjectionPenalty {

    private static final long serialVersionUID = 1L;
    public static final String NAME = "orthogonality";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable define(SameDiff sd, SDVariable visualProjection, SDVariable textProjection) {
        SDVariable gram = sd.mmul(visualProjection, visualProjection, true, false, false);    // [D, D]
        SDVariable eye;
        // Defined lazily inside DL4J's first forward pass: keep the constant out of its workspace.
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            long d = visualProjection.getShape()[1];
            eye = sd.constant("ocIdentity", Nd4j.eye(d).castTo(visualProjection.dataType()));
        }
        SDVariable diff = gram.sub(eye);
        return diff.mul(diff).sum().pow(0.5);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrthogonalityPenalty;
    }

    @Override
    public int hashCode() {
        return NAME.hashCode();
    }

    @Override
    public String toString() {
        return NAME;
    }
}
