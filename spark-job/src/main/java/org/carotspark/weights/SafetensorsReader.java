package org.carotspark.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a safetensors file (8-byte little-endian header length, a JSON header, then the raw tensor
 * bytes) one tensor at a time: {@link #open} validates the whole header against the file, so a
 * truncated or inconsistent file is refused before any tensor is read, and each read streams the
 * tensor's bytes through a small buffer straight into the caller's destination. Loading a
 * checkpoint therefore needs the destination arrays plus about a megabyte, never a second copy.
 * F32, F16 and BF16 tensors are read as floats.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** The format's own limit on the header (safetensors refuses larger ones). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    private static final int CHUNK_BYTES = 1 << 20;
    private static final String METADATA_KEY = "__metadata__";

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
                              Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafetensorsReader open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(file, null, "file not found");
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "cannot open: " + e.getMessage(), e);
        }
        try {
            return parse(file, channel);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static SafetensorsReader parse(Path file, FileChannel channel) {
        long size;
        try {
            size = channel.size();
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "cannot read: " + e.getMessage(), e);
        }
        if (size < 8) {
            throw new SafetensorsException(file, null, "the file is " + size + " bytes, too short for a safetensors header");
        }
        long headerLength = readFully(file, channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > size - 8) {
            throw new SafetensorsException(file, null, "the header length " + Long.toUnsignedString(headerLength)
                    + " runs past the end of the " + size + "-byte file (truncated, or not a safetensors file)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsException(file, null, "the header length " + headerLength + " exceeds the format's limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer headerBytes = readFully(file, channel, 8, (int) headerLength);
        JsonNode header;
        try {
            ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            header = json.readTree(headerBytes.array());
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file, null, "the header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "the header cannot be read: " + e.getMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new SafetensorsException(file, null, "the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), tensorInfo(file, e.getKey(), e.getValue()));
            }
        }
        long dataLength = checkLayout(file, tensors);
        long actual = size - 8 - headerLength;
        if (actual < dataLength) {
            throw new SafetensorsException(file, null, "truncated: the header describes " + dataLength
                    + " bytes of tensor data but the file holds " + actual);
        }
        if (actual > dataLength) {
            throw new SafetensorsException(file, null, (actual - dataLength)
                    + " bytes follow the last tensor's data (corrupt or not a safetensors file)");
        }
        return new SafetensorsReader(file, channel, 8 + headerLength, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> into) {
        if (!node.isObject()) {
            throw new SafetensorsException(file, null, METADATA_KEY + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new SafetensorsException(file, null, METADATA_KEY + " value of '" + m.getKey() + "' is not a string");
            }
            into.put(m.getKey(), m.getValue().asText());
        }
    }

    private static TensorInfo tensorInfo(Path file, String name, JsonNode node) {
        if (!node.isObject()) {
            throw new SafetensorsException(file, name, "the header entry is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsException(file, name, "the header entry has no dtype string");
        }
        SafetensorsDtype dtype = SafetensorsDtype.parse(dtypeNode.asText()).orElseThrow(() ->
                new SafetensorsException(file, name, "unknown dtype '" + dtypeNode.asText() + "'"));
        long[] shape = nonNegativeLongs(file, name, node.get("shape"), "shape", -1);
        long[] offsets = nonNegativeLongs(file, name, node.get("data_offsets"), "data_offsets", 2);
        if (offsets[1] < offsets[0]) {
            throw new SafetensorsException(file, name, "data_offsets [" + offsets[0] + ", " + offsets[1] + "] end before they begin");
        }
        long needed;
        try {
            needed = Math.multiplyExact(TensorInfo.elementCount(shape), dtype.bytes());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, name, "shape " + java.util.Arrays.toString(shape) + " is too large");
        }
        if (offsets[1] - offsets[0] != needed) {
            throw new SafetensorsException(file, name, "data_offsets [" + offsets[0] + ", " + offsets[1] + "] hold "
                    + (offsets[1] - offsets[0]) + " bytes but shape " + java.util.Arrays.toString(shape) + " of " + dtype
                    + " needs " + needed);
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] nonNegativeLongs(Path file, String name, JsonNode node, String field, int requiredLength) {
        if (node == null || !node.isArray() || (requiredLength >= 0 && node.size() != requiredLength)) {
            throw new SafetensorsException(file, name, field + " must be an array"
                    + (requiredLength >= 0 ? " of " + requiredLength + " integers" : " of integers"));
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
                throw new SafetensorsException(file, name, field + " holds '" + v + "', not a non-negative integer");
            }
            out[i] = v.asLong();
        }
        return out;
    }

    /** The tensors must tile the data section exactly (the format forbids holes and overlaps); returns its length. */
    private static long checkLayout(Path file, Map<String, TensorInfo> tensors) {
        List<TensorInfo> byOffset = new ArrayList<>(tensors.values());
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        String previous = null;
        for (TensorInfo t : byOffset) {
            if (t.begin() < expected) {
                throw new SafetensorsException(file, t.name(), "its bytes [" + t.begin() + ", " + t.end()
                        + ") overlap those of tensor '" + previous + "'");
            }
            if (t.begin() > expected) {
                throw new SafetensorsException(file, t.name(), (t.begin() - expected) + " unused bytes precede its data at "
                        + t.begin() + " (the format allows no gaps)");
            }
            expected = t.end();
            previous = t.name();
        }
        return expected;
    }

    public Path file() {
        return file;
    }

    /** The header's {@code __metadata__} (empty when it has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor, in header order. */
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo tensor(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new SafetensorsException(file, name, "no such tensor in the file");
        }
        return t;
    }

    /** The whole tensor as a new float array (for tensors below 2^31 elements). */
    public float[] readFloats(String name) {
        TensorInfo t = tensor(name);
        if (t.elementCount() > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(file, name, t.elementCount() + " elements do not fit one Java array; "
                    + "read it into a FloatBuffer");
        }
        float[] out = new float[(int) t.elementCount()];
        readFloats(name, out, 0);
        return out;
    }

    /** The tensor's elements into {@code dest[offset ..]}, in the file's (row-major) order. */
    public void readFloats(String name, float[] dest, int offset) {
        TensorInfo t = tensor(name);
        if (offset < 0 || dest.length - offset < t.elementCount()) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + t.elementCount() + " elements; the array has "
                    + Math.max(0, dest.length - offset) + " from offset " + offset);
        }
        readFloats(name, FloatBuffer.wrap(dest, offset, (int) t.elementCount()));
    }

    /**
     * The tensor's elements into {@code dest} from its position on (which advances by the element
     * count): a heap buffer, a direct buffer, or an off-heap array's view such as an ND4J buffer's
     * {@code asNioFloat()}, so large tensors go straight where they are used.
     */
    public void readFloats(String name, FloatBuffer dest) {
        TensorInfo t = tensor(name);
        if (!t.dtype().readableAsFloat()) {
            throw new SafetensorsException(file, name, "dtype " + t.dtype() + " cannot be read as floats (supported: F32, F16, BF16)");
        }
        if (dest.remaining() < t.elementCount()) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + t.elementCount() + " elements; the buffer has room for "
                    + dest.remaining());
        }
        long bytes = t.end() - t.begin();
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(bytes, 1))).order(ByteOrder.LITTLE_ENDIAN);
        for (long done = 0; done < bytes; ) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), bytes - done));
            fill(name, chunk, dataStart + t.begin() + done);
            chunk.flip();
            done += chunk.remaining();
            convert(t.dtype(), chunk, dest);
        }
    }

    /** The tensor's raw little-endian bytes, whatever its dtype. */
    public byte[] readBytes(String name) {
        TensorInfo t = tensor(name);
        long bytes = t.end() - t.begin();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(file, name, bytes + " bytes do not fit one Java array");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes);
        fill(name, out, dataStart + t.begin());
        return out.array();
    }

    private static void convert(SafetensorsDtype dtype, ByteBuffer src, FloatBuffer dest) {
        switch (dtype) {
            case F32 -> dest.put(src.asFloatBuffer());
            case F16 -> {
                while (src.remaining() >= 2) {
                    dest.put(SafetensorsDtype.halfToFloat(src.getShort() & 0xffff));
                }
            }
            case BF16 -> {
                while (src.remaining() >= 2) {
                    dest.put(SafetensorsDtype.bfloat16ToFloat(src.getShort() & 0xffff));
                }
            }
            default -> throw new IllegalStateException("not a float dtype: " + dtype);
        }
    }

    /** Fills {@code buf} (position to limit) from the file at {@code position}. */
    private void fill(String tensor, ByteBuffer buf, long position) {
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, position);
                if (n < 0) {
                    throw new SafetensorsException(file, tensor, "the file ended early (changed while being read?)");
                }
                position += n;
            }
        } catch (IOException e) {
            throw new SafetensorsException(file, tensor, "read failed: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try {
            while (buf.hasRemaining()) {
                if (channel.read(buf, position + buf.position()) < 0) {
                    throw new SafetensorsException(file, null, "the file ended early");
                }
            }
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "read failed: " + e.getMessage(), e);
        }
        buf.flip();
        return buf;
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the open already failed; that error is the one to report
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "close failed: " + e.getMessage(), e);
        }
    }
}
