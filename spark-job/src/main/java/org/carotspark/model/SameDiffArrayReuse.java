package org.carotspark.model;

import org.deeplearning4j.nn.layers.samediff.DL4JSameDiffMemoryMgr;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.config.SDValue;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** SameDiff names the gradient of variable v "v-grad". */
    private static final String GRADIENT_SUFFIX = "-grad";
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

    /**
     * A session that keeps SameDiff's array cache for the calls DL4J makes without workspaces. A backward call (one
     * whose outputs are all gradients) releases only part of its arrays itself: the forward values it recomputed
     * stay referenced by the call and were left to the garbage collector, ~3 GB a step at the 10M model and batch
     * 64. They are released into the cache when the next call on the session starts, when nothing can read them any
     * more: everything the session allocated in the previous backward call, except what the session released itself
     * and what that call returned (the gradients, which DL4J copies or passes on, and any array sharing their buffer).
     */
    private static final class ReusingSession extends InferenceSession {
        private final Field working;
        private final Field output;
        /** SameDiff's own array cache, made with the session; kept across calls that use DL4J's workspaces. */
        private final TrackingManager cache;
        private boolean reusing;

        ReusingSession(SameDiff sd, Field working, Field output) {
            super(sd);
            this.cache = new TrackingManager(getMmgr());
            this.working = working;
            this.output = output;
        }

        @Override
        public void setMmgr(SessionMemMgr manager) {
            reusing = workspaceFree(manager);
            // A layer may be called both inside DL4J workspaces and without (exact mode scores the objective layer
            // directly): each call gets the manager its arrays belong to.
            super.setMmgr(reusing ? cache : manager);
        }

        @Override
        protected Map<String, INDArray> preprocessPlaceholders(Map<String, INDArray> placeholders, At at) {
            cache.startCall(reusing);
            return super.preprocessPlaceholders(placeholders, at);
        }

        @Override
        protected Map<String, SDValue> postProcessOutputValues(Map<String, SDValue> outputs) {
            Map<String, SDValue> result = super.postProcessOutputValues(outputs);
            boolean backward = !result.isEmpty() && result.keySet().stream().allMatch(n -> n.endsWith(GRADIENT_SUFFIX));
            List<INDArray> returned = new ArrayList<>();
            for (SDValue v : result.values()) {
                if (v != null && v.getTensorValue() != null) {
                    returned.add(v.getTensorValue());
                }
            }
            cache.endCall(reusing && backward, returned);
            return result;
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

    /** The session's cache, recording what one call allocated and has not released. */
    private static final class TrackingManager extends AbstractMemoryMgr {
        private final SessionMemMgr cache;
        private final Set<INDArray> unreleased = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Object> returnedBuffers = Collections.newSetFromMap(new IdentityHashMap<>());
        private boolean previousWasBackward;

        TrackingManager(SessionMemMgr cache) {
            this.cache = cache;
        }

        /**
         * Releases what the previous backward call allocated and neither released (the session may release some
         * after its outputs are post-processed, so this is read now) nor returned; only when this call reuses too.
         */
        void startCall(boolean reusing) {
            if (reusing && previousWasBackward) {
                for (INDArray a : unreleased) {
                    if (!a.wasClosed() && !returnedBuffers.contains(a.data()) && !cached(a)) {
                        cache.release(a);
                    }
                }
            }
            unreleased.clear();
            returnedBuffers.clear();
            previousWasBackward = false;
        }

        /** Marks the call that just ended; {@code returned} are its outputs. */
        void endCall(boolean backward, List<INDArray> returned) {
            previousWasBackward = backward;
            for (INDArray r : returned) {
                returnedBuffers.add(r.data());
            }
        }

        private boolean cached(INDArray a) {
            return cache instanceof ArrayCacheMemoryMgr c && c.getLruCache().contains(a.getId());
        }

        @Override
        public INDArray allocate(boolean detached, DataType dataType, long... shape) {
            INDArray a = cache.allocate(detached, dataType, shape);
            unreleased.add(a);
            return a;
        }

        @Override
        public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
            INDArray a = cache.allocate(detached, descriptor);
            unreleased.add(a);
            return a;
        }

        @Override
        public void release(INDArray array) {
            unreleased.remove(array);
            cache.release(array);
        }

        @Override
        public void close() {
            cache.close();
        }
    }
}
