package org.carotspark.train.minibatch;

import com.typesafe.config.Config;
import org.carotspark.config.UserFacingException;
import org.carotspark.image.ClipEvalTransform;
import org.carotspark.image.ClipTrainTransform;
import org.carotspark.image.RgbImage;
import org.carotspark.model.ClipImageTensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a prepared training image becomes the model's S×S input, on the executor that trains it: the reference's
 * {@code RandomResizedCrop(S, scale=(0.9, 1.0), bicubic)}, drawn afresh for every (image, epoch) from the crop
 * seed, or the evaluation transform's fixed centre crop. Prep keeps the training images whole (shorter side
 * resized), so the random crop sees what the reference's loader sees.
 */
public final class TrainImages implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The {@code carot.train.augmentation} choices. */
    public enum Augmentation {
        /** A new random resized crop of the whole image every epoch (the reference's training transform). */
        RANDOM_RESIZED_CROP("random-resized-crop"),
        /** The shorter side resized to S and the centre S×S crop, every epoch the same (no augmentation). */
        CENTER_CROP("center-crop");

        private final String configName;

        Augmentation(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        static Augmentation parse(String name) {
            for (Augmentation a : values()) {
                if (a.configName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            throw new UserFacingException("carot.train.augmentation must be \"random-resized-crop\" or \"center-crop\","
                    + " got \"" + name + "\"");
        }
    }

    private final int size;
    private final Augmentation augmentation;
    private final ClipTrainTransform randomCrop;
    private final ClipEvalTransform centreCrop;

    public TrainImages(int size, Augmentation augmentation, long cropSeed) {
        this.size = size;
        this.augmentation = augmentation;
        this.randomCrop = new ClipTrainTransform(size, cropSeed);
        this.centreCrop = new ClipEvalTransform(size);
    }

    public static TrainImages fromConfig(Config config, int imageSize) {
        return new TrainImages(imageSize, Augmentation.parse(config.getString("carot.train.augmentation")),
                config.getLong("carot.train.crop-seed"));
    }

    public int size() {
        return size;
    }

    public Augmentation augmentation() {
        return augmentation;
    }

    /** One prepared image as the model's normalised CHW input for {@code epoch}. */
    public float[] transform(byte[] prepared, String id, int epoch) {
        RgbImage img = ClipImageTensors.decode(prepared);
        return augmentation == Augmentation.RANDOM_RESIZED_CROP ? randomCrop.apply(img, id, epoch)
                : centreCrop.apply(img);
    }

    /** The examples' images as one [B,3,S,S] batch for {@code epoch}. */
    INDArray batch(List<TrainExample> examples, int epoch) {
        List<float[]> chw = new ArrayList<>(examples.size());
        for (TrainExample ex : examples) {
            chw.add(transform(ex.image(), ex.id(), epoch));
        }
        return ClipImageTensors.stack(chw, size);
    }

    @Override
    public String toString() {
        return augmentation.configName() + " to " + size + "x" + size;
    }
}
