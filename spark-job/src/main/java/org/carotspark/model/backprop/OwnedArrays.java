package org.carotspark.model.backprop;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Frees the off-heap buffers of intermediates now instead of at the next garbage collection. */
public final class OwnedArrays {

    private OwnedArrays() {
    }

    /** Closes each non-null array this code allocated (views and workspace arrays are left alone). */
    public static void close(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
    }
}
