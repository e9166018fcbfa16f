package org.carotspark.bench;

import org.carotspark.image.ImageDecodeException;
import org.carotspark.image.ImageDecoder;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.image.RgbImage;
import org.carotspark.seed.Seeds;
import org.carotspark.train.minibatch.TrainImages;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Image throughput on one core, each row a ratio to the same run's plain {@code ImageIO.read} loop: decoding to
 * RGB planes ({@link ImageDecoder}), and the executor's whole training-image path (decode, random resized crop,
 * CLIP normalisation: {@link TrainImages}) on prep's stored training images.
 */
public final class DecodeBench {

    private DecodeBench() {
    }

    /** @param images how many synthetic 500×375 photos (ImageNet's typical size) are decoded per row */
    public static String table(int images, int modelImageSize, int trainShortSide) {
        List<byte[]> photos = photos(images, 500, 375);
        ImagePreprocessor prep = new ImagePreprocessor(trainShortSide, 95).keepingAspect();
        List<byte[]> stored = new ArrayList<>(photos.size());
        for (byte[] p : photos) {
            try {
                stored.add(prep.process(p));
            } catch (ImageDecodeException e) {
                throw new IllegalStateException("bench image failed to decode", e);
            }
        }
        TrainImages train = new TrainImages(modelImageSize, TrainImages.Augmentation.RANDOM_RESIZED_CROP, 29);

        double imageIo = imagesPerSecond(photos, jpeg -> {
            try {
                ImageIO.read(new ByteArrayInputStream(jpeg));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        double viaGetRgb = imagesPerSecond(photos, jpeg -> {
            try {
                BufferedImage bi = ImageIO.read(new ByteArrayInputStream(jpeg));
                RgbImage.fromPackedRgb(bi.getWidth(), bi.getHeight(),
                        bi.getRGB(0, 0, bi.getWidth(), bi.getHeight(), null, 0, bi.getWidth()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        double decode = imagesPerSecond(photos, ImageDecoder::decode);
        double storedDecode = imagesPerSecond(stored, ImageDecoder::decode);
        double trainPath = imagesPerSecond(stored, jpeg -> train.transform(jpeg, "bench", 0));
        return String.format(Locale.ROOT, "Image decoding, one core, %d images per row:%n%n"
                        + "| path | images/s | vs ImageIO.read |%n|---|---:|---:|%n"
                        + "| ImageIO.read, 500x375 JPEG (baseline) | %.0f | 1.00x |%n"
                        + "| ImageIO.read + getRGB to RGB planes (the per-pixel path decoding used before) | %.0f | %.2fx |%n"
                        + "| ImageDecoder.decode to RGB planes, 500x375 | %.0f | %.2fx |%n"
                        + "| ImageDecoder.decode, stored train image (short side %d) | %.0f | %.2fx |%n"
                        + "| executor train path: decode + random resized crop %d + normalise | %.0f | %.2fx |%n",
                photos.size(), imageIo, viaGetRgb, viaGetRgb / imageIo, decode, decode / imageIo, trainShortSide, storedDecode, storedDecode / imageIo,
                modelImageSize, trainPath, trainPath / imageIo);
    }

    private interface Work {
        void run(byte[] jpeg) throws ImageDecodeException;
    }

    /** Best of three passes, after one warm-up pass. */
    private static double imagesPerSecond(List<byte[]> jpegs, Work work) {
        double best = 0;
        for (int pass = 0; pass < 4; pass++) {
            long t0 = System.nanoTime();
            for (byte[] j : jpegs) {
                try {
                    work.run(j);
                } catch (ImageDecodeException e) {
                    throw new IllegalStateException("bench image failed to decode", e);
                }
            }
            double rate = jpegs.size() / ((System.nanoTime() - t0) / 1e9);
            best = pass == 0 ? 0 : Math.max(best, rate);
        }
        return best;
    }

    /** Smooth gradients plus noise: compresses like a photo, not like white noise. */
    private static List<byte[]> photos(int n, int w, int h) {
        Random r = new Random(Seeds.derive(n, "bench/photos"));
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = r.nextInt(0xffffff);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int red = ((base >> 16) + x / 3 + r.nextInt(16)) & 0xff;
                    int green = ((base >> 8) + y / 2 + r.nextInt(16)) & 0xff;
                    int blue = (base + (x + y) / 4 + r.nextInt(16)) & 0xff;
                    img.setRGB(x, y, (red << 16) | (green << 8) | blue);
                }
            }
            out.add(ImagePreprocessor.encodeJpeg(img, 90));
        }
        return out;
    }
}
