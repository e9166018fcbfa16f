package org.carotspark.testing;

import org.carotspark.image.ImagePreprocessor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/** Small files whose headers claim huge images ("decompression bombs"), built by patching real encodings. */
public final class HostileImages {

    private HostileImages() {
    }

    /** A real 16×16 JPEG whose SOF0 frame header is patched to claim width × height (a few hundred bytes). */
    public static byte[] jpegClaiming(int width, int height) {
        byte[] jpeg = ImagePreprocessor.encodeJpeg(gradient(16, 16), 90);
        for (int i = 0; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                // FFC0, length(2), precision(1), height(2), width(2)
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 marker in the encoder's output");
    }

    /** A real 16×16 PNG whose IHDR is patched (CRC recomputed) to claim width × height. */
    public static byte[] pngClaiming(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(gradient(16, 16), "png", out);
        byte[] png = out.toByteArray();
        // signature(8), length(4), "IHDR"(4), width(4), height(4), ... , CRC over type + 13 data bytes
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, width);
        b.putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return png;
    }

    public static BufferedImage gradient(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 255 * x / Math.max(1, width - 1);
                int g = 255 * y / Math.max(1, height - 1);
                img.setRGB(x, y, r << 16 | g << 8 | 128);
            }
        }
        return img;
    }
}
