package org.carotspark.ema;

/**
 * The EMA teacher ψ kept on the driver as a flat parameter vector in the graph's own parameter
 * order. A plain {@code float[]} rather than an INDArray because that is what gets broadcast
 * (Kryo can release a broadcast INDArray's buffer on the driver).
 */
public final class EmaTeacher {

    private final float[] params;
    private int updates;

    /** ψ starts as a copy of θ. */
    public EmaTeacher(float[] studentParams) {
        this.params = studentParams.clone();
    }

    /** A teacher read back from a checkpoint. */
    public static EmaTeacher restore(float[] params, int updates) {
        EmaTeacher t = new EmaTeacher(params);
        t.updates = updates;
        return t;
    }

    /** ψ ← m·ψ + (1−m)·θ. */
    public void update(float[] studentParams, double momentum) {
        if (studentParams.length != params.length) {
            throw new IllegalArgumentException("student has " + studentParams.length
                    + " parameters, teacher " + params.length);
        }
        float m = (float) momentum;
        float oneMinus = (float) (1.0 - momentum);
        for (int i = 0; i < params.length; i++) {
            params[i] = m * params[i] + oneMinus * studentParams[i];
        }
        updates++;
    }

    /** A snapshot safe to broadcast: later updates do not change it. */
    public float[] snapshot() {
        return params.clone();
    }

    public int updates() {
        return updates;
    }
}
