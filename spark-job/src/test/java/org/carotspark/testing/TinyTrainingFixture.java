package org.carotspark.testing;

import com.typesafe.config.ConfigFactory;
import org.carotspark.model.ClipModelConfig;
import org.carotspark.text.SimpleWordTokenizer;
import org.carotspark.train.TrainingSettings;
import org.carotspark.train.minibatch.TrainExample;
import org.carotspark.train.minibatch.TrainImages;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/** The three-class captioned toy set and tiny CLIP that the training tests fit. */
public final class TinyTrainingFixture {

    public static final List<String> CLASSES = List.of("circle", "star", "ring");
    public static final List<String> TEMPLATES = List.of("a photo of a {}.", "a drawing of the {}.");

    private TinyTrainingFixture() {
    }

    /** Word tokenizer over {@link #CLASSES} and {@link #TEMPLATES}, context length 8. */
    public static SimpleWordTokenizer tokenizer() {
        return new SimpleWordTokenizer(CLASSES, TEMPLATES, 8);
    }

    /** image 8, patch 4; both towers width 8, 1 layer, 2 heads; context 8, the tokenizer's vocabulary, embed 6, seed 3. */
    public static ClipModelConfig model(SimpleWordTokenizer tokenizer) {
        return new ClipModelConfig(8, 4, 8, 1, 2, 8, tokenizer.vocabSize(), 8, 1, 2, 6,
                ClipModelConfig.DEFAULT_INIT_LOGIT_SCALE, 3);
    }

    /** {@code carot.train} over reference.conf's defaults, with {@code key, value, key, value, ...} overrides. */
    public static TrainingSettings trainingSettings(Object... keyValues) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("carot.train.min-pairs-per-worker", 2);
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put("carot.train." + keyValues[i], keyValues[i + 1]);
        }
        return TrainingSettings.fromConfig(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()), 1);
    }

    /** reference.conf's training images (random resized crops) for the 8×8 model. */
    public static TrainImages trainImages() {
        return TrainImages.fromConfig(ConfigFactory.load(), 8);
    }

    /** {@code n} labelled random 8×8 images with train-split ids, drawn from one seeded stream. */
    public static List<TrainExample> examples(int n, long seed) {
        Random r = new Random(seed);
        List<TrainExample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                out.add(new TrainExample("imagenet-train/n0" + (i % 3) + "/img" + i + ".JPEG", i % CLASSES.size(),
                        randomJpeg(r)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** A train split of {@code n} random 8×8 images (labels cycling over the classes) in the local session. */
    public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> trainSplit(int n, long seed)
            throws IOException {
        Random r = new Random(seed);
        List<org.apache.spark.sql.Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(org.apache.spark.sql.RowFactory.create("imagenet-train/x/" + i + ".JPEG", i % CLASSES.size(),
                    randomJpeg(r)));
        }
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("id", org.apache.spark.sql.types.DataTypes.StringType)
                .add("label", org.apache.spark.sql.types.DataTypes.IntegerType)
                .add("image", org.apache.spark.sql.types.DataTypes.BinaryType);
        return LocalSpark.session().createDataFrame(rows, schema);
    }

    /** An 8×8 JPEG of random RGB pixels, drawn from {@code r} row by row. */
    public static byte[] randomJpeg(Random r) throws IOException {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.setRGB(x, y, r.nextInt(0xffffff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }
}
