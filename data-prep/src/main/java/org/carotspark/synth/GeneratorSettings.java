package org.carotspark.synth;

import com.typesafe.config.Config;
import org.carotspark.config.UserFacingException;
import org.carotspark.sparkutil.LocalFiles;

import java.nio.file.Path;
import java.util.List;

/** The knobs of the synthetic mini-ImageNet, from {@code carot.generate}. */
public record GeneratorSettings(long seed, Path outputRoot, int classes, int trainPerClass, int valPerClass,
                                int oodPerClass, int imagenetCPerClass, List<String> corruptions,
                                int objectNetUnmappedFolders, int minSize, int maxSize, int jpegQuality) {

    public GeneratorSettings {
        corruptions = List.copyOf(corruptions);
        if (classes < 4 || classes > ShapeKind.IMAGENET_CLASSES) {
            throw new UserFacingException("carot.generate.classes must be 4.." + ShapeKind.IMAGENET_CLASSES
                    + ", got " + classes);
        }
        if (trainPerClass < 1 || valPerClass < 1 || oodPerClass < 1) {
            throw new UserFacingException("carot.generate train-per-class, val-per-class and ood-per-class must be"
                    + " at least 1");
        }
        if (imagenetCPerClass < 0 || imagenetCPerClass > valPerClass) {
            throw new UserFacingException("carot.generate.imagenet-c-per-class must be 0..val-per-class ("
                    + valPerClass + "), got " + imagenetCPerClass);
        }
        for (String c : corruptions) {
            if (!Corruptions.SUPPORTED.contains(c)) {
                throw new UserFacingException("carot.generate.imagenet-c-corruptions: unsupported corruption '" + c
                        + "' (supported: " + Corruptions.SUPPORTED + ")");
            }
        }
        if (objectNetUnmappedFolders < 0 || objectNetUnmappedFolders > ShapeKind.unmappedObjectNetKinds().size()) {
            throw new UserFacingException("carot.generate.objectnet-unmapped-folders must be 0.."
                    + ShapeKind.unmappedObjectNetKinds().size());
        }
        if (minSize < 16 || maxSize < minSize) {
            throw new UserFacingException("carot.generate min-size/max-size must satisfy 16 <= min-size <= max-size,"
                    + " got " + minSize + "/" + maxSize);
        }
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new UserFacingException("carot.generate.jpeg-quality must be 1..100, got " + jpegQuality);
        }
    }

    public static GeneratorSettings fromConfig(Config config) {
        Config g = config.getConfig("carot.generate");
        return new GeneratorSettings(
                g.getLong("seed"),
                LocalFiles.localPath("carot.generate.output-root", g.getString("output-root"),
                        " (generate locally, then copy with hadoop fs -put / aws s3 cp)"),
                g.getInt("classes"),
                g.getInt("train-per-class"),
                g.getInt("val-per-class"),
                g.getInt("ood-per-class"),
                g.getInt("imagenet-c-per-class"),
                g.getStringList("imagenet-c-corruptions"),
                g.getInt("objectnet-unmapped-folders"),
                g.getInt("min-size"),
                g.getInt("max-size"),
                g.getInt("jpeg-quality"));
    }

    public GeneratorSettings withOutputRoot(Path root) {
        return new GeneratorSettings(seed, root, classes, trainPerClass, valPerClass, oodPerClass, imagenetCPerClass,
                corruptions, objectNetUnmappedFolders, minSize, maxSize, jpegQuality);
    }
}
