package org.carotspark.synth;

import java.util.stream.IntStream;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.seed.Seeds;
import org.carotspark.sparkutil.LocalFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Writes a deterministic synthetic mini-ImageNet in the real published on-disk layouts, so that prep reads
 * it with exactly the readers used for real ImageNet:
 * <pre>
 * LOC_synset_mapping.txt                    "&lt;wnid&gt; &lt;name&gt;[, &lt;synonym&gt;...]", sorted by wnid = class order
 * ILSVRC2012/train/&lt;wnid&gt;/&lt;wnid&gt;_&lt;n&gt;.JPEG
 * ILSVRC2012/val/&lt;wnid&gt;/ILSVRC2012_val_&lt;8 digits&gt;.JPEG
 * imagenetv2/&lt;class index&gt;/&lt;sha1&gt;.jpeg          re-sampled with a slightly different generator
 * imagenet-r/&lt;wnid&gt;/&lt;type&gt;_&lt;n&gt;.jpg              renditions, over the IN-R class subset
 * imagenet-a/&lt;wnid&gt;/&lt;n&gt;.jpg                     hard examples, over the IN-A class subset
 * imagenet-sketch/&lt;wnid&gt;/sketch_&lt;n&gt;.JPEG
 * objectnet/images/&lt;folder&gt;/&lt;sha1&gt;.png          unusual poses/backgrounds; some folders unmapped
 * objectnet/mappings/                          ObjectNet's four mapping files, in their exact formats
 * imagenet-c/&lt;corruption&gt;/&lt;1..5&gt;/&lt;wnid&gt;/ILSVRC2012_val_*.JPEG   corruptions of val images
 * metadata/classnames.txt, templates.txt, imagenet_r_class_indices.txt, imagenet_a_class_indices.txt
 * </pre>
 * Every image is drawn from its own seeded random stream (seed, split, class, index), so the same
 * settings give byte-identical files regardless of thread scheduling.
 */
public final class MiniImageNetGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(MiniImageNetGenerator.class);

    public static final String MARKER_FILE = ".carot-mini-imagenet";
    public static final String SYNSET_FILE = "LOC_synset_mapping.txt";
    public static final String TRAIN_DIR = "ILSVRC2012/train";
    public static final String VAL_DIR = "ILSVRC2012/val";
    public static final String V2_DIR = "imagenetv2";
    public static final String R_DIR = "imagenet-r";
    public static final String A_DIR = "imagenet-a";
    public static final String SKETCH_DIR = "imagenet-sketch";
    public static final String OBJECTNET_DIR = "objectnet";
    public static final String C_DIR = "imagenet-c";
    public static final String METADATA_DIR = "metadata";
    public static final String CLASSNAMES_FILE = METADATA_DIR + "/classnames.txt";
    public static final String TEMPLATES_FILE = METADATA_DIR + "/templates.txt";
    public static final String R_INDICES_FILE = METADATA_DIR + "/imagenet_r_class_indices.txt";
    public static final String A_INDICES_FILE = METADATA_DIR + "/imagenet_a_class_indices.txt";

    /** Everything the generator owns under the output root (deleted before regenerating). */
    private static final List<String> OWNED = List.of(MARKER_FILE, SYNSET_FILE, "ILSVRC2012", V2_DIR, R_DIR, A_DIR,
            SKETCH_DIR, OBJECTNET_DIR, C_DIR, METADATA_DIR);

    /** Our own prompt templates (not OpenAI's list). */
    static final List<String> TEMPLATES = List.of(
            "an image showing a {}.",
            "a simple {} figure.",
            "a {} drawn on a canvas.",
            "the outline of a {}.",
            "a coloured {} shape.",
            "a tiny {} somewhere in the picture.",
            "a big {} in the middle.",
            "a {} with a busy background.");

    /** An ObjectNet class: its label, image folder and the ImageNet classes it maps to. */
    public record ObjectNetGroup(String label, String folder, List<ShapeKind> members) {
    }

    private static final List<ObjectNetGroup> ALL_GROUPS = List.of(
            new ObjectNetGroup("Round thing", "round_thing", List.of(ShapeKind.CIRCLE, ShapeKind.RING)),
            new ObjectNetGroup("Box", "box", List.of(ShapeKind.SQUARE)),
            new ObjectNetGroup("Road sign", "road_sign", List.of(ShapeKind.TRIANGLE, ShapeKind.ARROW)),
            new ObjectNetGroup("Star", "star", List.of(ShapeKind.STAR)),
            new ObjectNetGroup("Plus sign", "plus_sign", List.of(ShapeKind.CROSS)),
            new ObjectNetGroup("Nut", "nut", List.of(ShapeKind.HEXAGON, ShapeKind.PENTAGON)),
            new ObjectNetGroup("Moon", "moon", List.of(ShapeKind.CRESCENT)),
            new ObjectNetGroup("Kite", "kite", List.of(ShapeKind.DIAMOND)),
            new ObjectNetGroup("Lampshade", "lampshade", List.of(ShapeKind.TRAPEZOID)));

    private final GeneratorSettings settings;
    private final List<ShapeKind> classes;

    public MiniImageNetGenerator(GeneratorSettings settings) {
        this.settings = settings;
        this.classes = ShapeKind.imagenetClasses(settings.classes());
    }

    /** The wnid of class k: "n" + 8 digits, increasing with k so that wnid order = class order. */
    public static String wnid(int classIndex) {
        return String.format("n%08d", 91000000 + 1371 * classIndex);
    }

    /** IN-R-like class subset of n classes (class indices, ascending). */
    public static int[] imagenetRSubset(int n) {
        return IntStream.range(0, n).filter(k -> k % 4 != 3).toArray();
    }

    /** IN-A-like class subset of n classes (different from IN-R's, as in the real datasets). */
    public static int[] imagenetASubset(int n) {
        return IntStream.range(0, n).filter(k -> k % 4 != 0).toArray();
    }

    /** ObjectNet classes that map to at least one of the first n classes, with members restricted to them. */
    public static List<ObjectNetGroup> objectNetGroups(int n) {
        List<ObjectNetGroup> out = new ArrayList<>();
        for (ObjectNetGroup g : ALL_GROUPS) {
            List<ShapeKind> members = g.members().stream().filter(k -> k.ordinal() < n).toList();
            if (!members.isEmpty()) {
                out.add(new ObjectNetGroup(g.label(), g.folder(), members));
            }
        }
        return out;
    }

    /** Unmapped ObjectNet folders (labels absent from objectnet_to_imagenet_1k.json). */
    public List<ShapeKind> unmappedObjectNetKinds() {
        return ShapeKind.unmappedObjectNetKinds().subList(0, settings.objectNetUnmappedFolders());
    }

    public static String unmappedLabel(ShapeKind k) {
        String n = k.className();
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** Files written per layout directory. */
    public record Summary(Path root, Map<String, Integer> filesPerLayout, double seconds) {
        public int totalFiles() {
            return filesPerLayout.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public Summary generate() throws IOException {
        long t0 = System.nanoTime();
        Path root = settings.outputRoot();
        prepareRoot(root);
        int n = classes.size();
        writeMetadata(root);

        Map<String, List<Runnable>> tasks = new LinkedHashMap<>();
        List<Runnable> train = new ArrayList<>();
        List<Runnable> val = new ArrayList<>();
        List<Runnable> v2 = new ArrayList<>();
        List<Runnable> r = new ArrayList<>();
        List<Runnable> a = new ArrayList<>();
        List<Runnable> sketch = new ArrayList<>();
        List<Runnable> objectnet = new ArrayList<>();
        List<Runnable> c = new ArrayList<>();
        SketchStyle sketchStyle = new SketchStyle();
        HardExampleStyle hard = new HardExampleStyle(classes);
        ObjectNetStyle objectNetStyle = new ObjectNetStyle();
        int[] rSet = imagenetRSubset(n);
        int[] aSet = imagenetASubset(n);

        for (int k = 0; k < n; k++) {
            final int cls = k;
            String wnid = wnid(k);
            ShapeKind kind = classes.get(k);
            for (int j = 1; j <= settings.trainPerClass(); j++) {
                final int jj = j;
                train.add(() -> writeJpeg(root.resolve(TRAIN_DIR).resolve(wnid).resolve(wnid + "_" + jj + ".JPEG"),
                        PhotoStyle.IMAGENET.render(kind, rnd("train", cls, jj), size(rnd("train-size", cls, jj)),
                                size2(rnd("train-size", cls, jj)))));
            }
            for (int j = 0; j < settings.valPerClass(); j++) {
                final int jj = j;
                val.add(() -> writeJpeg(root.resolve(VAL_DIR).resolve(wnid).resolve(valName(cls, jj)),
                        renderVal(cls, jj)));
            }
            for (int j = 0; j < settings.oodPerClass(); j++) {
                final int jj = j;
                v2.add(() -> writeJpeg(root.resolve(V2_DIR).resolve(Integer.toString(cls))
                                .resolve(sha1("v2/" + settings.seed() + "/" + cls + "/" + jj) + ".jpeg"),
                        PhotoStyle.IMAGENET_V2.render(kind, rnd("v2", cls, jj), size(rnd("v2-size", cls, jj)),
                                size2(rnd("v2-size", cls, jj)))));
                sketch.add(() -> writeJpeg(root.resolve(SKETCH_DIR).resolve(wnid).resolve("sketch_" + jj + ".JPEG"),
                        sketchStyle.render(kind, rnd("sketch", cls, jj), size(rnd("sketch-size", cls, jj)),
                                size2(rnd("sketch-size", cls, jj)))));
                if (contains(rSet, cls)) {
                    String type = RenditionStyle.typeOf(jj);
                    r.add(() -> writeJpeg(root.resolve(R_DIR).resolve(wnid).resolve(type + "_" + jj + ".jpg"),
                            new RenditionStyle(type).render(kind, rnd("r", cls, jj), size(rnd("r-size", cls, jj)),
                                    size2(rnd("r-size", cls, jj)))));
                }
                if (contains(aSet, cls)) {
                    a.add(() -> writeJpeg(root.resolve(A_DIR).resolve(wnid).resolve(jj + ".jpg"),
                            hard.render(kind, rnd("a", cls, jj), size(rnd("a-size", cls, jj)),
                                    size2(rnd("a-size", cls, jj)))));
                }
            }
            for (int j = 0; j < settings.imagenetCPerClass(); j++) {
                final int jj = j;
                for (String corruption : settings.corruptions()) {
                    for (int sev = 1; sev <= 5; sev++) {
                        final int s = sev;
                        c.add(() -> writeJpeg(root.resolve(C_DIR).resolve(corruption).resolve(Integer.toString(s))
                                        .resolve(wnid).resolve(valName(cls, jj)),
                                Corruptions.apply(corruption, s, renderVal(cls, jj),
                                        rnd("c/" + corruption + "/" + s, cls, jj))));
                    }
                }
            }
        }
        Path images = root.resolve(OBJECTNET_DIR).resolve("images");
        List<ObjectNetGroup> groups = objectNetGroups(n);
        for (int gi = 0; gi < groups.size(); gi++) {
            ObjectNetGroup g = groups.get(gi);
            final int gg = gi;
            for (int j = 0; j < settings.oodPerClass(); j++) {
                final int jj = j;
                ShapeKind kind = g.members().get(j % g.members().size());
                objectnet.add(() -> writePng(images.resolve(g.folder()).resolve(sha1("objectnet/" + settings.seed()
                        + "/" + g.folder() + "/" + jj) + ".png"), objectNetStyle.render(kind,
                        rnd("objectnet", gg, jj), size(rnd("objectnet-size", gg, jj)),
                        size2(rnd("objectnet-size", gg, jj)))));
            }
        }
        for (ShapeKind kind : unmappedObjectNetKinds()) {
            for (int j = 0; j < settings.oodPerClass(); j++) {
                final int jj = j;
                objectnet.add(() -> writePng(images.resolve(kind.className()).resolve(sha1("objectnet/"
                        + settings.seed() + "/" + kind.className() + "/" + jj) + ".png"), objectNetStyle.render(kind,
                        rnd("objectnet-unmapped", kind.ordinal(), jj), size(rnd("objectnet-size", kind.ordinal(), jj)),
                        size2(rnd("objectnet-size", kind.ordinal(), jj)))));
            }
        }
        tasks.put(TRAIN_DIR, train);
        tasks.put(VAL_DIR, val);
        tasks.put(V2_DIR, v2);
        tasks.put(R_DIR, r);
        tasks.put(A_DIR, a);
        tasks.put(SKETCH_DIR, sketch);
        tasks.put(OBJECTNET_DIR, objectnet);
        tasks.put(C_DIR, c);

        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<String, List<Runnable>> e : tasks.entrySet()) {
            AtomicInteger done = new AtomicInteger();
            e.getValue().parallelStream().forEach(t -> {
                t.run();
                done.incrementAndGet();
            });
            counts.put(e.getKey(), done.get());
        }
        // The marker lets a later run clear this directory; it holds no path, so output stays relocatable.
        Files.writeString(root.resolve(MARKER_FILE), "synthetic mini-ImageNet written by CaRot-Spark; "
                + settings.withOutputRoot(Path.of(".")) + "\n", StandardCharsets.UTF_8);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Summary summary = new Summary(root, counts, seconds);
        LOG.info("generated synthetic mini-ImageNet: {} classes, {} files in {} s at {} ({})", n,
                summary.totalFiles(), String.format("%.1f", seconds), root, counts);
        return summary;
    }

    /** Refuses to write into a non-empty directory we did not create; clears our own previous output. */
    private static void prepareRoot(Path root) throws IOException {
        if (Files.isDirectory(root)) {
            boolean empty;
            try (Stream<Path> s = Files.list(root)) {
                empty = s.findAny().isEmpty();
            }
            if (!empty && !Files.exists(root.resolve(MARKER_FILE))) {
                throw new UserFacingException("generator output root " + root + " is not empty and was not written by"
                        + " the generator (no " + MARKER_FILE + "); choose an empty carot.generate.output-root");
            }
            for (String owned : OWNED) {
                LocalFiles.deleteRecursively(root.resolve(owned));
            }
        } else if (Files.exists(root)) {
            throw new UserFacingException("generator output root " + root + " exists and is not a directory");
        }
        Files.createDirectories(root);
    }

    private void writeMetadata(Path root) throws IOException {
        int n = classes.size();
        StringBuilder synsets = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int k = 0; k < n; k++) {
            synsets.append(wnid(k)).append(' ').append(classes.get(k).synset()).append('\n');
            names.append(classes.get(k).className()).append('\n');
        }
        write(root.resolve(SYNSET_FILE), synsets.toString());
        write(root.resolve(CLASSNAMES_FILE), names.toString());
        write(root.resolve(TEMPLATES_FILE), String.join("\n", TEMPLATES) + "\n");
        write(root.resolve(R_INDICES_FILE), indexLines(imagenetRSubset(n)));
        write(root.resolve(A_INDICES_FILE), indexLines(imagenetASubset(n)));

        // ObjectNet mappings: ObjectNet numbers ImageNet classes in its own order (imagenet_to_label_2012_v2
        // lines) and maps PyTorch indices to those ids; we use a seeded permutation so the chain is exercised.
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            order.add(k);
        }
        Collections.shuffle(order, new Random(Seeds.derive(settings.seed(), "objectnet-index-order")));
        int[] idOfClass = new int[n];
        StringBuilder labels = new StringBuilder();
        for (int line = 0; line < n; line++) {
            idOfClass[order.get(line)] = line;
            labels.append(classes.get(order.get(line)).synset()).append('\n');
        }
        Path mappings = root.resolve(OBJECTNET_DIR).resolve("mappings");
        write(mappings.resolve(DatasetMetadata.IMAGENET_TO_LABEL_FILE), labels.toString());
        List<String[]> pytorch = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            pytorch.add(new String[]{Integer.toString(k), null, Integer.toString(idOfClass[k])});
        }
        write(mappings.resolve(DatasetMetadata.PYTORCH_TO_IMAGENET_ID_FILE), json(pytorch));
        List<String[]> folderToLabel = new ArrayList<>();
        List<String[]> labelToImagenet = new ArrayList<>();
        for (ObjectNetGroup g : objectNetGroups(n)) {
            folderToLabel.add(new String[]{g.folder(), g.label(), null});
            labelToImagenet.add(new String[]{g.label(), String.join("; ",
                    g.members().stream().map(ShapeKind::synset).toList()), null});
        }
        for (ShapeKind k : unmappedObjectNetKinds()) {
            folderToLabel.add(new String[]{k.className(), unmappedLabel(k), null});
        }
        write(mappings.resolve(DatasetMetadata.FOLDER_TO_LABEL_FILE), json(folderToLabel));
        write(mappings.resolve(DatasetMetadata.OBJECTNET_TO_IMAGENET_FILE), json(labelToImagenet));
    }

    /** ObjectNet's JSON style: one {@code "key": value} per line, two-space indent. */
    private static String json(List<String[]> entries) {
        StringBuilder sb = new StringBuilder("{\n");
        for (int i = 0; i < entries.size(); i++) {
            String[] e = entries.get(i);
            sb.append("  ").append(quote(e[0])).append(": ").append(e[1] != null ? quote(e[1]) : e[2]);
            sb.append(i + 1 < entries.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String indexLines(int[] indices) {
        StringBuilder sb = new StringBuilder();
        for (int i : indices) {
            sb.append(i).append('\n');
        }
        return sb.toString();
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    private String valName(int cls, int j) {
        return String.format("ILSVRC2012_val_%08d.JPEG", cls * settings.valPerClass() + j + 1);
    }

    private BufferedImage renderVal(int cls, int j) {
        return PhotoStyle.IMAGENET.render(classes.get(cls), rnd("val", cls, j), size(rnd("val-size", cls, j)),
                size2(rnd("val-size", cls, j)));
    }

    /** Raw width (first draw of a size stream); {@link #size2} gives the height from a fresh copy of it. */
    private int size(Random r) {
        return settings.minSize() + r.nextInt(settings.maxSize() - settings.minSize() + 1);
    }

    private int size2(Random r) {
        r.nextInt();
        return settings.minSize() + r.nextInt(settings.maxSize() - settings.minSize() + 1);
    }

    private Random rnd(String stream, int cls, int j) {
        return new Random(Seeds.derive(settings.seed(), stream, cls, j));
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeJpeg(Path p, BufferedImage img) {
        writeBytes(p, ImagePreprocessor.encodeJpeg(img, settings.jpegQuality()));
    }

    private static void writePng(Path p, BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            writeBytes(p, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(Path p, byte[] bytes) {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }
}
