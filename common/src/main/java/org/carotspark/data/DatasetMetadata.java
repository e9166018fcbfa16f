package org.carotspark.data;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.carotspark.config.UserFacingException;
import org.carotspark.sparkutil.HadoopFs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The metadata that ships with the datasets, read from the paths under {@code carot.data.metadata}:
 * the ILSVRC synset file (class order = class index), class names, prompt templates, the IN-R / IN-A
 * class subsets and ObjectNet's mapping folder. Paths may be local paths or any Hadoop-FS URI.
 *
 * <p>ObjectNet classes are resolved through ObjectNet's own chain: image folder →
 * {@code folder_to_objectnet_label.json} → ObjectNet label → {@code objectnet_to_imagenet_1k.json} →
 * "; "-separated ImageNet label strings → line index in {@code imagenet_to_label_2012_v2} (ObjectNet's
 * ImageNet id) → PyTorch class index via {@code pytorch_to_imagenet_2012_id.json}. Only ObjectNet labels
 * present in {@code objectnet_to_imagenet_1k.json} become classes (113 for the real files); the ObjectNet
 * class index is the position in the sorted list of those labels.
 */
public final class DatasetMetadata implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String KEY_PREFIX = "carot.data.metadata.";
    public static final String FOLDER_TO_LABEL_FILE = "folder_to_objectnet_label.json";
    public static final String OBJECTNET_TO_IMAGENET_FILE = "objectnet_to_imagenet_1k.json";
    public static final String IMAGENET_TO_LABEL_FILE = "imagenet_to_label_2012_v2";
    public static final String PYTORCH_TO_IMAGENET_ID_FILE = "pytorch_to_imagenet_2012_id.json";

    private final List<String> wnids;
    private final List<String> synsetNames;
    private final List<String> classNames;
    private final List<String> templates;
    private final int[] imagenetRSubset;
    private final int[] imagenetASubset;
    private final List<String> objectNetClasses;
    private final int[][] objectNetToImagenet;
    private final Map<String, Integer> objectNetFolderToClass;
    private final Map<String, Integer> wnidToIndex;

    /**
     * @param wnids               class order = class index
     * @param synsetNames         the full synset text of each class (after the wnid)
     * @param classNames          one display name per class
     * @param objectNetClasses    sorted ObjectNet labels that map to ImageNet
     * @param objectNetToImagenet per ObjectNet class, the ImageNet class indices
     * @param objectNetFolderToClass image folder → ObjectNet class index (mapped folders only)
     */
    public DatasetMetadata(List<String> wnids, List<String> synsetNames, List<String> classNames,
                           List<String> templates, int[] imagenetRSubset, int[] imagenetASubset,
                           List<String> objectNetClasses, int[][] objectNetToImagenet,
                           Map<String, Integer> objectNetFolderToClass) {
        this.wnids = List.copyOf(wnids);
        this.synsetNames = List.copyOf(synsetNames);
        this.classNames = List.copyOf(classNames);
        this.templates = List.copyOf(templates);
        this.imagenetRSubset = imagenetRSubset.clone();
        this.imagenetASubset = imagenetASubset.clone();
        this.objectNetClasses = List.copyOf(objectNetClasses);
        this.objectNetToImagenet = deepCopy(objectNetToImagenet);
        this.objectNetFolderToClass = Collections.unmodifiableMap(new TreeMap<>(objectNetFolderToClass));
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < wnids.size(); i++) {
            idx.put(wnids.get(i), i);
        }
        this.wnidToIndex = Collections.unmodifiableMap(idx);
    }

    /** Loads every file named under {@code carot.data.metadata}, using the active session's Hadoop conf if any. */
    public static DatasetMetadata load(Config config) {
        return load(config, HadoopFs.configuration(config));
    }

    public static DatasetMetadata load(Config config, Configuration hadoopConf) {
        return load(config, hadoopConf, true);
    }

    /**
     * @param objectNet whether the ObjectNet split is used: without it, ObjectNet's mapping files are neither read
     *                  nor required (a run without ObjectNet need not have them)
     */
    public static DatasetMetadata load(Config config, Configuration hadoopConf, boolean objectNet) {
        Reader r = new Reader(config, hadoopConf);
        String synsetsPath = r.requiredPath("synsets");
        List<String> wnids = new ArrayList<>();
        List<String> synsetNames = new ArrayList<>();
        int lineNo = 0;
        for (String raw : r.lines("synsets", synsetsPath)) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int sp = indexOfWhitespace(line);
            if (sp <= 0) {
                throw r.malformed("synsets", synsetsPath, "line " + lineNo + " is not '<wnid> <name>[, <synonym>...]': '"
                        + line + "'");
            }
            String wnid = line.substring(0, sp);
            if (wnids.contains(wnid)) {
                throw r.malformed("synsets", synsetsPath, "line " + lineNo + " repeats wnid " + wnid);
            }
            wnids.add(wnid);
            synsetNames.add(line.substring(sp + 1).strip());
        }
        if (wnids.isEmpty()) {
            throw r.malformed("synsets", synsetsPath, "no synset lines");
        }
        int n = wnids.size();

        List<String> classNames;
        String classNamesPath = r.optionalPath("classnames");
        if (classNamesPath.isEmpty()) {
            classNames = new ArrayList<>();
            for (String s : synsetNames) {
                classNames.add(s.split(",", 2)[0].strip());
            }
        } else {
            classNames = nonBlank(r.lines("classnames", classNamesPath));
            if (classNames.size() != n) {
                throw r.malformed("classnames", classNamesPath, classNames.size() + " class names for " + n
                        + " synsets in " + synsetsPath);
            }
        }

        List<String> templates = List.of();
        String templatesPath = r.optionalPath("templates");
        if (!templatesPath.isEmpty()) {
            templates = nonBlank(r.lines("templates", templatesPath));
            for (int i = 0; i < templates.size(); i++) {
                if (!templates.get(i).contains("{}")) {
                    throw r.malformed("templates", templatesPath, "template " + (i + 1) + " has no '{}': '"
                            + templates.get(i) + "'");
                }
            }
            if (templates.isEmpty()) {
                throw r.malformed("templates", templatesPath, "no templates");
            }
        }

        int[] rSubset = r.subset("imagenet-r-indices", n);
        int[] aSubset = r.subset("imagenet-a-indices", n);

        List<String> onClasses = List.of();
        int[][] onToIn = new int[0][];
        Map<String, Integer> folderToClass = Map.of();
        String mappings = objectNet ? r.optionalPath("objectnet-mappings") : "";
        if (!mappings.isEmpty()) {
            ObjectNetChain chain = ObjectNetChain.read(r, mappings, n);
            onClasses = chain.classes;
            onToIn = chain.toImagenet;
            folderToClass = chain.folderToClass;
        }
        return new DatasetMetadata(wnids, synsetNames, classNames, templates, rSubset, aSubset, onClasses, onToIn,
                folderToClass);
    }

    /** wnids in synset-file order: position = class index. */
    public List<String> wnids() {
        return wnids;
    }

    public int numClasses() {
        return wnids.size();
    }

    /** Class index of a wnid, or -1 when it is not in the synset file. */
    public int classIndex(String wnid) {
        Integer i = wnidToIndex.get(wnid);
        return i == null ? -1 : i;
    }

    /** The synset text after the wnid, e.g. {@code "tench, Tinca tinca"}. */
    public List<String> synsetNames() {
        return synsetNames;
    }

    /** One display name per class: the class-names file when configured, else each synset's first name. */
    public List<String> classNames() {
        return classNames;
    }

    /** Prompt templates, each containing {@code {}}; empty when none is configured. */
    public List<String> templates() {
        return templates;
    }

    /** Class indices of the IN-R subset (empty when not configured). */
    public int[] imagenetRSubset() {
        return imagenetRSubset.clone();
    }

    /** Class indices of the IN-A subset (empty when not configured). */
    public int[] imagenetASubset() {
        return imagenetASubset.clone();
    }

    /** ObjectNet labels that map to ImageNet, sorted; position = ObjectNet class index. */
    public List<String> objectNetClasses() {
        return objectNetClasses;
    }

    /** Per ObjectNet class index, the ImageNet class indices it maps to (ascending). */
    public int[][] objectNetToImagenet() {
        return deepCopy(objectNetToImagenet);
    }

    /** ObjectNet image folder → ObjectNet class index, for mapped folders only. */
    public Map<String, Integer> objectNetFolderToClass() {
        return objectNetFolderToClass;
    }

    public boolean hasObjectNetMapping() {
        return !objectNetClasses.isEmpty();
    }

    private static int[][] deepCopy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> nonBlank(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (!l.isBlank()) {
                out.add(l.strip());
            }
        }
        return out;
    }

    /** Reads the configured files and turns every problem into a one-line "what and where" error. */
    static final class Reader {
        private final Config config;
        private final Configuration hadoopConf;

        Reader(Config config, Configuration hadoopConf) {
            this.config = config;
            this.hadoopConf = hadoopConf;
        }

        String requiredPath(String key) {
            String p = optionalPath(key);
            if (p.isEmpty()) {
                throw new UserFacingException(KEY_PREFIX + key + " is empty: it must name the " + key + " file");
            }
            return p;
        }

        String optionalPath(String key) {
            return config.hasPath(KEY_PREFIX + key) ? config.getString(KEY_PREFIX + key).strip() : "";
        }

        String read(String key, String path) {
            try {
                return HadoopFs.readString(new Path(path), hadoopConf);
            } catch (FileNotFoundException e) {
                throw new UserFacingException(what(key) + " not found: " + path);
            } catch (IOException | IllegalArgumentException e) {
                throw new UserFacingException("cannot read " + what(key) + " " + path + ": " + e.getMessage(), e);
            }
        }

        List<String> lines(String key, String path) {
            String text = read(key, path);
            List<String> out = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
            while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        }

        ConfigObject json(String key, String path) {
            String text = read(key, path);
            try {
                return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)
                        .setOriginDescription(path)).root();
            } catch (ConfigException e) {
                throw malformed(key, path, "not a JSON object: " + e.getMessage());
            }
        }

        int[] subset(String key, int numClasses) {
            String path = optionalPath(key);
            if (path.isEmpty()) {
                return new int[0];
            }
            List<String> lines = lines(key, path);
            List<Integer> values = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.isEmpty()) {
                    continue;
                }
                int v;
                try {
                    v = Integer.parseInt(l);
                } catch (NumberFormatException e) {
                    throw malformed(key, path, "line " + (i + 1) + " is not a class index: '" + l + "'");
                }
                if (v < 0 || v >= numClasses) {
                    throw malformed(key, path, "line " + (i + 1) + ": class index " + v + " outside 0.."
                            + (numClasses - 1));
                }
                if (!seen.add(v)) {
                    throw malformed(key, path, "line " + (i + 1) + " repeats class index " + v);
                }
                values.add(v);
            }
            if (values.isEmpty()) {
                throw malformed(key, path, "no class indices");
            }
            return values.stream().mapToInt(Integer::intValue).toArray();
        }

        UserFacingException malformed(String key, String path, String detail) {
            return new UserFacingException("malformed " + what(key) + " " + path + ": " + detail);
        }

        private static String what(String key) {
            return key + " file (" + KEY_PREFIX + key + ")";
        }
    }

    /** ObjectNet's four mapping files resolved into ObjectNet class → PyTorch ImageNet indices. */
    static final class ObjectNetChain {
        List<String> classes;
        int[][] toImagenet;
        Map<String, Integer> folderToClass;

        static ObjectNetChain read(Reader r, String dir, int numClasses) {
            String key = "objectnet-mappings";
            String base = dir.endsWith("/") ? dir : dir + "/";
            String folderFile = base + FOLDER_TO_LABEL_FILE;
            String onFile = base + OBJECTNET_TO_IMAGENET_FILE;
            String labelFile = base + IMAGENET_TO_LABEL_FILE;
            String pyFile = base + PYTORCH_TO_IMAGENET_ID_FILE;

            Map<String, String> folderToLabel = stringMap(r, key, folderFile);
            Map<String, String> labelToImagenet = stringMap(r, key, onFile);

            Map<String, Integer> lineOfLabel = new HashMap<>();
            List<String> labelLines = r.lines(key, labelFile);
            for (int i = 0; i < labelLines.size(); i++) {
                String l = labelLines.get(i).strip();
                if (l.isEmpty()) {
                    throw r.malformed(key, labelFile, "line " + (i + 1) + " is empty");
                }
                // The real file repeats a few labels (ImageNet has two "crane" synsets): ambiguous, marked -1,
                // and an error only if ObjectNet actually maps to one of them.
                if (lineOfLabel.putIfAbsent(l, i) != null) {
                    lineOfLabel.put(l, -1);
                }
            }

            Map<Integer, Integer> objectNetIdToPytorch = new HashMap<>();
            ConfigObject py = r.json(key, pyFile);
            for (Map.Entry<String, ConfigValue> e : py.entrySet()) {
                int pytorch;
                int id;
                try {
                    pytorch = Integer.parseInt(e.getKey());
                    id = ((Number) e.getValue().unwrapped()).intValue();
                } catch (NumberFormatException | ClassCastException ex) {
                    throw r.malformed(key, pyFile, "entry \"" + e.getKey() + "\": " + e.getValue().render()
                            + " is not \"<pytorch index>\": <imagenet id>");
                }
                if (pytorch < 0 || pytorch >= numClasses) {
                    throw r.malformed(key, pyFile, "PyTorch index " + pytorch + " outside 0.." + (numClasses - 1));
                }
                if (objectNetIdToPytorch.put(id, pytorch) != null) {
                    throw r.malformed(key, pyFile, "ImageNet id " + id + " appears twice");
                }
            }

            List<String> classes = new ArrayList<>(labelToImagenet.keySet());
            Collections.sort(classes);
            int[][] toImagenet = new int[classes.size()][];
            for (int c = 0; c < classes.size(); c++) {
                String label = classes.get(c);
                String[] parts = labelToImagenet.get(label).split("; ");
                Set<Integer> indices = new TreeSet<>();
                for (String part : parts) {
                    Integer line = lineOfLabel.get(part.strip());
                    if (line == null) {
                        throw r.malformed(key, onFile, "ObjectNet label '" + label + "' maps to ImageNet label '"
                                + part + "' which is not a line of " + labelFile);
                    }
                    if (line < 0) {
                        throw r.malformed(key, onFile, "ObjectNet label '" + label + "' maps to ImageNet label '"
                                + part + "' which appears on several lines of " + labelFile);
                    }
                    Integer pytorch = objectNetIdToPytorch.get(line);
                    if (pytorch == null) {
                        throw r.malformed(key, pyFile, "no PyTorch index for ImageNet id " + line + " ('" + part
                                + "', needed by ObjectNet label '" + label + "')");
                    }
                    indices.add(pytorch);
                }
                toImagenet[c] = indices.stream().mapToInt(Integer::intValue).toArray();
            }

            Map<String, Integer> classIndex = new HashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                classIndex.put(classes.get(c), c);
            }
            Map<String, Integer> folderToClass = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : new TreeMap<>(folderToLabel).entrySet()) {
                Integer c = classIndex.get(e.getValue());
                if (c != null) {
                    folderToClass.put(e.getKey(), c);
                }
            }
            ObjectNetChain chain = new ObjectNetChain();
            chain.classes = classes;
            chain.toImagenet = toImagenet;
            chain.folderToClass = folderToClass;
            return chain;
        }

        private static Map<String, String> stringMap(Reader r, String key, String path) {
            ConfigObject obj = r.json(key, path);
            Map<String, String> out = new HashMap<>();
            for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
                Object v = e.getValue().unwrapped();
                if (!(v instanceof String)) {
                    throw r.malformed(key, path, "value of \"" + e.getKey() + "\" is not a string");
                }
                out.put(e.getKey(), (String) v);
            }
            if (out.isEmpty()) {
                throw r.malformed(key, path, "empty JSON object");
            }
            return out;
        }
    }
}
