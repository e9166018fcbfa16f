package org.carotspark.model;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * N(0, std²) initialisation from its own seeded generator (DL4J's built-in initialisers draw from
 * ND4J's global RNG, whose state depends on what ran before). Used for DL4J's own layers in the CLIP
 * graph (patch convolution, token embedding).
 */
public class SeededNormalInit implements IWeightInit {

    private static final long serialVersionUID = 1L;

    private double std;
    private long seed;
    private String name;

    /** For DL4J's JSON deserialisation. */
    public SeededNormalInit() {
    }

    public SeededNormalInit(double std, long seed, String name) {
        this.std = std;
        this.seed = seed;
        this.name = name;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        ParamInit.normal(paramView, std, seed, "graph", name);
        return paramView.reshape(order, shape);
    }

    public double getStd() { return std; }
    public void setStd(double std) { this.std = std; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeededNormalInit s && s.std == std && s.seed == seed && Objects.equals(s.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(std, seed, name);
    }
}
