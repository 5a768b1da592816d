package io.modelwork.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.data.Dataset;
import io.modelwork.data.FieldType;
import io.modelwork.data.Schema;
import tech.tablesaw.api.Table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.*;

/**
 * The tabular preprocessing pipeline of {@code prepare_data}: imputation, scaling, one-hot or ordinal encoding of
 * categoricals, and optional feature selection. It is <em>fitted on the training rows only</em>, then frozen: its
 * JSON form is the preprocessing artifact, and its {@link #id()} is the SHA-256 of that form.
 */
public final class Preprocessor {
    public enum Impute { MEDIAN, MEAN, ZERO, NONE }
    public enum Scale { STANDARD, MINMAX, NONE }
    public enum Encode { ONEHOT, ORDINAL }
    public enum Select { NONE, VARIANCE }

    /** The options, before fitting. */
    public record Options(Impute impute, Scale scale, Encode encode, int maxCategories, Select select) {
        public static Options from(Args a) {
            return new Options(a.getEnum("impute", Impute.class, Impute.MEDIAN), a.getEnum("scale", Scale.class, Scale.NONE),
                    a.getEnum("encode", Encode.class, Encode.ONEHOT), a.getInt("max_categories", 20),
                    a.getEnum("select", Select.class, Select.VARIANCE));
        }

        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("impute", impute.name().toLowerCase(Locale.ROOT));
            o.put("scale", scale.name().toLowerCase(Locale.ROOT));
            o.put("encode", encode.name().toLowerCase(Locale.ROOT));
            o.put("max_categories", maxCategories);
            o.put("select", select.name().toLowerCase(Locale.ROOT));
            return o;
        }
    }

    /** One input column's frozen transformation. */
    record ColumnStep(String column, boolean numeric, double fill, double offset, double scale,
                      List<String> levels, boolean onehot) {}

    private final Options options;
    private final List<ColumnStep> steps;
    private final List<String> outputNames;
    private final boolean[] keep;
    private final String id;

    private Preprocessor(Options options, List<ColumnStep> steps, boolean[] keep) {
        this.options = options;
        this.steps = steps;
        List<String> names = new ArrayList<>();
        for (ColumnStep s : steps) {
            if (s.numeric || !s.onehot) names.add(s.column);
            else for (String l : s.levels) names.add(s.column + "=" + l);
        }
        this.keep = keep == null ? allTrue(names.size()) : keep;
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) if (this.keep[i]) kept.add(names.get(i));
        this.outputNames = kept;
        this.id = "prep-" + sha256(Json.write(toJson())).substring(0, 16);
    }

    private static boolean[] allTrue(int n) { boolean[] b = new boolean[n]; Arrays.fill(b, true); return b; }

    /** Fits the pipeline on the given (training) rows of the dataset. */
    public static Preprocessor fit(Options o, Dataset ds, int[] trainRows) {
        Table t = ds.table();
        List<ColumnStep> steps = new ArrayList<>();
        for (String col : ds.schema().features()) {
            Schema.Field f = ds.schema().field(col);
            if (f.type() == FieldType.NUMERIC || f.type() == FieldType.BOOLEAN) {
                double[] all = Dataset.numeric(t, col, ds.ref());
                double[] v = new double[trainRows.length];
                for (int i = 0; i < v.length; i++) v[i] = all[trainRows[i]];
                double[] present = Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
                double fill = switch (o.impute) {
                    case MEDIAN -> present.length == 0 ? 0 : io.modelwork.data.Attach.quantile(present, 0.5);
                    case MEAN -> Arrays.stream(present).average().orElse(0);
                    case ZERO -> 0;
                    case NONE -> Double.NaN;
                };
                double offset = 0, scale = 1;
                if (present.length > 0 && o.scale == Scale.STANDARD) {
                    double m = Arrays.stream(present).average().orElse(0), ss = 0;
                    for (double d : present) ss += (d - m) * (d - m);
                    double sd = Math.sqrt(ss / present.length);
                    offset = m;
                    scale = sd > 0 ? 1 / sd : 1;
                } else if (present.length > 0 && o.scale == Scale.MINMAX) {
                    double lo = present[0], hi = present[present.length - 1];
                    offset = lo;
                    scale = hi > lo ? 1 / (hi - lo) : 1;
                }
                steps.add(new ColumnStep(col, true, fill, offset, scale, List.of(), false));
            } else if (f.type() == FieldType.CATEGORICAL) {
                String[] all = Dataset.strings(t, col);
                TreeMap<String, Integer> counts = new TreeMap<>();
                for (int r : trainRows) if (all[r] != null) counts.merge(all[r], 1, Integer::sum);
                List<String> levels = new ArrayList<>(counts.keySet());
                boolean onehot = o.encode == Encode.ONEHOT && levels.size() <= o.maxCategories;
                steps.add(new ColumnStep(col, false, Double.NaN, 0, 1, levels, onehot));
            }
            // TEXT and TIMESTAMP features are not encoded here; they are reported by prepare_data
        }
        Preprocessor unselected = new Preprocessor(o, steps, null);
        if (o.select == Select.VARIANCE) {
            Matrix m = unselected.transformAll(ds, trainRows, null);
            boolean[] keep = new boolean[m.cols()];
            for (int c = 0; c < m.cols(); c++) {
                float first = Float.NaN;
                boolean varies = false;
                for (int r = 0; r < m.rows() && !varies; r++) {
                    float v = m.get(r, c);
                    if (Float.isNaN(first)) first = v;
                    else if (!Float.isNaN(v) && v != first) varies = true;
                }
                keep[c] = varies;
            }
            return new Preprocessor(o, steps, keep);
        }
        return unselected;
    }

    public String id() { return id; }

    public Options options() { return options; }

    public List<String> outputNames() { return outputNames; }

    public int inputColumns() { return steps.size(); }

    /** True when every step is numeric (then ONNX can carry the whole pipeline as Imputer + Scaler). */
    public boolean allNumeric() { return steps.stream().allMatch(ColumnStep::numeric); }

    /** Numeric input column names, in order. */
    public List<String> inputNames() { return steps.stream().map(ColumnStep::column).toList(); }

    /** Per input column: fill, offset, scale (numeric pipelines only). */
    public double[][] numericParameters() {
        double[][] out = new double[steps.size()][3];
        for (int i = 0; i < steps.size(); i++) {
            ColumnStep s = steps.get(i);
            out[i] = new double[]{s.fill, s.offset, s.scale};
        }
        return out;
    }

    /** Which encoded columns are kept by feature selection. */
    public boolean[] kept() { return keep.clone(); }

    /** Transforms the given rows of {@code table} (the dataset's or its test table); labels are mapped by {@code labels}. */
    public Matrix transform(Dataset ds, Table table, int[] rows, LabelEncoder labels) {
        return transformTable(ds, table, rows, labels);
    }

    private Matrix transformAll(Dataset ds, int[] rows, LabelEncoder labels) {
        return transformTable(ds, ds.table(), rows, labels);
    }

    private Matrix transformTable(Dataset ds, Table t, int[] rows, LabelEncoder labels) {
        int wide = 0;
        for (ColumnStep s : steps) wide += (s.numeric || !s.onehot) ? 1 : s.levels.size();
        int cols = outputNames.size();
        float[] x = new float[rows.length * cols];
        int[] outIndex = new int[wide];
        for (int i = 0, k = 0; i < wide; i++) outIndex[i] = keep[i] ? k++ : -1;
        int base = 0;
        for (ColumnStep s : steps) {
            if (s.numeric) {
                double[] v = Dataset.numeric(t, s.column, ds.ref());
                int oc = outIndex[base];
                if (oc >= 0) for (int i = 0; i < rows.length; i++) {
                    double d = v[rows[i]];
                    if (Double.isNaN(d)) d = s.fill;
                    x[i * cols + oc] = ((float) d - (float) s.offset) * (float) s.scale; // float32 arithmetic, as ONNX Scaler
                }
                base++;
            } else {
                String[] v = Dataset.strings(t, s.column);
                Map<String, Integer> index = new HashMap<>();
                for (int l = 0; l < s.levels.size(); l++) index.put(s.levels.get(l), l);
                if (s.onehot) {
                    for (int i = 0; i < rows.length; i++) {
                        Integer l = v[rows[i]] == null ? null : index.get(v[rows[i]]);
                        for (int l2 = 0; l2 < s.levels.size(); l2++) {
                            int oc = outIndex[base + l2];
                            if (oc >= 0) x[i * cols + oc] = (l != null && l == l2) ? 1f : 0f;
                        }
                    }
                    base += s.levels.size();
                } else {
                    int oc = outIndex[base];
                    if (oc >= 0) for (int i = 0; i < rows.length; i++) {
                        Integer l = v[rows[i]] == null ? null : index.get(v[rows[i]]);
                        x[i * cols + oc] = l == null ? Float.NaN : l;
                    }
                    base++;
                }
            }
        }
        double[] y = new double[rows.length];
        if (labels != null) {
            String target = ds.target();
            y = labels.encode(t, target, rows, ds.ref());
        }
        double[] w = null;
        Optional<String> wcol = ds.schema().single(io.modelwork.data.Role.WEIGHT);
        if (wcol.isPresent()) {
            double[] all = Dataset.numeric(t, wcol.get(), ds.ref());
            w = new double[rows.length];
            for (int i = 0; i < rows.length; i++) w[i] = all[rows[i]];
        }
        int[] groups = null;
        Optional<String> gcol = ds.schema().single(io.modelwork.data.Role.GROUP);
        if (ds.task() == Dataset.Task.RANKING && gcol.isPresent()) {
            String[] all = Dataset.strings(t, gcol.get());
            Map<String, Integer> ids = new HashMap<>();
            groups = new int[rows.length];
            for (int i = 0; i < rows.length; i++) groups[i] = ids.computeIfAbsent(String.valueOf(all[rows[i]]), k -> ids.size());
        }
        return new Matrix(x, rows.length, cols, y, w, rows.clone(), outputNames.toArray(new String[0]), groups);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("format", "modelwork.preprocessor/1");
        o.set("options", options.toJson());
        ArrayNode a = o.putArray("columns");
        for (ColumnStep s : steps) {
            ObjectNode c = a.addObject();
            c.put("column", s.column);
            c.put("kind", s.numeric ? "numeric" : (s.onehot ? "onehot" : "ordinal"));
            if (s.numeric) {
                if (Double.isNaN(s.fill)) c.putNull("fill"); else c.put("fill", s.fill);
                c.put("offset", s.offset);
                c.put("scale", s.scale);
            } else {
                ArrayNode l = c.putArray("levels");
                s.levels.forEach(l::add);
            }
        }
        ArrayNode k = o.putArray("keep");
        for (boolean b : keep) k.add(b);
        ArrayNode out = o.putArray("output_features");
        outputNames.forEach(out::add);
        return o;
    }

    public static Preprocessor fromJson(JsonNode o) {
        if (!"modelwork.preprocessor/1".equals(o.path("format").asText()))
            throw new ModelworkException("Not a Modelwork preprocessor (format " + o.path("format").asText() + ")",
                    "preprocessor.json", "use a preprocessor.json written by prepare_data");
        JsonNode op = o.get("options");
        Options opts = Options.from(Args.from(Json.MAPPER.convertValue(op, Map.class)));
        List<ColumnStep> steps = new ArrayList<>();
        for (JsonNode c : o.get("columns")) {
            String kind = c.get("kind").asText();
            if (kind.equals("numeric"))
                steps.add(new ColumnStep(c.get("column").asText(), true, c.get("fill").isNull() ? Double.NaN
                        : c.get("fill").asDouble(), c.get("offset").asDouble(), c.get("scale").asDouble(), List.of(), false));
            else {
                List<String> levels = new ArrayList<>();
                c.get("levels").forEach(l -> levels.add(l.asText()));
                steps.add(new ColumnStep(c.get("column").asText(), false, Double.NaN, 0, 1, levels, kind.equals("onehot")));
            }
        }
        boolean[] keep = new boolean[o.get("keep").size()];
        for (int i = 0; i < keep.length; i++) keep[i] = o.get("keep").get(i).asBoolean();
        return new Preprocessor(opts, steps, keep);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
