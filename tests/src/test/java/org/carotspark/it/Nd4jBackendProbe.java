package org.carotspark.it;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Prints the ND4J backend a JVM loads and one product computed with it (CudaJarTest runs it). */
public final class Nd4jBackendProbe {
    private Nd4jBackendProbe() {
    }

    public static void main(String[] args) {
        INDArray x = Nd4j.create(new double[][] {{1, 2}, {3, 4}});
        double[] product = x.mmul(x).data().asDouble();
        System.out.println(Nd4j.getBackend().getClass().getSimpleName() + " " + java.util.Arrays.toString(product));
    }
}
