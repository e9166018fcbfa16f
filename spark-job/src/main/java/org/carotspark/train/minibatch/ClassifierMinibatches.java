package org.carotspark.train.minibatch;

import org.carotspark.model.ModelSnapshot;
import org.carotspark.train.Minibatches;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Images (cropped for (id, epoch) as CLIP's are) with one-hot class labels: the FT / LP-FT minibatches. */
public final class ClassifierMinibatches implements Minibatches {

    private static final long serialVersionUID = 1L;

    private final TrainImages images;
    private final int classes;

    public ClassifierMinibatches(TrainImages images, int classes) {
        this.images = images;
        this.classes = classes;
    }

    @Override
    public INDArray[] inputs(List<TrainExample> examples, int epoch) {
        return new INDArray[] {images.batch(examples, epoch)};
    }

    @Override
    public INDArray labels(INDArray[] in, List<TrainExample> examples, long step, ModelSnapshot teacher) {
        INDArray oneHot = Nd4j.zeros(in[0].dataType(), examples.size(), classes);
        for (int i = 0; i < examples.size(); i++) {
            int label = examples.get(i).label();
            if (label < 0 || label >= classes) {
                throw new IllegalStateException("label " + label + " of " + examples.get(i).id() + " is outside the "
                        + classes + " classes");
            }
            oneHot.putScalar(i, label, 1.0);
        }
        return oneHot;
    }
}
