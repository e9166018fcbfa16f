package org.carotspark.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading the JPEG reader's byte raster directly gives exactly what BufferedImage.getRGB gives. */
class RasterFastPathTest {

    @Test
    void decodedPlanesEqualGetRgbForJpegsPngsAndSubImages() throws Exception {
        Random r = new Random(8);
        for (String format : new String[]{"jpg", "png", "bmp"}) {
            BufferedImage src = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 23; y++) {
                for (int x = 0; x < 37; x++) {
                    src.setRGB(x, y, r.nextInt(0xffffff));
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(src, format, bytes);
            BufferedImage read = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
            assertSame(viaGetRgb(read), ImageDecoder.toRgb(read), format);
            // A view into a larger raster (non-zero translation): must not take the direct path wrongly.
            BufferedImage sub = read.getSubimage(3, 2, 20, 15);
            assertSame(viaGetRgb(sub), ImageDecoder.toRgb(sub), format + " sub-image");
        }
        BufferedImage bgr = new BufferedImage(5, 4, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(1, 2, 0x123456);
        RgbImage planes = ImageDecoder.toRgb(bgr);
        assertEquals(0x12, planes.get(0, 1, 2), 0);
        assertEquals(0x34, planes.get(1, 1, 2), 0);
        assertEquals(0x56, planes.get(2, 1, 2), 0);
    }

    private static RgbImage viaGetRgb(BufferedImage bi) {
        return RgbImage.fromPackedRgb(bi.getWidth(), bi.getHeight(),
                bi.getRGB(0, 0, bi.getWidth(), bi.getHeight(), null, 0, bi.getWidth()));
    }

    private static void assertSame(RgbImage expected, RgbImage actual, String what) {
        assertEquals(expected.width(), actual.width(), what);
        assertEquals(expected.height(), actual.height(), what);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(expected.planes()[c], actual.planes()[c], 0f, what + " channel " + c);
        }
    }
}
