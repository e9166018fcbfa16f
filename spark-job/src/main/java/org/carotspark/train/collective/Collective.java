package org.carotspark.train.collective;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The collective operations of synchronous data-parallel training, as one rank of a group sees them. Every
 * operation is entered by every rank in the same order; one that cannot complete (a peer died, a peer never came)
 * throws {@link CollectiveException}, never returns a partial result. Buffers are ND4J arrays so that an
 * implementation may reduce them where they live (host memory here; a device-memory NCCL implementation fits the
 * same signatures).
 */
public interface Collective extends AutoCloseable {

    /** This rank, 0 ≤ rank < {@link #size()}; the row offset of its shard is chosen by the caller, not by this. */
    int rank();

    int size();

    /** Replaces {@code values} (a dense float vector or matrix) with the sum over all ranks, the same on each. */
    void allReduceSum(INDArray values);

    /**
     * The [totalRows, width] matrix whose rows {@code [rowOffset, rowOffset + rows.rows())} are this rank's
     * {@code rows} and whose other rows are the other ranks': an all-reduce of a zeroed buffer in which each rank
     * fills only its own rows, which is exact (x + 0 = x) and needs no gather primitive.
     */
    default INDArray allGatherRows(INDArray rows, long rowOffset, long totalRows) {
        INDArray all = Nd4j.zeros(rows.dataType(), totalRows, rows.size(1));
        all.get(NDArrayIndex.interval(rowOffset, rowOffset + rows.size(0)),
                NDArrayIndex.all()).assign(rows);
        allReduceSum(all);
        return all;
    }

    /** Returns when every rank has reached it. */
    default void barrier() {
        allReduceSum(Nd4j.ones(DataType.FLOAT, 1));
    }

    /** Leaves the group; after a failure this makes the peers' pending operations fail instead of wait. */
    @Override
    void close();
}
