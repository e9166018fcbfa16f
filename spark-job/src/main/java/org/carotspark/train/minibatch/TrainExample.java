package org.carotspark.train.minibatch;

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
    private final String[] captions;

    public TrainExample(String id, int label, byte[] image) {
        this(id, label, image, null);
    }

    /** @param captions the image's own captions (a captioned corpus), or null to caption it from its class */
    public TrainExample(String id, int label, byte[] image, String[] captions) {
        this.id = id;
        this.label = label;
        this.image = image;
        this.captions = captions;
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

    /** The image's own captions, or null. */
    public String[] captions() {
        return captions;
    }
}
