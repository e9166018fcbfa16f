package org.carotspark.seed;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedsTest {

    @Test
    void eachInputChangesTheStreamAndTheSameInputsGiveTheSameOne() {
        assertEquals(Seeds.derive(3, "init", 1, 2), Seeds.derive(3, "init", 1, 2));
        assertNotEquals(Seeds.derive(3, "init"), Seeds.derive(4, "init"));
        assertNotEquals(Seeds.derive(3, "init"), Seeds.derive(3, "inis"));
        assertNotEquals(Seeds.derive(3, "init", 1, 2), Seeds.derive(3, "init", 2, 1));
        assertNotEquals(Seeds.derive(3, "caption", "a/b.jpg", 0), Seeds.derive(3, "caption", "a/b.jpg", 1));
        // Purpose and key are separated: moving a character from one to the other changes the stream.
        assertNotEquals(Seeds.derive(3, "ab", "c"), Seeds.derive(3, "a", "bc"));
    }

    /** The bounds experiment's streams (byte-identical reports across versions) keep their values. */
    @Test
    void purposeOnlyDerivationIsStable() {
        assertEquals(1617375140585843155L, Seeds.derive(3, "data/id-train"));
    }

    @Test
    void unitIsUniformAndDistinctAcrossKeys() {
        Set<Long> seen = new HashSet<>();
        double sum = 0;
        int n = 20_000;
        int below = 0;
        for (int i = 0; i < n; i++) {
            String key = "imagenet-train/n0" + i + "/x.JPEG";
            seen.add(Seeds.derive(7, "heldout", key));
            double u = Seeds.unit(7, "heldout", key);
            assertTrue(u >= 0 && u < 1);
            sum += u;
            below += u < 0.05 ? 1 : 0;
        }
        assertEquals(n, seen.size(), "no collisions over 20k keys");
        assertEquals(0.5, sum / n, 0.01);
        assertEquals(0.05, below / (double) n, 0.005);
    }
}
