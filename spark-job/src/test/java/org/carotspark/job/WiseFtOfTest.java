package org.carotspark.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.carotspark.config.UserFacingException;
import org.carotspark.train.Method;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** carot.baselines.wise-ft-of: FT by default, FLYP and CaRot on request, each under its own row names. */
class WiseFtOfTest {

    private static Config with(List<String> of) {
        return ConfigFactory.parseMap(Map.of("carot.baselines.wise-ft-of", of)).withFallback(ConfigFactory.load());
    }

    @Test
    void defaultIsFtAndFlypAndCarotMayBeAdded() {
        assertEquals(List.of(Method.FT), ClassifierBaselines.wiseFtOf(ConfigFactory.load()));
        assertEquals(List.of(Method.FT, Method.FLYP, Method.CAROT),
                ClassifierBaselines.wiseFtOf(with(List.of("ft", "flyp", "carot"))));
    }

    @Test
    void rowNamesKeepFtsAndNameTheOthers() {
        assertEquals("wise-ft-0.5", ClassifierBaselines.wiseFtName(Method.FT, 0.5));
        assertEquals("wise-ft-flyp-0.5", ClassifierBaselines.wiseFtName(Method.FLYP, 0.5));
        assertEquals("wise-ft-carot-1.0", ClassifierBaselines.wiseFtName(Method.CAROT, 1.0));
    }

    @Test
    void otherMethodsAndRepeatsAreOneLine() {
        for (List<String> bad : List.of(List.of("lp-ft"), List.of("zeroshot"), List.of("nope"), List.of("ft", "ft"))) {
            UserFacingException e = assertThrows(UserFacingException.class,
                    () -> ClassifierBaselines.validate(with(bad)));
            assertTrue(e.getMessage().startsWith("carot.baselines.wise-ft-of "), e.getMessage());
        }
    }
}
