package io.modelwork.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.util.*;

/**
 * Field roles and types. A schema is first <em>declared</em> (from {@code attach_dataset} arguments: {@code target},
 * {@code id}, {@code group}, {@code timestamp}, {@code weight}, {@code ignore}, {@code types}), then
 * <em>resolved</em> against the columns actually read: what was not declared is inferred (a column is a feature; its
 * type comes from the reader), and a role pointing at no column is an error that lists the columns.
 */
public final class Schema {
    /** One resolved field. */
    public record Field(String name, Role role, FieldType type) {}

    private final LinkedHashMap<String, Field> fields;

    private Schema(LinkedHashMap<String, Field> fields) { this.fields = fields; }

    /** A declaration: roles and types by column name (either map may be empty). */
    public record Declaration(Map<String, Role> roles, Map<String, FieldType> types) {
        public static Declaration of(Map<String, Role> roles, Map<String, FieldType> types) {
            return new Declaration(new LinkedHashMap<>(roles), new LinkedHashMap<>(types));
        }

        public Optional<String> target() {
            return roles.entrySet().stream().filter(e -> e.getValue() == Role.TARGET).map(Map.Entry::getKey).findFirst();
        }
    }

    /**
     * Resolves a declaration against the columns read from {@code source}.
     *
     * @param inferred the column names, in file order, with the types the reader inferred
     */
    public static Schema resolve(Declaration decl, LinkedHashMap<String, FieldType> inferred, String source) {
        for (String name : decl.roles().keySet()) {
            if (!inferred.containsKey(name)) {
                throw new ModelworkException("The schema gives column '" + name + "' the role "
                        + decl.roles().get(name).key() + ", but the data has no such column", source,
                        "use one of the columns " + inferred.keySet() + (closest(name, inferred.keySet()) == null ? ""
                        : " (did you mean '" + closest(name, inferred.keySet()) + "'?)"));
            }
        }
        for (String name : decl.types().keySet()) {
            if (!inferred.containsKey(name))
                throw new ModelworkException("The schema gives a type to column '" + name + "', which the data lacks",
                        source, "use one of the columns " + inferred.keySet());
        }
        LinkedHashMap<String, Field> out = new LinkedHashMap<>();
        for (var e : inferred.entrySet()) {
            Role role = decl.roles().getOrDefault(e.getKey(), Role.FEATURE);
            FieldType type = decl.types().getOrDefault(e.getKey(), e.getValue());
            out.put(e.getKey(), new Field(e.getKey(), role, type));
        }
        return new Schema(out);
    }

    private static String closest(String k, Collection<String> names) {
        for (String n : names) if (n.equalsIgnoreCase(k) || n.replace('_', ' ').equalsIgnoreCase(k.replace('_', ' '))) return n;
        return null;
    }

    public List<Field> fields() { return List.copyOf(fields.values()); }

    public Field field(String name) { return fields.get(name); }

    public boolean has(String name) { return fields.containsKey(name); }

    public List<String> names(Role role) {
        return fields.values().stream().filter(f -> f.role() == role).map(Field::name).toList();
    }

    public Optional<String> target() { return names(Role.TARGET).stream().findFirst(); }

    public Optional<String> single(Role role) { return names(role).stream().findFirst(); }

    public List<String> features() { return names(Role.FEATURE); }

    /** Canonical text form, part of the fingerprint. */
    public String canonical() {
        StringBuilder sb = new StringBuilder();
        for (Field f : fields.values()) sb.append(f.name()).append('\u0001').append(f.role().key()).append('\u0001')
                .append(f.type().key()).append('\n');
        return sb.toString();
    }

    public ArrayNode toJson() {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Field f : fields.values()) {
            ObjectNode o = a.addObject();
            o.put("name", f.name());
            o.put("role", f.role().key());
            o.put("type", f.type().key());
        }
        return a;
    }
}
