package org.carotspark.model;

import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * Lets the SameDiff pieces of a workspace-free DL4J graph reuse their intermediate arrays.
 *
 * <p>DL4J 1.0.0-M2.1 runs each SameDiff layer, vertex and output layer through an {@link InferenceSession} and, on
 * every forward and backward call, replaces that session's memory manager with a {@link DL4JSameDiffMemoryMgr}.
 * Without workspaces (the CLIP graph runs without them, see {@link ClipGraphBuilder}) that manager allocates every
 * op's output as a fresh off-heap array and never releases it: the arrays wait for the garbage collector. Profiled on
 * the bench's 10M model at batch 8, allocating them was 41 % of the training step's samples, and the process held
 * gigabytes of dead arrays between collections.
 *
 * <p>SameDiff's own sessions use {@code ArrayCacheMemoryMgr}: an intermediate that no later op reads is released
 * into a per-session cache and handed out again for the next output of a fitting size. The sessions made here keep
 * that manager when DL4J offers a workspace-free one, and take DL4J's otherwise (a graph with workspaces keeps
 * DL4J's workspace handling). Arrays a call returns (activations, gradients) are never released by the session, so
 * what DL4J holds is not overwritten. Installed once per JVM with the other SameDiff work-arounds, before any CLIP
 * SameDiff piece runs.
 */
final class SameDiffArrayReuse {

    private static final Logger LOG = LoggerFactory.getLogger(SameDiffArrayReuse.class);
    private static boolean installed;

    private SameDiffArrayReuse() {
    }

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Field working;
        Field output;
        try {
            working = DL4JSameDiffMemoryMgr.class.getDeclaredField("workingMemoryWs");
            output = DL4JSameDiffMemoryMgr.class.getDeclaredField("outputWs");
            working.setAccessible(true);
            output.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("SameDiff array reuse not installed (DL4J's memory manager changed: {}); every SameDiff op"
                    + " allocates fresh arrays", e.toString());
            return;
        }
        SameDiff.bindInferenceFactory(sd -> new ReusingSession(sd, working, output));
    }

    /** A session that keeps SameDiff's array cache for the calls DL4J makes without workspaces. */
    private static final class ReusingSession extends InferenceSession {
        private final Field working;
        private final Field output;
        /** SameDiff's own array cache, made with the session; kept across calls that use DL4J's workspaces. */
        private final SessionMemMgr cache;

        ReusingSession(SameDiff sd, Field working, Field output) {
            super(sd);
            this.cache = getMmgr();
            this.working = working;
            this.output = output;
        }

        @Override
        public void setMmgr(SessionMemMgr manager) {
            // A layer may be called both inside DL4J workspaces and without (exact mode scores the objective layer
            // directly): each call gets the manager its arrays belong to.
            super.setMmgr(workspaceFree(manager) ? cache : manager);
        }

        private boolean workspaceFree(SessionMemMgr manager) {
            try {
                return manager instanceof DL4JSameDiffMemoryMgr && working.get(manager) == null
                        && output.get(manager) == null;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read DL4J's SameDiff memory manager", e);
            }
        }
    }
}
