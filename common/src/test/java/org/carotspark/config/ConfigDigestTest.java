package org.carotspark.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ConfigDigestTest {

    @Test
    void dependsOnValuesUnderThePathsOnly() {
        Config a = ConfigFactory.parseString("x { b = 2, a = 1 }\ny = 5\n# a comment\n");
        Config sameValuesOtherOrder = ConfigFactory.parseString("y = 5\nx { a = 1\n b = 2 }");
        Config otherValue = ConfigFactory.parseString("x { a = 1, b = 3 }\ny = 5");
        Config otherUnrelated = ConfigFactory.parseString("x { a = 1, b = 2 }\ny = 5\nz = 9");
        String d = ConfigDigest.sha256(a, "x", "y");
        assertEquals(64, d.length());
        assertEquals(d, ConfigDigest.sha256(sameValuesOtherOrder, "x", "y"));
        assertEquals(d, ConfigDigest.sha256(otherUnrelated, "x", "y"));
        assertNotEquals(d, ConfigDigest.sha256(otherValue, "x", "y"));
        assertNotEquals(d, ConfigDigest.sha256(a, "x"));
    }
}
