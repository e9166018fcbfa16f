package org.carotspark.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The project's own small JSON files (the prep manifest, the prep lock marker) as maps, through Jackson, the JSON
 * library Spark ships and the reports use. Objects keep their key order; numbers come back as Integer, Long or
 * Double, lists as lists.
 */
public final class JsonMaps {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private JsonMaps() {
    }

    /** {@code map} as JSON text ending in a newline, indented when {@code indented}. */
    public static String write(Map<String, ?> map, boolean indented) {
        try {
            return (indented ? JSON.writer(SerializationFeature.INDENT_OUTPUT) : JSON.writer())
                    .writeValueAsString(map) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // maps of strings, numbers, lists and maps always serialize
        }
    }

    /**
     * The JSON object {@code json}; a parse error, or JSON that is not an object, is an {@link IOException} (Jackson's
     * {@link JsonProcessingException}), so callers need no Jackson types.
     */
    public static Map<String, Object> read(String json) throws IOException {
        return JSON.readValue(json, OBJECT);
    }
}
