package org.carotspark.train.epoch;

import org.carotspark.train.minibatch.TrainExample;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/** A worker's examples of a round in shuffled-position order: the order its minibatches are built in. */
public final class ShardExamples {

    private ShardExamples() {
    }

    public static List<Tuple2<Long, TrainExample>> sorted(Iterator<Tuple2<Long, TrainExample>> partition) {
        List<Tuple2<Long, TrainExample>> examples = new ArrayList<>();
        partition.forEachRemaining(examples::add);
        examples.sort(Comparator.comparingLong(Tuple2::_1));
        return examples;
    }

    public static List<TrainExample> examples(List<Tuple2<Long, TrainExample>> sorted) {
        return sorted.stream().map(Tuple2::_2).toList();
    }

    public static long[] positions(List<Tuple2<Long, TrainExample>> sorted) {
        return sorted.stream().mapToLong(Tuple2::_1).toArray();
    }
}
