package org.carotspark.train;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.DoubleAccumulator;
import org.carotspark.ema.TeacherTargets;
import org.carotspark.loss.CarotObjective;
import org.carotspark.model.ClipInputs;
import org.carotspark.model.ClipImageTensors;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.text.TokenIds;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns one worker's share of a round (batch index → examples) into the graph's MultiDataSets:
 * CLIP-normalised images, captions sampled for (id, epoch), and as labels the EMA teacher's soft
 * targets computed here, on the executor, for exactly these minibatches. Targets are all-zero
 * (SD off) when there is no teacher and at global step 0.
 */
final class MinibatchBuilder implements FlatMapFunction<Iterator<Tuple2<Long, List<TrainExample>>>, MultiDataSet> {

    private static final long serialVersionUID = 1L;

    private final CaptionTokenizer tokenizer;
    private final CaptionSampler captions;
    private final int epoch;
    private final long firstStepOfEpoch;
    private final int workers;
    private final int imageSize;
    private final Broadcast<ModelSnapshot> teacher;
    private final DoubleAccumulator teacherSeconds;

    MinibatchBuilder(CaptionTokenizer tokenizer, CaptionSampler captions, int epoch, long firstStepOfEpoch,
                     int workers, int imageSize, Broadcast<ModelSnapshot> teacher, DoubleAccumulator teacherSeconds) {
        this.tokenizer = tokenizer;
        this.captions = captions;
        this.epoch = epoch;
        this.firstStepOfEpoch = firstStepOfEpoch;
        this.workers = workers;
        this.imageSize = imageSize;
        this.teacher = teacher;
        this.teacherSeconds = teacherSeconds;
    }

    @Override
    public Iterator<MultiDataSet> call(Iterator<Tuple2<Long, List<TrainExample>>> batches) {
        List<Tuple2<Long, List<TrainExample>>> sorted = new ArrayList<>();
        batches.forEachRemaining(sorted::add);
        sorted.sort((a, b) -> Long.compare(a._1(), b._1())); // a worker trains its batches in step order
        List<MultiDataSet> out = new ArrayList<>(sorted.size());
        for (Tuple2<Long, List<TrainExample>> b : sorted) {
            out.add(build(b._1(), b._2()));
        }
        return out.iterator();
    }

    MultiDataSet build(long batchIndex, List<TrainExample> examples) {
        List<byte[]> images = new ArrayList<>(examples.size());
        List<String> texts = new ArrayList<>(examples.size());
        for (TrainExample ex : examples) {
            images.add(ex.image());
            texts.add(captions.caption(ex.id(), ex.label(), epoch));
        }
        INDArray x = ClipImageTensors.batch(images, imageSize, DataType.FLOAT);
        INDArray ids = TokenIds.batch(tokenizer, texts);
        long step = firstStepOfEpoch + batchIndex / workers;
        INDArray targets;
        if (teacher == null || step == 0) {
            targets = CarotObjective.noTeacher(examples.size(), DataType.FLOAT);
        } else {
            long t0 = System.nanoTime();
            targets = TeacherTargets.compute(teacher.value(), x, ids);
            teacherSeconds.add((System.nanoTime() - t0) / 1e9);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(ClipInputs.of(x, ids), new INDArray[] {targets});
    }
}
