package org.carotspark.train;

import org.carotspark.model.ParamInit;
import org.carotspark.train.GlobalBatchRuns.Run;
import org.carotspark.testing.LocalSpark;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.carotspark.train.GlobalBatchRuns.PARAMETER_TENSORS;
import static org.carotspark.train.GlobalBatchRuns.keyBiasEntries;
import static org.carotspark.train.GlobalBatchRuns.maxAbsDifference;
import static org.carotspark.train.GlobalBatchRuns.relativeDistance;
import static org.carotspark.train.GlobalBatchRuns.settings;
import static org.carotspark.train.GlobalBatchRuns.train;
import static org.carotspark.train.GlobalBatchRuns.withoutKeyBiases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact mode is the single-JVM training of the whole global batch, distributed: the same parameters, EMA teacher
 * and loss after every step, whatever the number of workers, up to float rounding; parameter averaging of the
 * same batch over the same workers is not.
 */
class ExactModeTest {

    @Test
    void exactStepsOnSeveralWorkersAreTheSingleJvmStepsOfTheWholeBatch() throws Exception {
        long drawsBefore = ParamInit.draws();
        Run single = train(LocalSpark.jsc(), settings("parameter-averaging", 1));
        Run exact2 = train(LocalSpark.jsc(), settings("exact", 2));
        Run exact4 = train(LocalSpark.jsc(), settings("exact", 4));
        Run averaged2 = train(LocalSpark.jsc(), settings("parameter-averaging", 2));
        assertEquals(8, exact2.outcome().steps());
        // Executors build their graphs (student, teacher, feature-gradient) around received parameters.
        assertEquals(4 * PARAMETER_TENSORS, ParamInit.draws() - drawsBefore);

        boolean[] keyBias = keyBiasEntries(single.outcome().student());
        float[] reference = withoutKeyBiases(single.delta(), keyBias);
        assertTrue(maxAbsDifference(withoutKeyBiases(exact2.delta(), keyBias), reference) < 1e-5,
                "exact mode on 2 workers differs from the single-JVM steps by up to "
                        + maxAbsDifference(withoutKeyBiases(exact2.delta(), keyBias), reference));
        double exactOnTwo = relativeDistance(withoutKeyBiases(exact2.delta(), keyBias), reference);
        double exactOnFour = relativeDistance(withoutKeyBiases(exact4.delta(), keyBias), reference);
        double averaging = relativeDistance(withoutKeyBiases(averaged2.delta(), keyBias), reference);
        assertTrue(exactOnTwo < 1e-4 && exactOnFour < 1e-4, "exact mode moved the parameters "
                + exactOnTwo + " / " + exactOnFour + " (relative) away from the single-JVM steps");
        assertTrue(averaging > 100 * Math.max(exactOnTwo, exactOnFour), "parameter averaging differs by " + averaging);
        assertTrue(relativeDistance(withoutKeyBiases(exact2.teacherDelta(), keyBias),
                        withoutKeyBiases(single.teacherDelta(), keyBias)) < 1e-4,
                "the EMA teacher follows the same student");

        double loss = single.outcome().lastRoundTerms().mean("loss");
        assertEquals(loss, exact2.outcome().lastRoundTerms().mean("loss"), 1e-5 * Math.abs(loss));
        assertEquals(loss, exact4.outcome().lastRoundTerms().mean("loss"), 1e-5 * Math.abs(loss));
        assertEquals(1, exact4.outcome().lastRoundTerms().minibatches(), "one loss over the whole batch per step");
        for (String term : List.of("contrastive", "distillation", "orthogonality", "cross")) {
            assertEquals(single.outcome().lastRoundTerms().mean(term), exact2.outcome().lastRoundTerms().mean(term),
                    1e-5 * Math.max(1, Math.abs(single.outcome().lastRoundTerms().mean(term))), term);
        }
    }
}
