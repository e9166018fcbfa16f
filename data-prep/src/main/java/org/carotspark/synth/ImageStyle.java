package org.carotspark.synth;

import java.awt.image.BufferedImage;
import java.util.Random;

/** One way of drawing an object category: the ID photo style or one distribution shift. */
interface ImageStyle {
    BufferedImage render(ShapeKind kind, Random rnd, int width, int height);
}
