package org.carotspark.image;

import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * CMYK and YCCK JPEGs decode to the colours of their inks. Expected colours never come from the decoder under
 * test: they are PIL's decode of a file PIL wrote, or the standard formula R = 255·(1 − c)·(1 − k) applied by
 * hand to the ink values the test put in. The JDK's own reader gets all of these wrong (e.g. 231,169,0 for the
 * first patch instead of 204,102,0), which is what the issue saw on ImageNet's CMYK files.
 */
public class FourChannelJpegTest {

    /** Ink values (C, M, Y, K in 0..255, 255 = full ink) of the four 16×16 patches of every test image. */
    static final int[][] INKS = {{0, 128, 255, 51}, {200, 30, 90, 0}, {30, 200, 10, 100}, {10, 80, 160, 30}};

    /**
     * {@code images/cmyk-pil.jpg} was written by PIL 9.4 (libjpeg-turbo) from these inks:
     * {@code Image.new("CMYK", (64, 16))}, each patch {@code putpixel}-ed, {@code save(..., quality=95)}; PIL
     * stores Adobe-inverted CMYK with an APP14 marker, transform 0. The RGB values are PIL's
     * {@code Image.open(f).convert("RGB").getpixel((16·i + 8, 8))}.
     */
    public static final int[][] PIL_RGB = {{204, 102, 0}, {55, 225, 165}, {137, 33, 149}, {216, 154, 84}};

    @Test
    void adobeCmykWrittenByPilDecodesToPilsColours() throws Exception {
        byte[] jpeg;
        try (InputStream in = getClass().getResourceAsStream("/images/cmyk-pil.jpg")) {
            assertNotNull(in, "fixture images/cmyk-pil.jpg");
            jpeg = in.readAllBytes();
        }
        assertPatches(ImageDecoder.decode(jpeg), PIL_RGB, 1, "PIL CMYK");
    }

    @Test
    void ycckDecodesToTheInkColours() throws Exception {
        // YCCK as libjpeg's cmyk_ycck_convert writes it: JFIF YCbCr of the ink values (= 255 − stored C, M, Y),
        // K stored inverted as in CMYK. Computed here, not by the decoder's inverse.
        int[][] ycck = new int[INKS.length][];
        for (int i = 0; i < INKS.length; i++) {
            double c = INKS[i][0];
            double m = INKS[i][1];
            double y = INKS[i][2];
            ycck[i] = new int[] {
                    clamp(0.299 * c + 0.587 * m + 0.114 * y),
                    clamp(-0.168736 * c - 0.331264 * m + 0.5 * y + 128),
                    clamp(0.5 * c - 0.418688 * m - 0.081312 * y + 128),
                    255 - INKS[i][3]};
        }
        byte[] jpeg = writeRawFourChannel(ycck, adobeMetadata(2));
        assertEquals(2, adobeTransformOf(jpeg), "the file really is marked YCCK");
        assertPatches(ImageDecoder.decode(jpeg), inkFormulaRgb(), 3, "YCCK");
    }

    @Test
    void adobeCmykAndMarkerlessCmykDecodeToTheInkColours() throws Exception {
        int[][] stored = new int[INKS.length][4];
        for (int i = 0; i < INKS.length; i++) {
            for (int ch = 0; ch < 4; ch++) {
                stored[i][ch] = 255 - INKS[i][ch];
            }
        }
        byte[] adobe = writeRawFourChannel(stored, adobeMetadata(0));
        assertEquals(0, adobeTransformOf(adobe));
        assertPatches(ImageDecoder.decode(adobe), inkFormulaRgb(), 2, "Adobe CMYK");
        // Without an APP14 marker the channels are still taken as Adobe-inverted, as PIL does.
        byte[] markerless = writeRawFourChannel(stored, null);
        assertEquals(-1, adobeTransformOf(markerless));
        assertPatches(ImageDecoder.decode(markerless), inkFormulaRgb(), 2, "CMYK without APP14");
    }

    @Test
    void subsampledFourChannelJpegKeepsItsColours() throws Exception {
        byte[] jpeg;
        try (InputStream in = getClass().getResourceAsStream("/images/cmyk-pil.jpg")) {
            jpeg = in.readAllBytes();
        }
        // 64×16 = 1024 pixels; a 300-pixel decode budget forces every 2nd pixel: 32×8.
        RgbImage img = ImageDecoder.decode(jpeg, new DecodeLimits(10_000, 300));
        assertEquals(32, img.width());
        assertEquals(8, img.height());
        for (int i = 0; i < INKS.length; i++) {
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(PIL_RGB[i][ch], img.get(ch, 8 * i + 4, 4), 2, "patch " + i + " channel " + ch);
            }
        }
    }

    /** R = 255·(1 − c)·(1 − k), G and B likewise with m and y; ink fractions = value / 255. */
    static int[][] inkFormulaRgb() {
        int[][] rgb = new int[INKS.length][3];
        for (int i = 0; i < INKS.length; i++) {
            double k = INKS[i][3] / 255.0;
            for (int ch = 0; ch < 3; ch++) {
                rgb[i][ch] = (int) Math.round(255 * (1 - INKS[i][ch] / 255.0) * (1 - k));
            }
        }
        return rgb;
    }

    static void assertPatches(RgbImage img, int[][] expected, int tolerance, String what) {
        assertEquals(64, img.width());
        assertEquals(16, img.height());
        for (int i = 0; i < expected.length; i++) {
            for (int ch = 0; ch < 3; ch++) {
                assertEquals(expected[i][ch], img.get(ch, 16 * i + 8, 8), tolerance,
                        what + " patch " + i + " channel " + ch);
            }
        }
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /**
     * The JDK's JPEG writer stores a 4-band Raster's channels as given (no colour conversion), which makes it a
     * way to put exact CMYK or YCCK values into a file.
     */
    static byte[] writeRawFourChannel(int[][] patchValues, IIOMetadata metadata) throws Exception {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 64, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 64; x++) {
                raster.setPixel(x, y, patchValues[x / 16]);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** JPEG metadata with an Adobe APP14 marker of the given transform, taken from the PIL fixture. */
    static IIOMetadata adobeMetadata(int transform) throws Exception {
        try (InputStream in = FourChannelJpegTest.class.getResourceAsStream("/images/cmyk-pil.jpg");
             ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            ImageReader reader = ImageIO.getImageReaders(iis).next();
            reader.setInput(iis);
            IIOMetadata meta = reader.getImageMetadata(0);
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree("javax_imageio_jpeg_image_1.0");
            ((IIOMetadataNode) root.getElementsByTagName("app14Adobe").item(0))
                    .setAttribute("transform", Integer.toString(transform));
            meta.setFromTree("javax_imageio_jpeg_image_1.0", root);
            reader.dispose();
            return meta;
        }
    }

    static int adobeTransformOf(byte[] jpeg) throws Exception {
        try (ImageInputStream iis = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            ImageReader reader = ImageIO.getImageReaders(iis).next();
            reader.setInput(iis);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0)
                    .getAsTree("javax_imageio_jpeg_image_1.0");
            reader.dispose();
            var nodes = root.getElementsByTagName("app14Adobe");
            return nodes.getLength() == 0 ? -1
                    : Integer.parseInt(((IIOMetadataNode) nodes.item(0)).getAttribute("transform"));
        }
    }
}
