package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.ortools.sat.CpModelProto;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.security.MessageDigest;
import java.util.*;

/**
 * The {@code report=} of optimization.cpsat: named variables or linear expressions (or arrays / lists of them) whose
 * values evaluate shows. They are kept as plain (variable indices, coefficients, offset) triples rather than the
 * {@code IntVar} objects, so that a checkpoint can store them and a resumed session, which no longer has the
 * notebook's Java objects, still reports the same values.
 */
final class CpSatReport {
    private CpSatReport() {}

    static final int MAX_ROWS = 60;

    /** A report value as JSON: an expression object, or arrays of them with the same nesting. */
    static JsonNode toJson(String name, Object v, int variables) {
        if (v instanceof LinearArgument la) {
            LinearExpr e = la.build();
            ObjectNode o = Json.object();
            ArrayNode vars = o.putArray("vars"), coeffs = o.putArray("coeffs");
            for (int i = 0; i < e.numElements(); i++) {
                int idx = e.getVariableIndex(i);
                if (idx < 0 || idx >= variables)
                    throw new ModelworkException("report '" + name + "' uses variable #" + idx + ", the model has " + variables,
                            "build report", "report variables of the model given as model= (not of another CpModel)");
                vars.add(idx);
                coeffs.add(e.getCoefficient(i));
            }
            o.put("offset", e.getOffset());
            return o;
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        if (v instanceof Object[] arr) { for (Object x : arr) a.add(toJson(name, x, variables)); return a; }
        if (v instanceof Iterable<?> it) { for (Object x : it) a.add(toJson(name, x, variables)); return a; }
        throw new ModelworkException("report '" + name + "' is a " + (v == null ? "null" : v.getClass().getSimpleName())
                + ", not a CP-SAT variable or expression", "build report",
                "give IntVar, BoolVar, LinearExpr, or arrays / lists of them, e.g. Map.of(\"makespan\", makespan, \"start\", starts)");
    }

    /** The report with every expression replaced by its value in the solution. */
    static ObjectNode values(ObjectNode report, double[] x) {
        ObjectNode o = Json.object();
        report.fields().forEachRemaining(e -> o.set(e.getKey(), value(e.getValue(), x)));
        return o;
    }

    private static JsonNode value(JsonNode n, double[] x) {
        if (n.isArray()) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            n.forEach(c -> a.add(value(c, x)));
            return a;
        }
        long s = n.get("offset").asLong();
        for (int i = 0; i < n.get("vars").size(); i++) s += n.get("coeffs").get(i).asLong() * Math.round(x[n.get("vars").get(i).asInt()]);
        return Json.MAPPER.valueToTree(s);
    }

    /** The reported values, or (without report=) the first variables of the model by name. */
    static Table table(CpModelProto m, ObjectNode report, ObjectNode values, double[] x) {
        StringColumn k = StringColumn.create("name"), v = StringColumn.create("value");
        if (report.size() > 0) {
            values.fields().forEachRemaining(e -> {
                k.append(e.getKey());
                String t = e.getValue().toString();
                v.append(t.length() > 300 ? t.substring(0, 300) + "…" : t);
            });
            Table t = Table.create("Reported values (report=)");
            t.addColumns(k, v);
            return t;
        }
        int n = Math.min(MAX_ROWS, x.length);
        for (int i = 0; i < n; i++) {
            String name = m.getVariables(i).getName();
            k.append(name.isEmpty() ? "#" + i : name);
            v.append(String.valueOf(Math.round(x[i])));
        }
        Table t = Table.create("Variable values (first " + n + " of " + x.length + "; name the ones you want with build report=)");
        t.addColumns(k, v);
        return t;
    }

    /** SHA-256 of the deterministic binary proto: the model's identity when there is no data file. */
    static String fingerprint(CpModelProto m) {
        try {
            var out = new java.io.ByteArrayOutputStream();
            var cos = com.google.protobuf.CodedOutputStream.newInstance(out);
            cos.useDeterministicSerialization();
            m.writeTo(cos);
            cos.flush();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
