package io.modelwork.data;

import io.modelwork.core.ModelworkException;
import tech.tablesaw.api.*;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.LongColumnType;
import tech.tablesaw.io.csv.CsvReadOptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.*;

/**
 * Reads a dataset reference into a Tablesaw {@link Table}: CSV and TSV (Tablesaw's reader), ARFF (header parsed
 * here, the {@code @data} section handed to Tablesaw's CSV reader), libsvm, and a JDBC URL plus a query (Tablesaw's
 * {@code db} reader).
 *
 * <p>The libsvm reader is written by hand because neither Tablesaw nor any other dependency reads that format into
 * columns; it is a few lines of {@code label idx:value} splitting. Absent libsvm entries are zeros, as the format
 * defines (a sparse row).
 */
public final class TableReaders {
    private TableReaders() {}

    /** Values read as missing in text formats. */
    public static final String[] MISSING = {"", "NA", "N/A", "na", "n/a", "?", "NaN", "nan", "null", "NULL"};

    public enum Format { CSV, TSV, LIBSVM, ARFF, JDBC }

    public static Format detect(String ref, String declared) {
        if (declared != null && !declared.isBlank()) {
            try {
                return Format.valueOf(declared.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ModelworkException("Unknown dataset format '" + declared + "'", "attach_dataset format",
                        "use one of csv, tsv, libsvm, arff, jdbc (or leave it out to detect it from the name)");
            }
        }
        String r = ref.toLowerCase(Locale.ROOT);
        if (r.startsWith("jdbc:")) return Format.JDBC;
        if (r.endsWith(".tsv") || r.endsWith(".tab")) return Format.TSV;
        if (r.endsWith(".arff")) return Format.ARFF;
        if (r.endsWith(".libsvm") || r.endsWith(".svm") || r.contains(".txt.train") || r.contains(".txt.test")
                || r.endsWith(".svmlight")) return Format.LIBSVM;
        if (!r.endsWith(".csv") && looksLikeLibsvm(Path.of(ref))) return Format.LIBSVM;
        return Format.CSV;
    }

    /** True when the first non-empty line reads {@code label index:value ...}. */
    static boolean looksLikeLibsvm(Path p) {
        if (!Files.isRegularFile(p)) return false;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty()) continue;
                return line.matches("[-+0-9.eE]+(\\s+(qid|\\d+):[^\\s]+)+\\s*(#.*)?");
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Reads a file-based reference, with the column types forced where the schema declares them. */
    public static Table read(String ref, Format format, Map<String, FieldType> declaredTypes, String query) {
        return read(ref, format, declaredTypes, query, Settings.DEFAULT);
    }

    /**
     * Reads a reference with the given {@link Settings}. The text is checked first: bytes that are not valid in the
     * encoding and NUL bytes (a binary file) are errors naming the line; a file in another encoding is transcoded to
     * UTF-8 before the read.
     */
    public static Table read(String ref, Format format, Map<String, FieldType> declaredTypes, String query, Settings settings) {
        if (format == Format.JDBC) return readJdbc(ref, query);
        Path p = Path.of(ref);
        checkReadable(p);
        if (settings.encoding().equals(StandardCharsets.UTF_8)) {
            TextCheck.check(p, StandardCharsets.UTF_8);
            return readChecked(p, format, declaredTypes, settings);
        }
        TextCheck.check(p, settings.encoding());
        Path utf8 = null;
        try {
            utf8 = Files.createTempFile("modelwork-" + p.getFileName() + "-", ".utf8");
            try (var in = Files.newBufferedReader(p, settings.encoding());
                 var out = Files.newBufferedWriter(utf8, StandardCharsets.UTF_8)) {
                in.transferTo(out);
            }
            return readChecked(utf8, format, declaredTypes, settings);
        } catch (IOException e) {
            throw new ModelworkException("Cannot transcode " + p + " from " + settings.encoding() + ": " + e.getMessage(),
                    p.toString(), "check the file and free space in the temporary folder");
        } finally {
            if (utf8 != null) try { Files.deleteIfExists(utf8); } catch (IOException ignored) { }
        }
    }

    private static void checkReadable(Path p) {
        if (!Files.exists(p))
            throw new ModelworkException("The dataset file does not exist", p.toAbsolutePath().toString(),
                    "check the path (relative paths are resolved against " + Path.of("").toAbsolutePath() + ")");
        if (!Files.isRegularFile(p) || !Files.isReadable(p))
            throw new ModelworkException("The dataset path is not a readable file", p.toAbsolutePath().toString(),
                    "point path= at a file, not a folder, and check its permissions");
        try {
            if (Files.size(p) == 0)
                throw new ModelworkException("The dataset file is empty", p.toAbsolutePath().toString(),
                        "write the data (with a header line for CSV/TSV) or point at another file");
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the dataset file: " + e.getMessage(), p.toString(), "check the file");
        }
    }

    private static Table readChecked(Path p, Format format, Map<String, FieldType> declaredTypes, Settings settings) {
        return switch (format) {
            case CSV -> NumericText.repair(readDelimited(p, ',', declaredTypes), declaredTypes);
            case TSV -> NumericText.repair(readDelimited(p, '\t', declaredTypes), declaredTypes);
            case LIBSVM -> readLibsvm(p, settings.maxColumns());
            case ARFF -> readArff(p, declaredTypes);
            default -> throw new IllegalStateException();
        };
    }

    private static Map<String, ColumnType> tablesawTypes(Map<String, FieldType> declared) {
        Map<String, ColumnType> m = new HashMap<>();
        declared.forEach((k, v) -> {
            switch (v) {
                case CATEGORICAL, TEXT -> m.put(k, ColumnType.STRING);
                case BOOLEAN -> m.put(k, ColumnType.STRING);
                default -> { }
            }
        });
        return m;
    }

    /** Rows read to infer column types before the full read (see {@link #readDelimited}). */
    static final int TYPE_SAMPLE_ROWS = 20_000;

    /**
     * Reads CSV/TSV in two passes to keep peak memory near the table's own size: column types are inferred by
     * Tablesaw on the first {@value #TYPE_SAMPLE_ROWS} rows, then the whole file is read with those types fixed. If a
     * later value does not fit the sampled type (an integer column holding 1.5 further down, a number column holding
     * text), the file is read again with inference over every row, which is exact but needs several times more heap.
     */
    static Table readDelimited(Path p, char sep, Map<String, FieldType> declaredTypes) {
        Map<String, ColumnType> forced = tablesawTypes(declaredTypes);
        try {
            ColumnType[] sampled = sampleTypes(p, sep, forced);
            if (sampled != null) {
                try {
                    Table chunked;
                    try {
                        chunked = readChunked(p, sep, sampled);
                    } catch (IOException e) {
                        throw new ModelworkException("Cannot read " + p + ": " + e.getMessage(), p.toString(), "check the file");
                    }
                    if (chunked != null) return checkRows(chunked, p);
                    return checkRows(Table.read().usingOptions(options(p, sep).columnTypes(sampled).build()), p);
                } catch (ModelworkException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // a value further down does not fit the sampled type: fall back to inference over all rows
                }
            }
            CsvReadOptions.Builder b = options(p, sep).sample(false);
            if (!forced.isEmpty()) b.columnTypesPartial(forced);
            return checkRows(Table.read().usingOptions(b.build()), p);
        } catch (ModelworkException e) {
            throw e;
        } catch (RuntimeException e) {
            String kind = sep == '\t' ? "TSV" : "CSV";
            var problem = CsvDiagnosis.find(p, sep);
            if (problem.isPresent())
                throw new ModelworkException("Cannot parse the file as " + kind + ": line " + problem.get().line() + ": "
                        + problem.get().what(), p + ":" + problem.get().line(), "fix that line (every row needs the "
                        + "header's number of fields; quote values holding the separator: \"a" + sep + "b\")", e);
            throw new ModelworkException("Cannot parse the file as " + kind + ": "
                    + rootMessage(e), p.toString(), "check the separator (format=csv|tsv), the header line and "
                    + "that every row has the same number of fields", e);
        }
    }

    private static CsvReadOptions.Builder options(Path p, char sep) {
        return CsvReadOptions.builder(p.toFile()).separator(sep).header(true).missingValueIndicator(MISSING)
                .tableName(p.getFileName().toString());
    }

    private static Table checkRows(Table t, Path p) {
        if (t.rowCount() == 0)
            throw new ModelworkException("The dataset file has a header but no data rows", p.toString(),
                    "add data rows below the header");
        return compact(t);
    }

    /**
     * Replaces each numeric column by an exact-size copy: the reader's growable arrays keep up to 2× slack, which
     * would double the table's footprint for its whole life. One column is copied at a time.
     */
    static Table compact(Table t) {
        for (int i = 0; i < t.columnCount(); i++) {
            Column<?> c = t.column(i);
            if (c instanceof DoubleColumn d) t.replaceColumn(i, DoubleColumn.create(d.name(), d.asDoubleArray()));
            else if (c instanceof LongColumn l) t.replaceColumn(i, LongColumn.create(l.name(), l.asLongArray()));
            else if (c instanceof IntColumn n) t.replaceColumn(i, IntColumn.create(n.name(), n.asIntArray()));
        }
        return t;
    }

    /** Rows per chunk of {@link #readChunked}. */
    static final int CHUNK_ROWS = 10_000;

    /**
     * Reads a large delimited file in chunks of {@value #CHUNK_ROWS} rows, each parsed by Tablesaw with the sampled
     * types, copying numeric values into arrays sized from a line count up front, so that peak memory stays near the
     * final table's size (Tablesaw's own reader grows every column's array as it goes, several times the data at the
     * peak). Returns {@code null} when the file has quoted fields spanning lines (then one Tablesaw read is used).
     */
    static Table readChunked(Path p, char sep, ColumnType[] types) throws IOException {
        long lines = 0;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            boolean header = true;
            while ((line = r.readLine()) != null) {
                if (line.indexOf('"') >= 0 && (line.chars().filter(ch -> ch == '"').count() % 2) != 0) return null;
                if (header) { header = false; continue; }
                if (!line.isEmpty()) lines++;
            }
        }
        if (lines > Integer.MAX_VALUE - 16) return null;
        int cap = (int) lines;
        Object[] arrays = new Object[types.length];
        for (int c = 0; c < types.length; c++) {
            if (types[c] == ColumnType.DOUBLE) arrays[c] = new double[cap];
            else if (types[c] == ColumnType.LONG) arrays[c] = new long[cap];
        }
        Column<?>[] others = new Column<?>[types.length];
        String[] names = null;
        int row = 0;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            StringBuilder chunk = new StringBuilder(header).append('\n');
            int inChunk = 0;
            String line;
            while (true) {
                line = r.readLine();
                if (line != null && !line.isEmpty()) { chunk.append(line).append('\n'); inChunk++; }
                if (inChunk == CHUNK_ROWS || (line == null && inChunk > 0)) {
                    Table part = Table.read().usingOptions(CsvReadOptions.builder(new java.io.CharArrayReader(chars(chunk)))
                            .separator(sep).header(true).missingValueIndicator(MISSING).columnTypes(types).build());
                    if (names == null) names = part.columnNames().toArray(new String[0]);
                    for (int c = 0; c < types.length; c++) {
                        Column<?> pc = part.column(c);
                        if (arrays[c] instanceof double[] a) {
                            DoubleColumn dc = (DoubleColumn) pc;
                            for (int i = 0; i < dc.size(); i++) a[row + i] = dc.isMissing(i) ? Double.NaN : dc.getDouble(i);
                        } else if (arrays[c] instanceof long[] a) {
                            LongColumn lc = (LongColumn) pc;
                            for (int i = 0; i < lc.size(); i++) a[row + i] = lc.isMissing(i) ? LongColumnType.missingValueIndicator() : lc.getLong(i);
                        } else if (others[c] == null) others[c] = pc.copy();
                        else appendColumn(others[c], pc);
                    }
                    row += part.rowCount();
                    chunk.setLength(0);
                    chunk.append(header).append('\n');
                    inChunk = 0;
                }
                if (line == null) break;
            }
        }
        if (names == null) return null;
        Table result = Table.create(p.getFileName().toString());
        for (int c = 0; c < types.length; c++) {
            if (arrays[c] instanceof double[] a) result.addColumns(DoubleColumn.create(names[c], row == a.length ? a : java.util.Arrays.copyOf(a, row)));
            else if (arrays[c] instanceof long[] a) result.addColumns(LongColumn.create(names[c], row == a.length ? a : java.util.Arrays.copyOf(a, row)));
            else result.addColumns(others[c]);
            arrays[c] = null;
        }
        return result;
    }

    private static char[] chars(StringBuilder sb) {
        char[] c = new char[sb.length()];
        sb.getChars(0, c.length, c, 0);
        return c;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void appendColumn(Column target, Column part) { target.append(part); }

    /** Types inferred from the head of the file, or {@code null} when the file is short (then one full read). */
    private static ColumnType[] sampleTypes(Path p, char sep, Map<String, ColumnType> forced) {
        StringBuilder head = new StringBuilder();
        int lines = 0;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null && lines <= TYPE_SAMPLE_ROWS) {
                head.append(line).append('\n');
                lines++;
            }
            if (line == null) return null;
        } catch (IOException e) {
            return null;
        }
        CsvReadOptions.Builder b = CsvReadOptions.builder(new StringReader(head.toString())).separator(sep).header(true)
                .sample(false).missingValueIndicator(MISSING);
        if (!forced.isEmpty()) b.columnTypesPartial(forced);
        Table t = Table.read().usingOptions(b.build());
        ColumnType[] types = new ColumnType[t.columnCount()];
        for (int i = 0; i < types.length; i++) {
            ColumnType ct = t.column(i).type();
            // widen integers: a later row may hold a larger value
            types[i] = ct == ColumnType.INTEGER || ct == ColumnType.SHORT ? ColumnType.LONG : ct;
        }
        return types;
    }

    static Table readJdbc(String url, String query) {
        if (query == null || query.isBlank())
            throw new ModelworkException("A JDBC dataset needs a query", url, "add query=\"SELECT ... FROM ...\"");
        if (url.startsWith("jdbc:sqlite:")) {
            // the SQLite driver creates an empty database for a missing file: refuse it instead
            String file = url.substring("jdbc:sqlite:".length());
            if (file.startsWith("file:")) file = file.substring(5);
            int q = file.indexOf('?');
            if (q >= 0) file = file.substring(0, q);
            if (!file.isEmpty() && !file.startsWith(":memory:") && !file.contains("mode=memory") && !Files.isRegularFile(Path.of(file)))
                throw new ModelworkException("The SQLite database file does not exist: " + file, url,
                        "check the path in the JDBC URL (jdbc:sqlite:/path/to/file.db); no file was created");
        }
        try (Connection c = DriverManager.getConnection(url);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            Table t = Table.read().db(rs, "jdbc");
            if (t.rowCount() == 0)
                throw new ModelworkException("The JDBC query returned no rows", url + " :: " + query,
                        "check the query's WHERE clause and the table's contents");
            return t;
        } catch (SQLException e) {
            throw new ModelworkException("The JDBC query failed: " + e.getMessage(), url + " :: " + query,
                    "check the URL (e.g. jdbc:sqlite:/path/file.db), the table and column names in the query", e);
        }
    }

    /** The default highest libsvm index (columns) a file may use; see {@link Settings#maxColumns()}. */
    public static final int DEFAULT_MAX_COLUMNS = 1_000_000;

    /**
     * The reader keys of attach_dataset that {@link Settings#of} reads, declared once for every category that reads
     * files through these readers: {@code ATTACH.plus(TableReaders.OPTIONS)}.
     */
    public static final io.modelwork.core.Options OPTIONS = io.modelwork.core.Options.of(
            io.modelwork.core.Option.text("encoding", "utf-8", "text encoding of the file (utf-8, latin-1, windows-1252, ...); "
                    + "bytes not valid in it are an error naming the line"),
            io.modelwork.core.Option.integer("max_columns", DEFAULT_MAX_COLUMNS, 1, Integer.MAX_VALUE,
                    "libsvm: the highest feature index accepted (a larger one is an error, not a hang)"));

    /**
     * How files are read: the highest column count a libsvm file may ask for ({@code max_columns}, default
     * {@value #DEFAULT_MAX_COLUMNS}), and the text encoding ({@code encoding}, default UTF-8; a file that is not
     * valid in it is refused with the line of the first bad byte).
     */
    public record Settings(int maxColumns, java.nio.charset.Charset encoding) {
        public static final Settings DEFAULT = new Settings(DEFAULT_MAX_COLUMNS, StandardCharsets.UTF_8);

        /** From attach_dataset's {@code max_columns} and {@code encoding} keys. */
        public static Settings of(io.modelwork.core.Args a) {
            int max = a.getInt("max_columns", DEFAULT_MAX_COLUMNS);
            if (max < 1) throw new ModelworkException("max_columns must be at least 1, got " + max,
                    "attach_dataset max_columns", "give a positive column limit (default " + DEFAULT_MAX_COLUMNS + ")");
            java.nio.charset.Charset cs = StandardCharsets.UTF_8;
            String enc = a.getString("encoding", null);
            if (enc != null) {
                try {
                    cs = java.nio.charset.Charset.forName(enc.equalsIgnoreCase("latin-1") ? "ISO-8859-1" : enc);
                } catch (RuntimeException e) {
                    throw new ModelworkException("Unknown encoding '" + enc + "'", "attach_dataset encoding",
                            "use e.g. encoding=utf-8, encoding=latin-1 (ISO-8859-1) or encoding=windows-1252");
                }
            }
            return new Settings(max, cs);
        }
    }

    static Table readLibsvm(Path p) { return readLibsvm(p, DEFAULT_MAX_COLUMNS); }

    /**
     * Reads libsvm: {@code label index:value ...} with 1-based indices, in any order within a row (sorted here);
     * index 0, a negative or repeated index and an index above {@code maxColumns} are errors naming the line. Only
     * the indices that occur become columns {@code f<index>} (an index no row uses would be an all-zero column).
     */
    static Table readLibsvm(Path p, int maxColumns) {
        List<double[]> labels = new ArrayList<>();
        List<int[]> idx = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        List<Integer> qids = new ArrayList<>();
        java.util.BitSet used = new java.util.BitSet();
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                int hash = line.indexOf('#');
                if (hash >= 0) line = line.substring(0, hash);
                line = line.trim();
                if (line.isEmpty()) continue;
                String[] parts = line.split("\\s+");
                double label;
                try {
                    label = Double.parseDouble(parts[0]);
                } catch (NumberFormatException e) {
                    throw new ModelworkException("A libsvm row must start with a numeric label, found '" + parts[0]
                            + "'", p + ":" + lineNo, "fix that line (format: label index:value index:value ...)");
                }
                if (!Double.isFinite(label))
                    throw new ModelworkException("The libsvm label '" + parts[0] + "' is not a finite number", p + ":" + lineNo,
                            "fix the label on that line");
                int[] ii = new int[parts.length - 1];
                double[] vv = new double[parts.length - 1];
                int n = 0;
                Integer qid = null;
                boolean sorted = true;
                for (int k = 1; k < parts.length; k++) {
                    int c = parts[k].indexOf(':');
                    if (c <= 0) throw new ModelworkException("Bad libsvm entry '" + parts[k] + "'", p + ":" + lineNo,
                            "every entry after the label must be index:value");
                    String key = parts[k].substring(0, c);
                    long index;
                    try {
                        if (key.equals("qid")) { qid = Integer.parseInt(parts[k].substring(c + 1)); continue; }
                        index = Long.parseLong(key);
                        vv[n] = Double.parseDouble(parts[k].substring(c + 1));
                    } catch (NumberFormatException e) {
                        throw new ModelworkException("Bad libsvm entry '" + parts[k] + "'", p + ":" + lineNo,
                                "indexes must be integers and values numbers");
                    }
                    if (index < 1)
                        throw new ModelworkException("Bad libsvm index " + index + " in entry '" + parts[k] + "'",
                                p + ":" + lineNo, "libsvm feature indices start at 1 (positive integers)");
                    if (index > maxColumns)
                        throw new ModelworkException("The libsvm index " + index + " is above the column limit of "
                                + maxColumns, p + ":" + lineNo, "check that entry; if the data really is that wide, "
                                + "raise the limit with attach_dataset max_columns=" + index);
                    ii[n] = (int) index;
                    if (n > 0 && ii[n] <= ii[n - 1]) sorted = false;
                    n++;
                }
                ii = Arrays.copyOf(ii, n);
                vv = Arrays.copyOf(vv, n);
                if (!sorted) {
                    Integer[] order = new Integer[n];
                    for (int k = 0; k < n; k++) order[k] = k;
                    final int[] fi = ii;
                    Arrays.sort(order, Comparator.comparingInt(k -> fi[k]));
                    int[] si = new int[n];
                    double[] sv = new double[n];
                    for (int k = 0; k < n; k++) { si[k] = ii[order[k]]; sv[k] = vv[order[k]]; }
                    ii = si;
                    vv = sv;
                    for (int k = 1; k < n; k++)
                        if (ii[k] == ii[k - 1])
                            throw new ModelworkException("The libsvm index " + ii[k] + " appears twice in one row",
                                    p + ":" + lineNo, "give each index at most once per line");
                }
                for (int k = 0; k < n; k++) used.set(ii[k]);
                labels.add(new double[]{label});
                idx.add(ii);
                vals.add(vv);
                if (qid != null) qids.add(qid);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ModelworkException("The libsvm file is not valid UTF-8 text", p + " (near line " + (lineNo + 1) + ")",
                    "a libsvm file is plain text: check that this is the right file");
        } catch (IOException e) {
            throw new ModelworkException("Cannot read " + p + ": " + e.getMessage(), p.toString(), "check the file");
        }
        if (labels.isEmpty())
            throw new ModelworkException("The libsvm file has no rows", p.toString(), "point at a non-empty file");
        int rows = labels.size();
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) y[i] = labels.get(i)[0];
        List<Column<?>> cols = new ArrayList<>();
        cols.add(DoubleColumn.create("label", y));
        if (qids.size() == rows) cols.add(IntColumn.create("qid", qids.stream().mapToInt(Integer::intValue).toArray()));
        // one pass over the entries, column arrays indexed by feature
        int[] slot = new int[used.length()];
        List<double[]> data = new ArrayList<>();
        for (int f = used.nextSetBit(0); f >= 0; f = used.nextSetBit(f + 1)) { slot[f] = data.size(); data.add(new double[rows]); }
        for (int i = 0; i < rows; i++) {
            int[] ii = idx.get(i);
            double[] vv = vals.get(i);
            for (int k = 0; k < ii.length; k++) data.get(slot[ii[k]])[i] = vv[k];
        }
        int d = 0;
        for (int f = used.nextSetBit(0); f >= 0; f = used.nextSetBit(f + 1)) cols.add(DoubleColumn.create("f" + f, data.get(d++)));
        return Table.create(p.getFileName().toString(), cols.toArray(new Column<?>[0]));
    }

    static Table readArff(Path p, Map<String, FieldType> declaredTypes) {
        List<String> names = new ArrayList<>();
        Map<String, ColumnType> types = new LinkedHashMap<>();
        StringBuilder data = new StringBuilder();
        boolean inData = false;
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.trim();
                if (s.isEmpty() || s.startsWith("%")) continue;
                if (inData) {
                    if (s.startsWith("{"))
                        throw new ModelworkException("Sparse ARFF rows are not supported", p + ":" + lineNo,
                                "write the data densely, or convert it to libsvm");
                    data.append(s).append('\n');
                    continue;
                }
                String lower = s.toLowerCase(Locale.ROOT);
                if (lower.startsWith("@relation")) continue;
                if (lower.startsWith("@data")) { inData = true; continue; }
                if (lower.startsWith("@attribute")) {
                    String rest = s.substring(10).trim();
                    String name;
                    if (rest.startsWith("'") || rest.startsWith("\"")) {
                        char q = rest.charAt(0);
                        int end = rest.indexOf(q, 1);
                        name = rest.substring(1, end);
                        rest = rest.substring(end + 1).trim();
                    } else {
                        String[] nt = rest.split("\\s+", 2);
                        name = nt[0];
                        rest = nt.length > 1 ? nt[1].trim() : "";
                    }
                    String typ = rest.toLowerCase(Locale.ROOT);
                    ColumnType ct;
                    if (typ.startsWith("numeric") || typ.startsWith("real") || typ.startsWith("integer")) ct = ColumnType.DOUBLE;
                    else if (typ.startsWith("{") || typ.startsWith("string")) ct = ColumnType.STRING;
                    else if (typ.startsWith("date")) ct = ColumnType.STRING;
                    else throw new ModelworkException("Unknown ARFF attribute type '" + rest + "'", p + ":" + lineNo,
                                "use numeric, real, integer, string, date or a {nominal,list}");
                    FieldType d = declaredTypes.get(name);
                    if (d == FieldType.CATEGORICAL || d == FieldType.TEXT) ct = ColumnType.STRING;
                    names.add(name);
                    types.put(name, ct);
                    continue;
                }
                throw new ModelworkException("Unexpected line in the ARFF header: '" + s + "'", p + ":" + lineNo,
                        "the header holds @relation, @attribute and @data lines only");
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot read " + p + ": " + e.getMessage(), p.toString(), "check the file");
        }
        if (names.isEmpty() || data.length() == 0)
            throw new ModelworkException("The ARFF file has no attributes or no @data rows", p.toString(),
                    "check the file's header and @data section");
        String header = String.join(",", names.stream().map(n -> "'" + n.replace("'", "''") + "'").toList());
        try {
            CsvReadOptions opts = CsvReadOptions.builder(new StringReader(header + "\n" + data))
                    .header(true).sample(false).quoteChar('\'').missingValueIndicator(MISSING)
                    .columnTypes(types.values().toArray(new ColumnType[0])).tableName(p.getFileName().toString()).build();
            return Table.read().usingOptions(opts);
        } catch (RuntimeException e) {
            throw new ModelworkException("Cannot parse the ARFF @data section: " + rootMessage(e), p.toString(),
                    "every row must have " + names.size() + " comma-separated values matching the @attribute types", e);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
