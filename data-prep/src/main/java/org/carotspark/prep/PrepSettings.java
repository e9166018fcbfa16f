package org.carotspark.prep;

import com.typesafe.config.Config;
import org.carotspark.config.SettingChecks;
import org.carotspark.config.UserFacingException;
import org.carotspark.image.DecodeLimits;

import java.time.Duration;
import java.util.regex.Pattern;

/** The {@code carot.prep} settings and the Parquet root, all checked before prep does any work. */
record PrepSettings(String parquetRoot, int imageSize, int trainShortSide, int jpegQuality, double heldoutFraction,
                    long heldoutSeed,
                    int filesPerTask, DecodeLimits decodeLimits, long maxFileBytes, int readAttempts,
                    int keepPreviousVersions, Duration lockStaleAfter, ShrinkGuard shrinkGuard) {

    /** Output images larger than this are almost certainly a typo (CLIP uses 224 to 448). */
    static final int MAX_IMAGE_SIZE = 4096;

    static PrepSettings from(Config c) {
        String root = c.getString("carot.data.parquet-root").strip();
        if (root.isEmpty()) {
            throw new UserFacingException("carot.data.parquet-root is empty");
        }
        refuseCredentialsInUri("carot.data.parquet-root", root);
        int imageSize = SettingChecks.intIn(c, "carot.prep.image-size", 8, MAX_IMAGE_SIZE);
        long maxPixels = SettingChecks.longIn(c, "carot.prep.max-image-pixels", 1, Long.MAX_VALUE);
        long decodeMax = SettingChecks.longIn(c, "carot.prep.decode-max-pixels", (long) imageSize * imageSize,
                Long.MAX_VALUE);
        int trainShortSide = SettingChecks.intIn(c, "carot.prep.train-short-side", 0, MAX_IMAGE_SIZE);
        if (trainShortSide != 0 && trainShortSide < imageSize) {
            throw new UserFacingException("carot.prep.train-short-side = " + trainShortSide + " is less than"
                    + " carot.prep.image-size = " + imageSize + ": the training crop would be upscaled (0 = image-size)");
        }
        return new PrepSettings(root, imageSize, trainShortSide == 0 ? imageSize : trainShortSide,
                SettingChecks.intIn(c, "carot.prep.jpeg-quality", 1, 100),
                SettingChecks.doubleIn(c, "carot.prep.heldout-fraction", 0, 1, true),
                SettingChecks.longIn(c, "carot.prep.heldout-seed", Long.MIN_VALUE, Long.MAX_VALUE),
                SettingChecks.intIn(c, "carot.prep.files-per-task", 1, Integer.MAX_VALUE),
                new DecodeLimits(maxPixels, decodeMax),
                SettingChecks.longIn(c, "carot.prep.max-file-bytes", 1, Integer.MAX_VALUE - 8),
                SettingChecks.intIn(c, "carot.prep.read-attempts", 1, 20),
                SettingChecks.intIn(c, "carot.prep.keep-previous-versions", 0, 1000),
                SettingChecks.durationAtLeast(c, "carot.prep.lock-stale-after", Duration.ofMinutes(1)),
                new ShrinkGuard(SettingChecks.doubleIn(c, ShrinkGuard.MAX_SHRINK, 0, 1, false),
                        c.getBoolean(ShrinkGuard.FORCE)));
    }

    /** {@code s3a://KEY:SECRET@bucket/...} would put the keys into the manifest, logs and every source_path. */
    static void refuseCredentialsInUri(String key, String value) {
        if (CREDENTIALS_IN_URI.matcher(value).find()) {
            throw new UserFacingException(key + " contains credentials (scheme://user:secret@...): give S3 keys "
                    + "through AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY instead");
        }
    }

    /** A URI whose authority (between {@code //} and the next {@code /}) holds an {@code @}. */
    private static final Pattern CREDENTIALS_IN_URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/]*@");
}
