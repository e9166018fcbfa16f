package org.carotspark.prep;

import com.typesafe.config.Config;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.DatasetMetadata;
import org.carotspark.data.Split;
import org.carotspark.image.ImagePreprocessor;
import org.carotspark.layout.LayoutEntry;
import org.carotspark.layout.LayoutReader;
import org.carotspark.layout.SplitLayout;
import org.carotspark.sparkutil.HadoopFs;
import org.carotspark.sparkutil.SerializableHadoopConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw dataset layouts → one Parquet dataset per split, a rejects table, content hashes and {@code manifest.json}.
 *
 * <p>For each split with a non-empty {@code carot.data.splits.<split>.path}: list every entry on the driver,
 * classify it with the split's published layout, decode/resize/re-encode on executors, and write the split's rows
 * and its rejects (every listed entry that is not a row, with a reason). Training images are stored whole
 * (shorter side {@code train-short-side}) for the executor's random crop, every other split centre-cropped at
 * {@code image-size}. The {@code imagenet-heldout} split is carved from train by a seeded hash of each file's id,
 * or read from its own path when one is set.
 *
 * <p>A run is published as one version ({@link PrepOutputRoot}): everything goes to a new
 * {@code _versions/<version>/}, and the root's {@code manifest.json}, replaced atomically and last, points readers
 * at it ({@link org.carotspark.data.PreparedData}). A failed or killed run publishes nothing; disabled splits keep
 * their previous data and manifest entry. One prep at a time per root ({@link PrepLock}).
 */
public final class DataPreparation {

    private static final Logger LOG = LoggerFactory.getLogger(DataPreparation.class);

    /** Step names passed to the {@link StepListener}. */
    static final String STEP_LOCK_MARKER_WRITTEN = "lock-marker-written";
    static final String STEP_LOCKED = "locked";
    static final String STEP_LISTED = "listed:";
    static final String STEP_SPLIT_WRITTEN = "split-written:";
    static final String STEP_VERSION_WRITTEN = "version-written";
    static final String STEP_PUBLISHED = "published";

    /** Points between the steps of a run, where tests inject a failure (a kill) or a pause (a concurrent prep). */
    interface StepListener {
        void reached(String step) throws Exception;
    }

    private final StepListener listener;
    private final Clock clock;

    public DataPreparation() {
        this(step -> { }, Clock.systemUTC());
    }

    DataPreparation(StepListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
    }

    /** Config key of a split's raw path. */
    public static String pathKey(Split split) {
        return "carot.data.splits." + split.configName() + ".path";
    }

    public PrepManifest run(SparkSession spark, Config config) throws IOException {
        long start = System.nanoTime();
        PrepSettings settings = PrepSettings.from(config);
        Configuration hconf = spark.sparkContext().hadoopConfiguration();
        PrepOutputRoot out = PrepOutputRoot.open(settings.parquetRoot(), hconf);
        String objectNetKey = pathKey(Split.OBJECTNET);
        DatasetMetadata meta = DatasetMetadata.load(config, hconf,
                config.hasPath(objectNetKey) && !config.getString(objectNetKey).isBlank());

        // Resolve and check every enabled split before doing any work: a typo fails in seconds.
        Map<Split, Path> roots = new LinkedHashMap<>();
        Map<Split, SplitLayout> layouts = new LinkedHashMap<>();
        for (Split split : Split.values()) {
            String key = pathKey(split);
            String path = config.hasPath(key) ? config.getString(key).strip() : "";
            if (path.isEmpty()) {
                if (split != Split.IMAGENET_HELDOUT) {
                    LOG.info("split {}: disabled ({} is empty), previous output left as is", split, key);
                }
                continue;
            }
            if (split == Split.IMAGENET_HELDOUT && settings.heldoutFraction() > 0) {
                throw new UserFacingException(key + " is set, so the held-out split comes from it: set"
                        + " carot.prep.heldout-fraction = 0 (it is " + settings.heldoutFraction() + ") so that no"
                        + " train images are carved off as well");
            }
            PrepSettings.refuseCredentialsInUri(key, path);
            SplitLayout layout = LayoutReader.layoutFor(split, meta, config, hconf);
            Path listed = LayoutReader.listedRoot(path, layout);
            if (!HadoopFs.exists(listed, hconf)) {
                throw new UserFacingException("split " + split + ": input path not found: " + listed + " (set " + key
                        + ", or set it to \"\" to skip the split)");
            }
            roots.put(split, listed);
            layouts.put(split, layout);
        }

        try (PrepLock lock = PrepLock.acquire(out.fs(), out.root(), settings.lockStaleAfter(), clock,
                () -> step(STEP_LOCK_MARKER_WRITTEN))) {
            step(STEP_LOCKED);
            PrepOutputRoot.Current previous = out.current();
            out.collectGarbage(previous);
            String version = PrepOutputRoot.newVersionId(clock);
            String versionDir = PrepOutputRoot.relativeVersionDir(version);
            LOG.info("prep version {} -> {}", version, out.resolve(versionDir));

            ImagePreprocessor evalImages = new ImagePreprocessor(settings.imageSize(), settings.jpegQuality(),
                    settings.decodeLimits());
            ImagePreprocessor trainImages = new ImagePreprocessor(settings.trainShortSide(), settings.jpegQuality(),
                    settings.decodeLimits()).keepingAspect();
            SourceReader reader = new SourceReader(new SerializableHadoopConf(new Configuration(hconf)),
                    settings.maxFileBytes(), settings.readAttempts());
            SplitWriter writer = new SplitWriter(spark, out, version, versionDir, settings, reader);
            Map<String, SplitReport> reports = new LinkedHashMap<>();
            for (Map.Entry<Split, Path> e : roots.entrySet()) {
                Split split = e.getKey();
                long t0 = System.nanoTime();
                List<LayoutEntry> entries = LayoutReader.list(split, e.getValue(), layouts.get(split), hconf);
                step(STEP_LISTED + split.configName());
                String source = e.getValue().getFileSystem(hconf).makeQualified(e.getValue()).toString();
                if (split == Split.IMAGENET_TRAIN && !roots.containsKey(Split.IMAGENET_HELDOUT)) {
                    // Train and its carved held-out part are always written by the same run.
                    List<LayoutEntry> train = new ArrayList<>();
                    List<LayoutEntry> heldout = new ArrayList<>();
                    for (LayoutEntry le : entries) {
                        String trainId = Split.IMAGENET_TRAIN.configName() + "/" + le.relativePath();
                        (HeldOutSelector.isHeldOut(trainId, settings.heldoutSeed(), settings.heldoutFraction())
                                ? heldout : train).add(le);
                    }
                    reports.put(split.configName(), checked(settings, previous,
                            writer.write(split, train, source, null, trainImages, t0)));
                    reports.put(Split.IMAGENET_HELDOUT.configName(), checked(settings, previous,
                            writer.write(Split.IMAGENET_HELDOUT, heldout, source, split.configName(), evalImages,
                                    System.nanoTime())));
                } else {
                    ImagePreprocessor images = split == Split.IMAGENET_TRAIN ? trainImages
                            : evalImages.withBorderCrop(layouts.get(split).borderCropPixels());
                    reports.put(split.configName(), checked(settings, previous,
                            writer.write(split, entries, source, null, images, t0)));
                }
                step(STEP_SPLIT_WRITTEN + split.configName());
            }

            DuplicateReport duplicates = DuplicateReport.find(spark, writer.hashDirs(),
                    versionDir + "/" + SplitWriter.HASHES_DIR);
            if (duplicates.groups() > 0) {
                LOG.warn("{} group(s) of byte-identical files ({} files; {} with different labels, {} across splits): "
                        + "see \"duplicates\" in the manifest", duplicates.groups(), duplicates.files(),
                        duplicates.groupsWithDifferentLabels(), duplicates.groupsAcrossSplits());
            }
            PrepManifest manifest = manifest(previous, settings, version, reports, duplicates);
            out.writeVersionManifest(manifest);
            step(STEP_VERSION_WRITTEN);
            lock.checkStillHeld();
            out.publish(manifest);
            step(STEP_PUBLISHED);
            out.collectGarbage(new PrepOutputRoot.Current(java.util.Optional.of(manifest), false));
            LOG.info("prep done: version {} published, {} split(s) in {} s, manifest {}", version, reports.size(),
                    String.format("%.1f", (System.nanoTime() - start) / 1e9), out.manifestPath());
            return manifest;
        }
    }

    /** The split's report, once it may replace the published rows ({@link ShrinkGuard}). */
    private static SplitReport checked(PrepSettings settings, PrepOutputRoot.Current previous, SplitReport written) {
        settings.shrinkGuard().check(written, previous.manifest());
        return written;
    }

    private void step(String name) {
        try {
            listener.reached(name);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("step listener failed at " + name, e);
        }
    }

    /** This run's splits plus the previous manifest's entries for splits not re-run (same image size only). */
    private static PrepManifest manifest(PrepOutputRoot.Current previous, PrepSettings settings, String version,
                                         Map<String, SplitReport> reports, DuplicateReport duplicates) {
        Map<String, SplitReport> merged = new LinkedHashMap<>();
        previous.manifest().ifPresent(old -> {
            if (old.imageSize() == settings.imageSize()) {
                merged.putAll(old.splits());
            } else if (!old.splits().keySet().stream().allMatch(reports::containsKey)) {
                LOG.warn("previous manifest has image size {} != {}: its entries for splits not re-run are dropped",
                        old.imageSize(), settings.imageSize());
            }
        });
        merged.putAll(reports);
        List<String> history = previous.manifest().map(old -> old.successorHistory(settings.keepPreviousVersions()))
                .orElse(List.of());
        // The train entry kept from the previous run keeps the layout it was written with.
        int trainShortSide = reports.containsKey(Split.IMAGENET_TRAIN.configName()) ? settings.trainShortSide()
                : previous.manifest().filter(old -> merged.containsKey(Split.IMAGENET_TRAIN.configName()))
                .map(PrepManifest::trainShortSide).orElse(settings.trainShortSide());
        return new PrepManifest(version, history, settings.imageSize(), trainShortSide, settings.jpegQuality(),
                settings.heldoutFraction(), settings.heldoutSeed(), merged, duplicates);
    }
}
