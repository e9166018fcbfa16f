package org.carotspark.image;

import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Decodes any ImageIO-readable bytes (JPEG incl. greyscale and Adobe CMYK/YCCK, PNG, BMP, GIF) into RGB.
 * The format is recognised from the content, not the file name. Reader warnings (e.g. a truncated JPEG,
 * which ImageIO would otherwise fill with grey) are treated as errors, like PIL does by default.
 * Alpha is dropped (as PIL's {@code convert("RGB")}), greyscale is replicated to R=G=B without any gamma
 * conversion.
 *
 * <p>The header's width × height is checked against {@link DecodeLimits} before any pixel is decoded, and
 * very large legal images are decoded subsampled, so one image never needs more than a bounded amount of memory.
 */
public final class ImageDecoder {

    private static final String JPEG_NATIVE_METADATA = "javax_imageio_jpeg_image_1.0";
    /** Adobe APP14 transform flag of YCCK: the first three channels are YCbCr of the (inverted) CMY inks. */
    private static final int ADOBE_YCCK = 2;

    private ImageDecoder() {
    }

    public static RgbImage decode(byte[] bytes) throws ImageDecodeException {
        return decode(bytes, DecodeLimits.DEFAULT);
    }

    public static RgbImage decode(byte[] bytes, DecodeLimits limits) throws ImageDecodeException {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException("empty file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException("not an image: no ImageIO reader recognises the content");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, false);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                // Header only: nothing is decoded before the size is known to be acceptable.
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > limits.maxPixels()) {
                    throw new ImageTooLargeException(width, height, limits.maxPixels());
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = limits.subsampling(width, height);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                RgbImage img = isFourChannelJpeg(reader)
                        ? readFourChannelJpeg(reader, param)
                        : toRgb(reader.read(0, param));
                if (!warnings.isEmpty()) {
                    throw new ImageDecodeException("corrupt " + reader.getFormatName() + ": " + warnings.get(0));
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException("corrupt image: " + e.getMessage(), e);
        }
    }

    /** Any BufferedImage → RGB planes. */
    public static RgbImage toRgb(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        ColorModel cm = bi.getColorModel();
        Raster raster = bi.getRaster();
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Straight replication: BufferedImage.getRGB would apply a linear→sRGB conversion to grey.
            int bits = cm.getComponentSize(0);
            float scale = 255f / ((1 << bits) - 1);
            RgbImage out = new RgbImage(w, h);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = Math.round(row[x] * scale);
                    out.planes()[0][y * w + x] = v;
                    out.planes()[1][y * w + x] = v;
                    out.planes()[2][y * w + x] = v;
                }
            }
            return out;
        }
        RgbImage direct = fromInterleavedSrgbBytes(bi);
        if (direct != null) {
            return direct;
        }
        int[] rgb = bi.getRGB(0, 0, w, h, null, 0, w);
        return RgbImage.fromPackedRgb(w, h, rgb);
    }

    /**
     * The bytes of a 3-channel 8-bit sRGB raster read straight into planes — what the JPEG reader returns
     * ({@code TYPE_3BYTE_BGR}). {@code getRGB} converts every pixel through the colour model and packs it into an
     * int first; the values are the same. Null for any other raster.
     */
    private static RgbImage fromInterleavedSrgbBytes(BufferedImage bi) {
        ColorModel cm = bi.getColorModel();
        Raster raster = bi.getRaster();
        if (!(cm instanceof ComponentColorModel) || cm.hasAlpha() || !cm.getColorSpace().isCS_sRGB()
                || cm.getNumComponents() != 3 || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || buffer.getNumBanks() != 1 || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel sm)
                || sm.getPixelStride() != 3 || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0 || cm.getComponentSize(0) != 8) {
            return null;
        }
        int w = bi.getWidth();
        int h = bi.getHeight();
        int stride = sm.getScanlineStride();
        int[] offsets = sm.getBandOffsets();
        byte[] data = buffer.getData();
        int base = buffer.getOffset();
        RgbImage out = new RgbImage(w, h);
        float[] r = out.planes()[0];
        float[] g = out.planes()[1];
        float[] b = out.planes()[2];
        for (int y = 0; y < h; y++) {
            int p = base + y * stride;
            int i = y * w;
            for (int x = 0; x < w; x++, p += 3, i++) {
                r[i] = data[p + offsets[0]] & 0xff;
                g[i] = data[p + offsets[1]] & 0xff;
                b[i] = data[p + offsets[2]] & 0xff;
            }
        }
        return out;
    }

    /**
     * A JPEG whose frame has four components is CMYK or YCCK. The JDK's reader decodes such files without error
     * but interprets the channels as non-inverted CMYK and gets every colour wrong, so they never go through
     * {@link ImageReader#read}: the raw channels are read and converted here.
     */
    private static boolean isFourChannelJpeg(ImageReader reader) throws IOException {
        if (!"jpeg".equalsIgnoreCase(reader.getFormatName())) {
            return false;
        }
        Node sof = find(jpegMetadata(reader), "sof");
        if (sof == null) {
            return false;
        }
        Node components = sof.getAttributes().getNamedItem("numFrameComponents");
        return components != null && "4".equals(components.getNodeValue());
    }

    /**
     * CMYK / YCCK JPEG → RGB with the conventions of Adobe's writers, which PIL and libjpeg follow too: the
     * stored channels are inverted CMYK (stored = 255 − ink), with or without an Adobe APP14 marker, so
     * RGB = stored C · stored K / 255 (= 255 · (1 − c) · (1 − k) in ink fractions). With the APP14 transform
     * flag 2 (YCCK) the first three channels are YCbCr (JFIF equations) of (255 − stored C, M, Y) and K is
     * stored as in CMYK. Embedded ICC profiles are ignored, as PIL's {@code convert("RGB")} ignores them.
     */
    private static RgbImage readFourChannelJpeg(ImageReader reader, ImageReadParam param) throws IOException {
        boolean ycck = adobeTransform(reader) == ADOBE_YCCK;
        Raster raster = reader.readRaster(0, param);
        int w = raster.getWidth();
        int h = raster.getHeight();
        RgbImage out = new RgbImage(w, h);
        int[] px = new int[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x + raster.getMinX(), y + raster.getMinY(), px);
                float c = px[0];
                float m = px[1];
                float ye = px[2];
                float k = px[3];
                if (ycck) {
                    float luma = px[0];
                    float cb = px[1] - 128f;
                    float cr = px[2] - 128f;
                    c = 255f - clamp(luma + 1.402f * cr);
                    m = 255f - clamp(luma - 0.344136f * cb - 0.714136f * cr);
                    ye = 255f - clamp(luma + 1.772f * cb);
                }
                int i = y * w + x;
                out.planes()[0][i] = Math.round(c * k / 255f);
                out.planes()[1][i] = Math.round(m * k / 255f);
                out.planes()[2][i] = Math.round(ye * k / 255f);
            }
        }
        return out;
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : Math.min(v, 255f);
    }

    private static Node jpegMetadata(ImageReader reader) throws IOException {
        IIOMetadata meta = reader.getImageMetadata(0);
        return meta == null ? null : meta.getAsTree(JPEG_NATIVE_METADATA);
    }

    /** The Adobe APP14 transform flag (0 CMYK, 1 YCbCr, 2 YCCK), or -1 when there is no Adobe marker. */
    private static int adobeTransform(ImageReader reader) throws IOException {
        Node adobe = find(jpegMetadata(reader), "app14Adobe");
        if (adobe == null) {
            return -1;
        }
        NamedNodeMap attrs = adobe.getAttributes();
        Node t = attrs.getNamedItem("transform");
        return t == null ? -1 : Integer.parseInt(t.getNodeValue());
    }

    private static Node find(Node node, String name) {
        if (node == null) {
            return null;
        }
        if (name.equals(node.getNodeName())) {
            return node;
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node f = find(c, name);
            if (f != null) {
                return f;
            }
        }
        return null;
    }
}
