package io.modelwork.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonGenerator;

/** The shared Jackson mapper (sorted keys, so JSON written by Modelwork is byte-stable). */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    public static ObjectNode object() { return MAPPER.createObjectNode(); }

    /**
     * Step arguments as JSON for the run log and checkpoints. Arguments are usually JSON values (strings, numbers,
     * booleans, lists, maps), but a Java caller may pass an object (e.g. a CP-SAT {@code CpModel} to build); such a
     * value is written as {@code "<java ClassName: text>"} instead of being serialised as a bean (which could recurse
     * through native handles or fail). The workflow that takes the object saves what it needs in its own state.
     */
    public static com.fasterxml.jackson.databind.JsonNode args(java.util.Map<String, ?> args) {
        ObjectNode o = object();
        args.forEach((k, v) -> o.set(k, plain(v)));
        return o;
    }

    private static com.fasterxml.jackson.databind.JsonNode plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character
                || v instanceof Enum<?> || v instanceof com.fasterxml.jackson.databind.JsonNode)
            return MAPPER.valueToTree(v);
        if (v instanceof java.util.Map<?, ?> m) {
            ObjectNode o = object();
            m.forEach((k, x) -> o.set(String.valueOf(k), plain(x)));
            return o;
        }
        if (v instanceof Iterable<?> it) {
            var a = MAPPER.createArrayNode();
            int n = 0;
            for (Object x : it) { if (n++ >= 1000) { a.add("…"); break; } a.add(plain(x)); }
            return a;
        }
        if (v.getClass().isArray()) {
            if (v.getClass().getComponentType().isPrimitive()) return MAPPER.valueToTree(v);
            var a = MAPPER.createArrayNode();
            Object[] arr = (Object[]) v;
            for (int i = 0; i < Math.min(arr.length, 1000); i++) a.add(plain(arr[i]));
            if (arr.length > 1000) a.add("…");
            return a;
        }
        if (v instanceof java.nio.file.Path p) return MAPPER.valueToTree(p.toString());
        String text;
        try {
            text = String.valueOf(v);
        } catch (RuntimeException e) {
            text = "";
        }
        if (text.length() > 80 || text.contains(v.getClass().getName() + "@")) text = "";
        return MAPPER.valueToTree("<java " + v.getClass().getSimpleName() + (text.isEmpty() ? "" : ": " + text.strip()) + ">");
    }

    public static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise " + o.getClass().getName(), e);
        }
    }
}
