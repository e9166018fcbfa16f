package org.carotspark.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WarmupCosineScheduleTest {

    @Test
    void linearWarmupThenHalfCosine() {
        WarmupCosineSchedule s = new WarmupCosineSchedule(1e-5, 500, 10_500);
        assertEquals(1e-5 / 500, s.at(0), 1e-18);
        assertEquals(1e-5 * 250 / 500, s.at(249), 1e-18);
        assertEquals(1e-5, s.at(500), 1e-18);
        assertEquals(0.5e-5, s.at(5500), 1e-12);
        assertEquals(0.0, s.at(10_500), 1e-18);
    }
}
