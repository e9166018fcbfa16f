package org.carotspark.prep;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import org.apache.hadoop.conf.Configuration;
import org.carotspark.config.UserFacingException;
import org.carotspark.data.JsonMaps;
import org.carotspark.data.PreparedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prep manifest and lock marker are written with Jackson; files that earlier versions wrote through Typesafe
 * Config's renderer (keys sorted, its own layout) read back to the same values, and the preparation fingerprint
 * readers derive from a manifest is the one the Typesafe reader gave, so checkpoints keyed by it stay valid.
 */
class PrepJsonFilesTest {

    @TempDir
    Path tmp;

    private static PrepManifest manifest() {
        SplitReport train = new SplitReport("imagenet-train", "file:/raw/train", "v2", "_versions/v2/imagenet-train",
                "file:/p/_versions/v2/imagenet-train", "file:/p/_versions/v2/_rejects", 10, 9, 1,
                new TreeMap<>(Map.of(0, 5L, 1, 4L)), new TreeMap<>(Map.of("undecodable", 1L)), 2.5, null);
        SplitReport heldout = new SplitReport("imagenet-heldout", "file:/raw/train", "v2",
                "_versions/v2/imagenet-heldout", "file:/p/_versions/v2/imagenet-heldout", null, 2, 2, 0,
                new TreeMap<>(Map.of(0, 1L, 1, 1L)), new TreeMap<>(), 0.25, "imagenet-train");
        SplitReport old = new SplitReport("imagenet", "file:/raw/val", null, null, "file:/p/imagenet", null, 4, 4, 0,
                new TreeMap<>(Map.of(0, 2L, 1, 2L)), new TreeMap<>(), 1.0, null);
        return new PrepManifest("v2", List.of("v1"), 224, 256, 95, 0.2, 1234567890123L,
                Map.of("imagenet-train", train, "imagenet-heldout", heldout, "imagenet", old),
                new DuplicateReport(1, 2, 0, 1, "file:/p/_versions/v2/_content-hashes",
                        Map.of("abc", List.of("imagenet-train/a.JPEG", "imagenet/b.JPEG"))));
    }

    /** The text the Typesafe writer of earlier versions produced for the same values. */
    private static String typesafeText(Map<String, Object> values, boolean formatted) {
        return ConfigValueFactory.fromMap(values).render(ConfigRenderOptions.concise().setJson(true)
                .setFormatted(formatted)) + "\n";
    }

    @Test
    void manifestsOfEitherWriterReadBackToTheSameValues() throws Exception {
        PrepManifest m = manifest();
        String written = m.toJson();
        String typesafe = typesafeText(JsonMaps.read(written), true);
        assertNotEquals(typesafe, written, "the two writers lay the file out differently");
        assertEquals(m, PrepManifest.fromJson(written));
        assertEquals(m, PrepManifest.fromJson(typesafe));
        assertTrue(written.contains("\"derived_from\" : \"imagenet-train\""), written);
    }

    @Test
    void readersResolveOldAndNewManifestsAlikeWithTheTypesafeFingerprint() throws Exception {
        String written = manifest().toJson();
        String typesafe = typesafeText(JsonMaps.read(written), true);
        Path oldRoot = Files.createDirectories(tmp.resolve("old"));
        Path newRoot = Files.createDirectories(tmp.resolve("new"));
        Files.writeString(oldRoot.resolve("manifest.json"), typesafe);
        Files.writeString(newRoot.resolve("manifest.json"), written);
        PreparedData before = PreparedData.open(oldRoot.toUri().toString(), new Configuration());
        PreparedData after = PreparedData.open(newRoot.toUri().toString(), new Configuration());

        StringBuilder typesafeFingerprint = new StringBuilder();
        var parsed = ConfigFactory.parseString(typesafe, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        for (String key : List.of("image_size", "train_short_side", "jpeg_quality", "heldout_fraction",
                "heldout_seed")) {
            typesafeFingerprint.append(key).append('=').append(parsed.getValue(key).render(ConfigRenderOptions.concise()))
                    .append(';');
        }
        assertEquals(typesafeFingerprint.toString(), before.preparation());
        assertEquals(before.preparation(), after.preparation());
        assertEquals(before.version(), after.version());
        assertEquals(before.imageSize(), after.imageSize());
        for (String split : List.of("imagenet-train", "imagenet-heldout", "imagenet")) {
            assertEquals(before.splitPath(split).toString().replace("/old/", "/new/"),
                    after.splitPath(split).toString(), split);
            assertEquals(before.splitVersion(split), after.splitVersion(split), split);
        }
        assertEquals("file:/p/imagenet", after.splitPath("imagenet").toString(), "a pre-version entry's full path");
    }

    @Test
    void aManifestThatIsNotJsonIsOneLineNamingIt() throws Exception {
        Files.writeString(tmp.resolve("manifest.json"), "{\"version\": ");
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> PreparedData.open(tmp.toUri().toString(), new Configuration()));
        assertTrue(e.getMessage().contains("manifest.json is not valid JSON") && !e.getMessage().contains("\n"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrepManifest.fromJson("[1, 2]"));
    }

    @Test
    void lockMarkersOfEitherWriterReadBackToTheirOwner() throws Exception {
        PrepLock.Owner owner = new PrepLock.Owner("id-1", "host-a", 4242L, "alice",
                Instant.parse("2026-12-07T12:00:00Z"));
        String written = owner.toJson(Instant.parse("2026-12-07T12:01:00Z"));
        String typesafe = typesafeText(JsonMaps.read(written), false);
        assertEquals(owner, PrepLock.Owner.fromJson(written));
        assertEquals(owner, PrepLock.Owner.fromJson(typesafe));
    }
}
