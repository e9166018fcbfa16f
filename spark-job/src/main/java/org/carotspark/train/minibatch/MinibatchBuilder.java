package org.carotspark.train.minibatch;

import org.carotspark.ema.TeacherTargets;
import org.carotspark.loss.CarotLoss;
import org.carotspark.model.ClipInputs;
import org.carotspark.model.ModelSnapshot;
import org.carotspark.text.CaptionTokenizer;
import org.carotspark.text.TokenIds;
import org.carotspark.train.Minibatches;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * One minibatch as the graph takes it, built on the executor that trains it: images cropped for (id, epoch)
 * and CLIP-normalised, captions sampled for (id, epoch), and as labels the EMA teacher's soft targets for exactly these pairs.
 * Targets are all-zero (SD off) without a teacher and at global step 0.
 */
public final class MinibatchBuilder implements Minibatches {

    private static final long serialVersionUID = 1L;

    private final CaptionTokenizer tokenizer;
    private final CaptionSampler captions;
    private final TrainImages images;

    public MinibatchBuilder(CaptionTokenizer tokenizer, CaptionSampler captions, TrainImages images) {
        this.tokenizer = tokenizer;
        this.captions = captions;
        this.images = images;
    }

    /** The graph's inputs for {@code examples}, captioned for {@code epoch}. */
    @Override
    public INDArray[] inputs(List<TrainExample> examples, int epoch) {
        List<String> texts = new ArrayList<>(examples.size());
        for (TrainExample ex : examples) {
            texts.add(captions.caption(ex, epoch));
        }
        return ClipInputs.of(images.batch(examples, epoch), TokenIds.batch(tokenizer, texts));
    }

    /** The teacher's targets (or none) for inputs {@code in} of the minibatch trained at global step {@code step}. */
    static INDArray targets(INDArray[] in, long step, ModelSnapshot teacher) {
        return teacher == null || step == 0
                ? CarotLoss.noTeacher((int) in[0].size(0), DataType.FLOAT)
                : TeacherTargets.compute(teacher, in[0], in[1]);
    }

    @Override
    public INDArray labels(INDArray[] in, List<TrainExample> examples, long step, ModelSnapshot teacher) {
        return targets(in, step, teacher);
    }

    /** Inputs plus the teacher's targets (or none) for the minibatch trained at global step {@code step}. */
    MultiDataSet build(List<TrainExample> examples, int epoch, long step, ModelSnapshot teacher) {
        INDArray[] in = inputs(examples, epoch);
        return new MultiDataSet(in, new INDArray[] {targets(in, step, teacher)});
    }
}
