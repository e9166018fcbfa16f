package org.carotspark.image;

import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
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
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    public static RgbImage decode(byte[] bytes) throws ImageDecodeException {
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
                RgbImage img;
                try {
                    img = toRgb(reader.read(0));
                } catch (IIOException e) {
                    if (isUnsupportedColourSpace(e)) {
                        img = readFourChannelJpeg(reader);
                    } else {
                        throw e;
                    }
                }
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

    private static boolean isUnsupportedColourSpace(IIOException e) {
        return e.getMessage() != null && e.getMessage().contains("Unsupported Image Type");
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
        int[] rgb = bi.getRGB(0, 0, w, h, null, 0, w);
        return RgbImage.fromPackedRgb(w, h, rgb);
    }

    /**
     * Adobe CMYK / YCCK JPEGs, which ImageIO's JPEG reader refuses to colour-convert: read the raw raster and
     * convert here. Adobe stores CMYK inverted, so RGB = C·K/255 on the stored values; YCCK is first turned
     * back into those stored CMY values from its YCbCr part.
     */
    private static RgbImage readFourChannelJpeg(ImageReader reader) throws IOException, ImageDecodeException {
        Raster raster = reader.readRaster(0, null);
        if (raster.getNumBands() != 4) {
            throw new ImageDecodeException("unsupported JPEG colour space with " + raster.getNumBands() + " channels");
        }
        boolean ycck = adobeTransform(reader.getImageMetadata(0)) == 2;
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
                    float yy = px[0];
                    float cb = px[1] - 128f;
                    float cr = px[2] - 128f;
                    c = 255f - clamp(yy + 1.402f * cr);
                    m = 255f - clamp(yy - 0.344136f * cb - 0.714136f * cr);
                    ye = 255f - clamp(yy + 1.772f * cb);
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

    /** The Adobe APP14 transform flag (0 CMYK, 1 YCbCr, 2 YCCK), or -1 when there is no Adobe marker. */
    private static int adobeTransform(IIOMetadata meta) {
        if (meta == null) {
            return -1;
        }
        try {
            Node root = meta.getAsTree("javax_imageio_jpeg_image_1.0");
            Node adobe = find(root, "app14Adobe");
            if (adobe == null) {
                return -1;
            }
            NamedNodeMap attrs = adobe.getAttributes();
            Node t = attrs.getNamedItem("transform");
            return t == null ? -1 : Integer.parseInt(t.getNodeValue());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Node find(Node node, String name) {
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
