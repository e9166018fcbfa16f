package org.carotspark.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Writes F32 tensors as a safetensors file: header keys sorted ({@code __metadata__} first when
 * present), data in the same order, the header padded with spaces so the data starts on an 8-byte
 * boundary. Tensor values are asked for one at a time while writing, so a caller exporting a large
 * model holds one extra tensor at most. The file appears complete or not at all: it is written
 * beside the target and moved over it at the end.
 */
public final class SafetensorsWriter {

    private static final int CHUNK_FLOATS = 1 << 18;

    private record Entry(long[] shape, Supplier<float[]> values) {
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final TreeMap<String, Entry> tensors = new TreeMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafetensorsWriter add(String name, long[] shape, float[] values) {
        requireLength(name, shape, values.length);
        return add(name, shape, () -> values);
    }

    /** {@code values} is called once, during {@link #write}, and must return {@code product(shape)} floats in row-major order. */
    public SafetensorsWriter add(String name, long[] shape, Supplier<float[]> values) {
        if (name == null || name.isEmpty() || name.equals("__metadata__")) {
            throw new IllegalArgumentException("invalid tensor name '" + name + "'");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
        }
        tensors.put(name, new Entry(shape.clone(), values));
        return this;
    }

    private static void requireLength(String name, long[] shape, int length) {
        if (TensorInfo.elementCount(shape) != length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(shape) + " ("
                    + TensorInfo.elementCount(shape) + " elements) but " + length + " values");
        }
    }

    public void write(Path file) {
        byte[] header = header();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, file.getFileName().toString() + ".", ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeAll(out, length);
                writeAll(out, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (Map.Entry<String, Entry> e : tensors.entrySet()) {
                    float[] values = e.getValue().values().get();
                    requireLength(e.getKey(), e.getValue().shape(), values.length);
                    for (int i = 0; i < values.length; i += CHUNK_FLOATS) {
                        int n = Math.min(CHUNK_FLOATS, values.length - i);
                        chunk.clear();
                        chunk.asFloatBuffer().put(values, i, n);
                        chunk.limit(n * 4);
                        writeAll(out, chunk);
                    }
                }
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write safetensors file " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    /** The JSON header, space-padded so that 8 + its length is a multiple of 8. */
    private byte[] header() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            new TreeMap<>(metadata).forEach(m::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            long bytes = TensorInfo.elementCount(e.getValue().shape()) * 4;
            ObjectNode t = root.putObject(e.getKey());
            t.put("dtype", SafetensorsDtype.F32.name());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] text;
        try {
            text = json.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (int) ((8 + text.length + 7) / 8 * 8 - 8);
        byte[] out = Arrays.copyOf(text, padded);
        Arrays.fill(out, text.length, padded, (byte) ' ');
        return out;
    }

    private static void writeAll(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            out.write(buf);
        }
    }
}
