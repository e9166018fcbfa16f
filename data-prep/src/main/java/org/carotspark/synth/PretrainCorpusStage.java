package org.carotspark.synth;

import com.typesafe.config.Config;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.ParquetColumns;
import org.carotspark.stage.NamedStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The stage {@code pretrain-corpus}: writes the {@link PretrainCorpus} as Parquet (id, label = object kind, image,
 * captions, style) to {@code carot.pretrain.corpus.path}, rendered on the executors. The directory is replaced
 * whole: written beside it, then renamed into place, so an interrupted run leaves the previous corpus or none.
 */
public final class PretrainCorpusStage extends NamedStage {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainCorpusStage.class);
    public static final String NAME = "pretrain-corpus";
    public static final String STYLE = "style";

    /** The corpus knobs, from {@code carot.pretrain.corpus}. */
    public record Settings(long seed, int images, int imageSize, int minSize, int maxSize, int jpegQuality,
                           String path) implements Serializable {
        public Settings {
            if (images < 1) {
                throw new UserFacingException("carot.pretrain.corpus.images must be at least 1, got " + images);
            }
            if (imageSize < 8 || minSize < imageSize || maxSize < minSize) {
                throw new UserFacingException("carot.pretrain.corpus: need 8 <= image-size <= min-size <= max-size,"
                        + " got " + imageSize + "/" + minSize + "/" + maxSize);
            }
        }

        public static Settings fromConfig(Config config) {
            Config c = config.getConfig("carot.pretrain.corpus");
            return new Settings(c.getLong("seed"), c.getInt("images"), c.getInt("image-size"), c.getInt("min-size"),
                    c.getInt("max-size"), c.getInt("jpeg-quality"), c.getString("path"));
        }
    }

    public PretrainCorpusStage() {
        super(NAME);
    }

    public static StructType schema() {
        return new StructType().add(ParquetColumns.ID, DataTypes.StringType, false)
                .add(ParquetColumns.LABEL, DataTypes.IntegerType, false)
                .add(ParquetColumns.IMAGE, DataTypes.BinaryType, false)
                .add(ParquetColumns.CAPTIONS, DataTypes.createArrayType(DataTypes.StringType, false), false)
                .add(STYLE, DataTypes.StringType, false);
    }

    @Override
    public void run(SparkSession spark, Config config) throws IOException {
        write(spark, Settings.fromConfig(config));
    }

    public static void write(SparkSession spark, Settings s) throws IOException {
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(1, Math.min(s.images() / 250 + 1, 64));
        JavaRDD<Row> rows = jsc.parallelize(IntStream.range(0, s.images()).boxed().toList(), slices)
                .mapPartitions(indices -> {
                    PretrainCorpus corpus = new PretrainCorpus(s.seed(), s.imageSize(), s.minSize(), s.maxSize(),
                            s.jpegQuality());
                    List<Row> out = new ArrayList<>();
                    while (indices.hasNext()) {
                        PretrainCorpus.Item it = corpus.item(indices.next());
                        out.add(RowFactory.create(it.id(), it.kind(), it.jpeg(),
                                it.captions().toArray(new String[0]), it.style()));
                    }
                    return out.iterator();
                });
        Path target = new Path(s.path());
        FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Path staging = new Path(target.getParent(), "." + target.getName() + ".writing-" + System.nanoTime());
        spark.sparkContext().setJobDescription("pretraining corpus");
        spark.createDataFrame(rows, schema()).write().parquet(staging.toString());
        fs.delete(target, true);
        if (!fs.rename(staging, target)) {
            throw new UserFacingException("cannot move the pretraining corpus from " + staging + " to " + target);
        }
        LOG.info("pretraining corpus: {} images with {} captions each at {} in {} s", s.images(),
                PretrainCorpus.CAPTIONS_PER_IMAGE, target, Math.round((System.nanoTime() - t0) / 1e9));
    }
}
