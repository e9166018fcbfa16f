package org.carotspark.train;

import java.io.Serializable;

/** One prepared training image as it travels through the epoch's batching. */
public record TrainExample(String id, int label, byte[] image) implements Serializable {
}
