package org.carotspark.report;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.UserFacingException;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.sparkutil.LocalFiles;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one page of measured figures ({@code carot.measurements-page}, docs/MEASUREMENTS.md): wall times and bench
 * tables go stale with every change, so they live here instead of in the README, and each tool that measures
 * ({@code bin/carot bench}, {@code demo}, {@code study}) rewrites only its own section, between the lines
 * {@code <!-- begin generated section "NAME" ... -->} and {@code <!-- end generated section "NAME" -->}. Everything
 * outside a tool's markers (other sections, text kept by hand) is left as it was; a missing page is created, a
 * missing section appended. Markers that do not pair up are one line naming the page and section, checked before
 * the tool starts its work, and nothing is written.
 */
public final class MeasurementsPage {

    public static final String KEY = "carot.measurements-page";
    private static final Pattern MARKER = Pattern.compile("^<!-- (begin|end) generated section \"([^\"]+)\".*-->\\s*$");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Path page;

    private MeasurementsPage(Path page) {
        this.page = page;
    }

    /** The configured page, or empty when {@code carot.measurements-page} is "" (nothing written). */
    public static Optional<MeasurementsPage> fromConfig(Config config) {
        String value = config.getString(KEY);
        return value.isBlank() ? Optional.empty()
                : Optional.of(new MeasurementsPage(LocalFiles.localPath(KEY, value, ": the page is a local file")));
    }

    public static MeasurementsPage at(Path page) {
        return new MeasurementsPage(page.toAbsolutePath());
    }

    public Path path() {
        return page;
    }

    /**
     * The configured page's section {@code name}, checked now so that a page whose markers would make the write fail
     * is refused before the tool's work, not after it; empty when {@code carot.measurements-page} is "".
     */
    public static Optional<Section> section(Config config, String name) throws IOException {
        Optional<MeasurementsPage> page = fromConfig(config);
        if (page.isPresent()) {
            page.get().check(name);
        }
        return page.map(p -> new Section(p, name));
    }

    /** One tool's section of a page. */
    public record Section(MeasurementsPage page, String name) {

        public void write(String body, Configuration hadoop) throws IOException {
            page.write(name, body, hadoop);
        }
    }

    /** Refuses a page whose markers would make {@link #write} fail for {@code section}. */
    public void check(String section) throws IOException {
        if (Files.exists(page)) {
            withSection(Files.readString(page, StandardCharsets.UTF_8), section, "", page.toString());
        }
    }

    /** Replaces {@code section}'s body (or adds the section, or creates the page), atomically, leaving the rest. */
    public void write(String section, String body, Configuration hadoop) throws IOException {
        String before = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : newPage();
        String after = withSection(before, section, body, page.toString());
        Files.createDirectories(page.getParent());
        HadoopFs.replaceAtomically(new org.apache.hadoop.fs.Path(page.toUri()), after, hadoop);
    }

    /**
     * {@code page} with {@code section}'s lines between its markers replaced by {@code body}, or the section appended
     * when it has no markers; a begin without its end (or the reverse, a doubled marker, an end before its begin,
     * another section's marker inside) is a {@link UserFacingException} naming {@code pageName} and the lines.
     */
    static String withSection(String page, String section, String body, String pageName) {
        String[] lines = page.split("\n", -1);
        List<Integer> begins = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MARKER.matcher(lines[i]);
            if (m.matches() && m.group(2).equals(section)) {
                (m.group(1).equals("begin") ? begins : ends).add(i);
            }
        }
        String block = beginMarker(section) + "\n" + (body.endsWith("\n") ? body : body + "\n") + endMarker(section);
        if (begins.isEmpty() && ends.isEmpty()) {
            String separator = page.isEmpty() || page.endsWith("\n\n") ? "" : page.endsWith("\n") ? "\n" : "\n\n";
            return page + separator + block + "\n";
        }
        if (begins.size() != 1 || ends.size() != 1 || ends.get(0) < begins.get(0)) {
            throw new UserFacingException(pageName + ": generated section \"" + section + "\" needs one begin marker"
                    + " followed by one end marker, found begin at line(s) " + lineNumbers(begins) + " and end at line(s) "
                    + lineNumbers(ends) + "; fix or remove the markers (nothing was written)");
        }
        for (int i = begins.get(0) + 1; i < ends.get(0); i++) {
            Matcher m = MARKER.matcher(lines[i]);
            if (m.matches()) {
                throw new UserFacingException(pageName + ": generated section \"" + section + "\" (lines "
                        + (begins.get(0) + 1) + "-" + (ends.get(0) + 1) + ") holds a marker of section \"" + m.group(2)
                        + "\" at line " + (i + 1) + "; fix the markers (nothing was written)");
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < begins.get(0); i++) {
            out.append(lines[i]).append('\n');
        }
        out.append(block);
        for (int i = ends.get(0) + 1; i < lines.length; i++) {
            out.append('\n').append(lines[i]);
        }
        return out.toString();
    }

    /** One line saying when and on what a measurement was taken: the figures mean little without it. */
    public static String provenance(Instant finished, double wallSeconds) {
        Runtime rt = Runtime.getRuntime();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "Measured %s, %s wall, on %d core(s), %s %s, Java %s, max heap %d MB%s.",
                WHEN.format(finished), duration(wallSeconds), rt.availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), rt.maxMemory() >> 20,
                load < 0 ? "" : String.format(Locale.ROOT, ", load average %.1f at the end", load));
    }

    /** "8 min 38 s", "59 s": how the page and the README write wall times. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
    }

    static String beginMarker(String section) {
        return "<!-- begin generated section \"" + section + "\": rewritten by each run, edits up to its end marker are"
                + " lost -->";
    }

    static String endMarker(String section) {
        return "<!-- end generated section \"" + section + "\" -->";
    }

    private static String newPage() {
        return "# Measurements\n\nMeasured figures, each section rewritten by the tool that measures it (`"
                + KEY + "`); text outside the generated sections is kept as it is.\n";
    }

    private static String lineNumbers(List<Integer> indices) {
        return indices.isEmpty() ? "none" : indices.stream().map(i -> String.valueOf(i + 1)).toList().toString();
    }
}
