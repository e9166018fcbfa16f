package org.carotspark.train.exact;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * CLIP head outputs [f̂ | ĝ | s | penalties] of some of a global batch's pairs, by shuffled position: one
 * worker's shard, or (after {@link #gather}) the whole batch in position order. The teacher's rows ride along
 * when its targets are needed. A plain class, not a record: Spark's Kryo serializer cannot write record fields.
 */
final class HeadShard implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] positions;
    private final float[] student;
    private final float[] teacher;
    private final int width;
    final double dataSeconds;
    final double forwardSeconds;
    final double teacherSeconds;
    /** The slowest worker's whole task (after {@link #gather}). */
    final double slowestTaskSeconds;

    HeadShard(long[] positions, float[] student, float[] teacher, int width, double dataSeconds,
              double forwardSeconds, double teacherSeconds) {
        this(positions, student, teacher, width, dataSeconds, forwardSeconds, teacherSeconds,
                dataSeconds + forwardSeconds + teacherSeconds);
    }

    private HeadShard(long[] positions, float[] student, float[] teacher, int width, double dataSeconds,
                      double forwardSeconds, double teacherSeconds, double slowestTaskSeconds) {
        if (student.length != (long) positions.length * width
                || (teacher != null && teacher.length != student.length)) {
            throw new IllegalArgumentException(positions.length + " positions but " + student.length
                    + " student / " + (teacher == null ? 0 : teacher.length) + " teacher values of width " + width);
        }
        this.positions = positions;
        this.student = student;
        this.teacher = teacher;
        this.width = width;
        this.dataSeconds = dataSeconds;
        this.forwardSeconds = forwardSeconds;
        this.teacherSeconds = teacherSeconds;
        this.slowestTaskSeconds = slowestTaskSeconds;
    }

    /** The workers' shards as one batch of {@code expectedRows} rows in position order. */
    static HeadShard gather(List<HeadShard> shards, int expectedRows) {
        if (shards.isEmpty()) {
            throw new IllegalStateException("no worker returned features for the step");
        }
        int width = shards.get(0).width;
        boolean withTeacher = shards.get(0).teacher != null;
        List<long[]> rows = new ArrayList<>(); // {position, shard, row}
        for (int s = 0; s < shards.size(); s++) {
            HeadShard shard = shards.get(s);
            if (shard.width != width || (shard.teacher != null) != withTeacher) {
                throw new IllegalStateException("workers returned features of different shapes");
            }
            for (int r = 0; r < shard.positions.length; r++) {
                rows.add(new long[]{shard.positions[r], s, r});
            }
        }
        if (rows.size() != expectedRows) {
            throw new IllegalStateException("the workers returned " + rows.size() + " of the step's " + expectedRows
                    + " pairs");
        }
        rows.sort(Comparator.comparingLong(r -> r[0]));
        long[] positions = new long[rows.size()];
        float[] student = new float[rows.size() * width];
        float[] teacher = withTeacher ? new float[student.length] : null;
        double data = 0;
        double forward = 0;
        double teacherTime = 0;
        double slowest = 0;
        for (int i = 0; i < rows.size(); i++) {
            long[] r = rows.get(i);
            HeadShard from = shards.get((int) r[1]);
            positions[i] = r[0];
            System.arraycopy(from.student, (int) r[2] * width, student, i * width, width);
            if (withTeacher) {
                System.arraycopy(from.teacher, (int) r[2] * width, teacher, i * width, width);
            }
        }
        for (HeadShard s : shards) {
            data += s.dataSeconds;
            forward += s.forwardSeconds;
            teacherTime += s.teacherSeconds;
            slowest = Math.max(slowest, s.slowestTaskSeconds);
        }
        return new HeadShard(positions, student, teacher, width, data, forward, teacherTime, slowest);
    }

    long[] positions() {
        return positions;
    }

    int rows() {
        return positions.length;
    }

    boolean hasTeacher() {
        return teacher != null;
    }

    INDArray student() {
        return Nd4j.create(student, new long[]{positions.length, width}, 'c');
    }

    INDArray teacher() {
        return Nd4j.create(teacher, new long[]{positions.length, width}, 'c');
    }
}
