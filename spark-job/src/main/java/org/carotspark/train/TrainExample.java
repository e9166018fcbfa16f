package org.carotspark.train;

import java.io.Serializable;

/**
 * One prepared training image as it travels through the epoch's batching. A plain class, not a
 * record: Spark's Kryo serializer (what cluster deployments configure) cannot write record fields.
 */
public final class TrainExample implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String id;
    private final int label;
    private final byte[] image;

    public TrainExample(String id, int label, byte[] image) {
        this.id = id;
        this.label = label;
        this.image = image;
    }

    public String id() {
        return id;
    }

    public int label() {
        return label;
    }

    public byte[] image() {
        return image;
    }
}
