package org.carotspark.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.carotspark.config.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {

    @TempDir
    Path dir;

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return f;
    }

    private static void assertBitIdentical(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }

    @Test
    void roundTripIsBitIdenticalIncludingSpecialValues() throws Exception {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xff800001), 1e-40f, 3.14159f};
        float[] matrix = random(6 * 7, 1);
        Path file = dir.resolve("a.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .add("z.matrix", new long[]{6, 7}, matrix)
                .add("logit_scale", new long[]{}, new float[]{2.6592f})
                .add("empty", new long[]{0, 3}, new float[0])
                .add("a.special", new long[]{special.length}, () -> special)
                .write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(Map.of("format", "pt"), r.metadata());
            assertBitIdentical(matrix, r.readFloats("z.matrix"));
            assertBitIdentical(special, r.readFloats("a.special"));
            assertBitIdentical(new float[]{2.6592f}, r.readFloats("logit_scale"));
            assertEquals(0, r.readFloats("empty").length);
            assertArrayEquals(new long[]{}, r.tensor("logit_scale").shape());
            assertArrayEquals(new long[]{6, 7}, r.tensor("z.matrix").shape());
            assertEquals(SafetensorsDtype.F32, r.tensor("z.matrix").dtype());
        }
        // Read → write → the same bytes.
        Path again = dir.resolve("b.safetensors");
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            SafetensorsWriter w = new SafetensorsWriter();
            r.metadata().forEach(w::metadata);
            for (TensorInfo t : r.tensors()) {
                w.add(t.name(), t.shape(), r.readFloats(t.name()));
            }
            w.write(again);
        }
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
    }

    @Test
    void headerIsSortedSpacePaddedAndAligned() throws Exception {
        Path file = dir.resolve("h.safetensors");
        new SafetensorsWriter().add("b", new long[]{1}, new float[]{1}).add("a", new long[]{2}, new float[]{2, 3})
                .metadata("k", "v").write(file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"k\":\"v\"},\"a\":"), header);
        assertTrue(header.indexOf("\"a\"") < header.indexOf("\"b\""), header);
        String body = header.stripTrailing();
        assertTrue(body.endsWith("}"), header);
        assertTrue(header.substring(body.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
        JsonNode json = new ObjectMapper().readTree(header);
        assertEquals("[0,8]", json.get("a").get("data_offsets").toString());
        assertEquals("[8,12]", json.get("b").get("data_offsets").toString());
        assertEquals(8 + n + 12, bytes.length);
    }

    @Test
    void largeTensorsStreamThroughChunksIntoAnyBuffer() throws Exception {
        float[] big = random(700_001, 2); // 2.8 MB: several read chunks
        Path file = dir.resolve("big.safetensors");
        new SafetensorsWriter().add("w", new long[]{700_001}, big).write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            FloatBuffer direct = ByteBuffer.allocateDirect(4 * (big.length + 3)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            direct.position(3);
            r.readFloats("w", direct);
            assertEquals(big.length + 3, direct.position());
            for (int i = 0; i < big.length; i += 9973) {
                assertEquals(big[i], direct.get(i + 3));
            }
            float[] into = new float[big.length + 5];
            r.readFloats("w", into, 5);
            assertBitIdentical(big, Arrays.copyOfRange(into, 5, into.length));
            assertThrows(IllegalArgumentException.class, () -> r.readFloats("w", new float[big.length], 1));
        }
    }

    @Test
    void halfPrecisionConversionIsExactForEveryBitPattern() {
        for (int h = 0; h < 0x10000; h++) {
            int exponent = (h >>> 10) & 0x1f;
            int mantissa = h & 0x3ff;
            double sign = (h & 0x8000) != 0 ? -1 : 1;
            float actual = SafetensorsDtype.halfToFloat(h);
            if (exponent == 0x1f) {
                assertTrue(mantissa == 0 ? Float.isInfinite(actual) && Math.signum(actual) == sign : Float.isNaN(actual),
                        Integer.toHexString(h));
                continue;
            }
            double expected = exponent == 0
                    ? sign * Math.scalb((double) mantissa, -24)
                    : sign * Math.scalb(1.0 + mantissa / 1024.0, exponent - 15);
            assertEquals(expected, actual, 0.0, Integer.toHexString(h));
            assertEquals(Math.copySign(1.0, expected), Math.copySign(1.0f, actual), "sign of " + Integer.toHexString(h));
        }
        assertEquals(65504f, SafetensorsDtype.halfToFloat(0x7bff));
        assertEquals(1f, SafetensorsDtype.halfToFloat(0x3c00));
        assertEquals(-2f, SafetensorsDtype.halfToFloat(0xc000));
        assertEquals(1f, SafetensorsDtype.bfloat16ToFloat(0x3f80));
        assertEquals(-3.140625f, SafetensorsDtype.bfloat16ToFloat(0xc049));
    }

    /** Writes a file with the given header JSON and {@code dataBytes} bytes of data (0, 1, 2, ...). */
    private Path rawFile(String name, String headerJson, int dataBytes) throws Exception {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (int i = 0; i < dataBytes; i++) {
            out.write(i);
        }
        Path file = dir.resolve(name);
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void assertRefused(Path file, String... fragments) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> {
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                r.tensors();
            }
        });
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
        }
        assertTrue(e instanceof UserFacingException);
    }

    @Test
    void everyKindOfBrokenFileIsRefusedNamingFileAndTensor() throws Exception {
        String ok = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertRefused(Files.write(dir.resolve("tiny"), new byte[]{1, 2, 3}), "too short");
        Path lengthPastEnd = rawFile("len.safetensors", ok, 8);
        byte[] b = Files.readAllBytes(lengthPastEnd);
        b[0] = (byte) 0xF0;
        b[1] = (byte) 0x7F;
        assertRefused(Files.write(lengthPastEnd, b), "runs past the end");
        assertRefused(rawFile("json.safetensors", "{\"t\":{\"dtype\":", 8), "not valid JSON");
        assertRefused(rawFile("array.safetensors", "[1,2]", 0), "not a JSON object");
        assertRefused(rawFile("dup.safetensors", "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "not valid JSON", "Duplicate");
        assertRefused(rawFile("dtype.safetensors", ok.replace("F32", "F17"), 8), "tensor 't'", "unknown dtype 'F17'");
        assertRefused(rawFile("shape.safetensors", ok.replace("[2]", "[-2]"), 8), "tensor 't'", "shape");
        assertRefused(rawFile("nooffsets.safetensors", "{\"t\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "tensor 't'",
                "data_offsets must be an array of 2 integers");
        assertRefused(rawFile("size.safetensors", ok.replace("[2]", "[3]"), 8), "tensor 't'", "hold 8 bytes", "needs 12");
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]}}";
        assertRefused(rawFile("overlap.safetensors", String.format(two, 4, 12), 12), "tensor 'b'", "overlap", "'a'");
        assertRefused(rawFile("gap.safetensors", String.format(two, 12, 20), 20), "tensor 'b'", "4 unused bytes");
        assertRefused(rawFile("truncated.safetensors", String.format(two, 8, 16), 13), "truncated", "16 bytes", "holds 13");
        assertRefused(rawFile("trailing.safetensors", ok, 11), "3 bytes follow");
        assertRefused(rawFile("meta.safetensors", "{\"__metadata__\":{\"a\":1}}", 0), "__metadata__");
        assertRefused(dir.resolve("absent.safetensors"), "not found");
    }

    @Test
    void truncatingAValidFileAnywhereIsRefused() throws Exception {
        Path file = dir.resolve("whole.safetensors");
        new SafetensorsWriter().add("x", new long[]{4, 4}, random(16, 3)).add("y", new long[]{3}, random(3, 4)).write(file);
        byte[] whole = Files.readAllBytes(file);
        for (int cut : new int[]{whole.length - 1, whole.length - 12, 40, 9, 7}) {
            assertRefused(Files.write(dir.resolve("cut" + cut), Arrays.copyOf(whole, cut)));
        }
    }

    @Test
    void unsupportedDtypesOpenButCannotBeReadAsFloats() throws Exception {
        Path file = rawFile("ids.safetensors", "{\"position_ids\":{\"dtype\":\"I64\",\"shape\":[1,2],\"data_offsets\":[0,16]}}", 16);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(SafetensorsDtype.I64, r.tensor("position_ids").dtype());
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> r.readFloats("position_ids"));
            assertTrue(e.getMessage().contains("tensor 'position_ids'") && e.getMessage().contains("dtype I64"), e.getMessage());
            assertEquals(16, r.readBytes("position_ids").length);
            SafetensorsException none = assertThrows(SafetensorsException.class, () -> r.tensor("nope"));
            assertTrue(none.getMessage().contains("tensor 'nope'"), none.getMessage());
        }
    }

    @Test
    void aFailedWriteLeavesTheExistingFileUntouched() throws Exception {
        Path file = dir.resolve("keep.safetensors");
        new SafetensorsWriter().add("x", new long[]{2}, new float[]{1, 2}).write(file);
        byte[] before = Files.readAllBytes(file);
        SafetensorsWriter bad = new SafetensorsWriter().add("x", new long[]{3}, () -> new float[]{1, 2});
        assertThrows(IllegalArgumentException.class, () -> bad.write(file));
        assertArrayEquals(before, Files.readAllBytes(file));
        List<String> left = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.forEach(p -> left.add(p.getFileName().toString()));
        }
        assertEquals(List.of("keep.safetensors"), left);
        assertThrows(IllegalArgumentException.class, () -> new SafetensorsWriter().add("x", new long[]{3}, new float[2]));
        assertThrows(IllegalArgumentException.class,
                () -> new SafetensorsWriter().add("x", new long[]{1}, new float[1]).add("x", new long[]{1}, new float[1]));
    }

    @Test
    void halfAndBfloat16TensorsOfTheReferenceFixtureEqualItsF32Copy() {
        Path fixture = org.carotspark.testing.ClipReferenceFixture.dir();
        try (SafetensorsReader f32 = SafetensorsReader.open(fixture.resolve("openclip/open_clip_model.safetensors"));
             SafetensorsReader hf = SafetensorsReader.open(fixture.resolve("hf/model.safetensors"))) {
            assertEquals(SafetensorsDtype.F16, hf.tensor("vision_model.embeddings.class_embedding").dtype());
            assertBitIdentical(f32.readFloats("visual.class_embedding"), hf.readFloats("vision_model.embeddings.class_embedding"));
            assertEquals(SafetensorsDtype.BF16, hf.tensor("text_model.embeddings.token_embedding.weight").dtype());
            assertBitIdentical(f32.readFloats("token_embedding.weight"), hf.readFloats("text_model.embeddings.token_embedding.weight"));
            assertEquals("pt", hf.metadata().get("format"));
        }
    }
}
