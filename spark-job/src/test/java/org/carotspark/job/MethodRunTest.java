package org.carotspark.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.carotspark.config.UserFacingException;
import org.carotspark.loss.CarotLoss;
import org.carotspark.train.Method;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodRunTest {

    private static Config config(String sweep) {
        return ConfigFactory.parseString("carot.methods = [zeroshot, carot]\ncarot.sweep = " + sweep)
                .withFallback(ConfigFactory.load());
    }

    @Test
    void sweepEntriesFollowTheMethodsWithTheirOverridesApplied() {
        Config c = config("[{name = carot-oc0, method = carot, settings {loss.lambda-oc = 0, train.epochs = 2}}]");
        List<MethodRun> runs = MethodRun.of(c);
        assertEquals(List.of("zeroshot", "carot", "carot-oc0"), runs.stream().map(MethodRun::name).toList());
        assertSame(c, runs.get(1).config(), "configured methods run on the job's config");
        assertEquals(List.of(false, false, true), runs.stream().map(MethodRun::sweepEntry).toList());
        assertEquals(Method.CAROT, runs.get(2).method());
        assertEquals(new CarotLoss(0, 1.5, 0.05), CarotLoss.fromConfig(runs.get(2).config()));
        assertEquals(2, runs.get(2).config().getInt("carot.train.epochs"));
    }

    @Test
    void everyMethodIsRunByExactlyOneKind() {
        List<MethodKind> kinds = FineTuneRun.methodKinds();
        for (Method m : Method.values()) {
            assertEquals(1, kinds.stream().filter(k -> k.runs(m)).count(), m.configName());
        }
    }

    @Test
    void aBadSweepEntryIsOneLineNamingIt() {
        assertMessage("[{name = x, method = ft}]", "carot.sweep[0] (x): a sweep trains flyp or carot, not ft");
        assertMessage("[{name = carot, method = carot}]", "carot.sweep[0]: the name 'carot' is empty or already used");
        assertMessage("[{name = y, method = flyp, settings {model.image-size = 64}}]",
                "carot.sweep[0] (y) overrides carot.model: a sweep entry may set carot.train.* and carot.loss.* only");
        assertMessage("[{name = z, method = carot, settings {loss.lambda-oc = -1}}]", "lambda-oc -1");
        assertMessage("[{method = carot}]", "carot.sweep[0] needs a name and a method");
    }

    private static void assertMessage(String sweep, String expected) {
        UserFacingException e = assertThrows(UserFacingException.class, () -> MethodRun.of(config(sweep)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
