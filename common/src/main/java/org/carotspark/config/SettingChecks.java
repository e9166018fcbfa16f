package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;

/**
 * Reads a setting and checks its range in one step, so every bad value is one line that names the key, the
 * allowed range, the value given and where it came from, e.g.
 * {@code carot.prep.image-size must be an integer in [8, 4096], got 32.5 (command-line -Dcarot.prep.image-size)}.
 * Unlike {@link Config#getInt}, a fractional number is not silently truncated.
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    public static int intIn(Config c, String path, int min, int max) {
        return (int) longIn(c, path, min, max);
    }

    public static long longIn(Config c, String path, long min, long max) {
        ConfigValue v = c.getValue(path);
        double d = number(c, path, v, "an integer in " + range(min, max));
        if (d != Math.rint(d) || d < min || d > max) {
            throw bad(path, v, "an integer in " + range(min, max));
        }
        return c.getLong(path);
    }

    /** A number in [min, max) when {@code maxExclusive}, else in [min, max]. */
    public static double doubleIn(Config c, String path, double min, double max, boolean maxExclusive) {
        ConfigValue v = c.getValue(path);
        String wanted = "a number in [" + min + ", " + max + (maxExclusive ? ")" : "]");
        double d = number(c, path, v, wanted);
        if (!(d >= min && (maxExclusive ? d < max : d <= max))) {
            throw bad(path, v, wanted);
        }
        return d;
    }

    public static Duration durationAtLeast(Config c, String path, Duration min) {
        ConfigValue v = c.getValue(path);
        Duration d;
        try {
            d = c.getDuration(path);
        } catch (com.typesafe.config.ConfigException.BadValue | com.typesafe.config.ConfigException.WrongType e) {
            throw bad(path, v, "a duration such as \"10 minutes\"");
        }
        if (d.compareTo(min) < 0) {
            throw bad(path, v, "a duration of at least " + min.toSeconds() + " s");
        }
        return d;
    }

    private static double number(Config c, String path, ConfigValue v, String wanted) {
        if (v.valueType() == ConfigValueType.NUMBER) {
            return ((Number) v.unwrapped()).doubleValue();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            try {
                return Double.parseDouble(((String) v.unwrapped()).trim());
            } catch (NumberFormatException e) {
                throw bad(path, v, wanted);
            }
        }
        throw bad(path, v, wanted);
    }

    private static String range(long min, long max) {
        return "[" + min + ", " + max + "]";
    }

    private static UserFacingException bad(String path, ConfigValue v, String wanted) {
        return new UserFacingException(path + " must be " + wanted + ", got " + v.render() + " ("
                + v.origin().description() + ")");
    }
}
