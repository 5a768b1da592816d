package io.modelwork.optimization;

import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Parsers for the instance formats of the optimization family: TSPLIB 95 ({@code .tsp} and CVRP {@code .vrp}),
 * Solomon VRPTW text, JSPLIB job-shop text, and LP/MPS (through the OR-Tools model builder's importers).
 *
 * <p>LP files are read by OR-Tools' LP importer, which takes its own lp_solve-like syntax
 * ({@code max: 3 x + 2 y; c1: x + y <= 4; 0 <= x <= 1; int x;}), not CPLEX LP; MPS (fixed or free) is read as is.
 * export writes both CPLEX LP and MPS; the MPS re-imports.
 *
 * <p>TSPLIB distances follow Reinelt's "TSPLIB 95" report exactly: {@code nint(x) = (int)(x + 0.5)} for EUC_2D,
 * MAN_2D and MAX_2D, the pseudo-Euclidean rule for ATT, {@code ceil} for CEIL_2D, and for GEO the TSPLIB FAQ reading
 * (degrees truncated: {@code deg = (int) x}, {@code PI = 3.141592}, {@code RRR = 6378.388},
 * {@code d = (int)(RRR * acos(...) + 1.0)}), which gives the published optima (ulysses16 = 6859).
 */
public final class Readers {
    private Readers() {}

    public static final List<String> FORMATS = List.of("tsplib", "cvrp", "solomon", "jsplib", "lp", "mps", "cpsat");

    /** The format of a file from {@code format=} or its name and content; {@code null} when it is none of ours. */
    public static String detect(Path path, String format) {
        if (format != null && !format.isBlank()) {
            String f = format.toLowerCase(Locale.ROOT);
            if (f.equals("vrp")) return "cvrp";
            return FORMATS.contains(f) ? f : null;
        }
        if (path == null) return null;
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tsp")) return "tsplib";
        if (name.endsWith(".vrp")) return "cvrp";
        if (name.endsWith(".lp")) return "lp";
        if (name.endsWith(".mps")) return "mps";
        if (name.endsWith(".pb") || name.endsWith(".pbtxt")) return "cpsat";
        boolean solomonDir = path.toAbsolutePath().getParent() != null
                && path.toAbsolutePath().getParent().getFileName() != null
                && path.toAbsolutePath().getParent().getFileName().toString().toLowerCase(Locale.ROOT).contains("solomon");
        if (name.endsWith(".txt") && solomonDir) return "solomon";
        if (!Files.isRegularFile(path)) return null;
        String head = head(path, 4096);
        if (head == null) return null;
        if ((name.endsWith(".txt") || !name.contains(".")) && head.contains("VEHICLE") && head.contains("CUSTOMER")) return "solomon";
        if (!name.contains(".") && looksLikeJsplib(head)) return "jsplib";
        return null;
    }

    private static String head(Path p, int bytes) {
        try (var in = Files.newInputStream(p)) {
            return new String(in.readNBytes(bytes), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
    }

    static boolean looksLikeJsplib(String head) {
        List<String> data = new ArrayList<>();
        for (String l : head.split("\\R")) {
            String t = l.trim();
            if (t.isEmpty() || t.startsWith("#")) continue;
            data.add(t);
            if (data.size() >= 3) break;
        }
        if (data.size() < 2) return false;
        String[] first = data.get(0).split("\\s+");
        if (first.length != 2 || !first[0].matches("\\d+") || !first[1].matches("\\d+")) return false;
        String[] row = data.get(1).split("\\s+");
        if (row.length % 2 != 0) return false;
        for (String s : row) if (!s.matches("\\d+")) return false;
        return true;
    }

    public static Problem read(Path path, String format) {
        if (!Files.isRegularFile(path))
            throw new ModelworkException("No such file: " + path, "attach_dataset path", "check the path");
        try {
            return switch (format) {
                case "tsplib", "cvrp" -> readTsplib(path);
                case "solomon" -> readSolomon(path);
                case "jsplib" -> readJsplib(path);
                case "lp", "mps" -> readMip(path, format);
                case "cpsat" -> readCpSat(path);
                default -> throw new ModelworkException("Unknown optimization format '" + format + "'", "attach_dataset format",
                        "use one of " + FORMATS);
            };
        } catch (IOException e) {
            throw new ModelworkException("Cannot read " + path + ": " + e.getMessage(), path.toString(), "check the file");
        }
    }

    // ------------------------------------------------------------------ TSPLIB

    static Problem readTsplib(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        Map<String, String> h = new LinkedHashMap<>();
        double[] x = null, y = null, dx = null, dy = null;
        double[] demand = null;
        List<Double> weights = new ArrayList<>();
        List<Integer> depots = new ArrayList<>();
        int n = -1;
        String section = null;
        for (int li = 0; li < lines.size(); li++) {
            String line = lines.get(li).trim();
            if (line.isEmpty()) continue;
            if (line.equals("EOF")) break;
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.matches("[A-Z_]+_SECTION(\\s*:.*)?")) {
                section = upper.replaceAll("\\s*:.*$", "");
                if (n < 0) n = intHeader(h, "DIMENSION", path);
                if (section.equals("NODE_COORD_SECTION")) { x = new double[n]; y = new double[n]; }
                if (section.equals("DISPLAY_DATA_SECTION")) { dx = new double[n]; dy = new double[n]; }
                if (section.equals("DEMAND_SECTION")) demand = new double[n];
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().matches("[A-Za-z_ ]+")) {
                h.put(line.substring(0, colon).trim().toUpperCase(Locale.ROOT), line.substring(colon + 1).trim());
                section = null;
                continue;
            }
            if (section == null)
                throw new ModelworkException("Not a TSPLIB header line: '" + line + "'", path + ":" + (li + 1),
                        "TSPLIB headers are 'KEY : value' lines followed by *_SECTION blocks");
            String[] tok = line.split("\\s+");
            try {
                switch (section) {
                    case "NODE_COORD_SECTION" -> { int i = Integer.parseInt(tok[0]) - 1; checkNode(i, n, path, li); x[i] = Double.parseDouble(tok[1]); y[i] = Double.parseDouble(tok[2]); }
                    case "DISPLAY_DATA_SECTION" -> { int i = Integer.parseInt(tok[0]) - 1; checkNode(i, n, path, li); dx[i] = Double.parseDouble(tok[1]); dy[i] = Double.parseDouble(tok[2]); }
                    case "EDGE_WEIGHT_SECTION" -> { for (String t : tok) weights.add(Double.parseDouble(t)); }
                    case "DEMAND_SECTION" -> { int i = Integer.parseInt(tok[0]) - 1; checkNode(i, n, path, li); demand[i] = Double.parseDouble(tok[1]); }
                    case "DEPOT_SECTION" -> { for (String t : tok) { int d = Integer.parseInt(t); if (d >= 0) depots.add(d - 1); } }
                    default -> { /* FIXED_EDGES, TOUR_SECTION ...: ignored */ }
                }
            } catch (RuntimeException e) {
                throw new ModelworkException("Bad line in " + section + ": '" + line + "'", path + ":" + (li + 1),
                        "each line of a TSPLIB section is 'node value value' with node in 1.." + n);
            }
        }
        if (n < 0) n = intHeader(h, "DIMENSION", path);
        String type = h.getOrDefault("TYPE", "TSP").toUpperCase(Locale.ROOT).split("\\s+")[0];
        String ewt = h.getOrDefault("EDGE_WEIGHT_TYPE", "").toUpperCase(Locale.ROOT);
        long[][] dist;
        if (ewt.equals("EXPLICIT")) {
            dist = explicit(h.getOrDefault("EDGE_WEIGHT_FORMAT", "FULL_MATRIX").toUpperCase(Locale.ROOT).trim(), weights, n, path);
            if (x == null && dx != null) { x = dx; y = dy; }
        } else {
            if (x == null)
                throw new ModelworkException("EDGE_WEIGHT_TYPE " + ewt + " needs a NODE_COORD_SECTION", path.toString(),
                        "add the coordinates, or give EDGE_WEIGHT_TYPE: EXPLICIT with an EDGE_WEIGHT_SECTION");
            dist = new long[n][n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    dist[i][j] = i == j ? 0 : tsplibDistance(ewt, x[i], y[i], x[j], y[j], path);
        }
        String name = h.getOrDefault("NAME", path.getFileName().toString().replaceAll("\\.[^.]*$", ""));
        if (type.equals("CVRP")) {
            if (demand == null)
                throw new ModelworkException("A CVRP file needs a DEMAND_SECTION", path.toString(), "add node demands");
            double cap = Double.parseDouble(h.getOrDefault("CAPACITY", "NaN"));
            int depot = depots.isEmpty() ? 0 : depots.get(0);
            if (depot != 0)
                throw new ModelworkException("Only depot node 1 is supported in CVRP files (got " + (depot + 1) + ")", path.toString(),
                        "renumber the nodes so that the depot is node 1");
            int vehicles = h.containsKey("VEHICLES") ? Integer.parseInt(h.get("VEHICLES").trim()) : n - 1;
            double[] zero = new double[n], inf = new double[n];
            Arrays.fill(inf, Double.POSITIVE_INFINITY);
            boolean euclid = ewt.equals("EUC_2D") && x != null;
            return new Problem.Vrptw(name, "cvrp", x == null ? new double[n] : x, y == null ? new double[n] : y, demand, zero, inf, zero,
                    vehicles, cap, euclid ? null : dist);
        }
        if (!type.equals("TSP") && !type.equals("ATSP"))
            throw new ModelworkException("TSPLIB TYPE " + type + " is not supported", path.toString(), "use TYPE: TSP, ATSP or CVRP");
        return new Problem.Tsp(name, ewt, x, y, dist, h.getOrDefault("COMMENT", ""));
    }

    private static void checkNode(int i, int n, Path path, int li) {
        if (i < 0 || i >= n)
            throw new ModelworkException("Node " + (i + 1) + " is outside 1.." + n, path + ":" + (li + 1), "fix the node number or DIMENSION");
    }

    private static int intHeader(Map<String, String> h, String key, Path path) {
        String v = h.get(key);
        if (v == null) throw new ModelworkException("The TSPLIB header has no " + key, path.toString(), "add '" + key + " : <n>'");
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ModelworkException("Bad " + key + " '" + v + "'", path.toString(), "use an integer");
        }
    }

    /** nint as TSPLIB defines it: {@code (int)(x + 0.5)}. */
    static long nint(double v) { return (long) (v + 0.5); }

    static long tsplibDistance(String type, double xi, double yi, double xj, double yj, Path path) {
        double dx = xi - xj, dy = yi - yj;
        switch (type) {
            case "EUC_2D": return nint(Math.sqrt(dx * dx + dy * dy));
            case "CEIL_2D": return (long) Math.ceil(Math.sqrt(dx * dx + dy * dy));
            case "MAN_2D": return nint(Math.abs(dx) + Math.abs(dy));
            case "MAX_2D": return Math.max(nint(Math.abs(dx)), nint(Math.abs(dy)));
            case "ATT": {
                double r = Math.sqrt((dx * dx + dy * dy) / 10.0);
                long t = nint(r);
                return t < r ? t + 1 : t;
            }
            case "GEO": {
                double lati = geo(xi), longi = geo(yi), latj = geo(xj), longj = geo(yj);
                final double RRR = 6378.388;
                double q1 = Math.cos(longi - longj), q2 = Math.cos(lati - latj), q3 = Math.cos(lati + latj);
                return (long) (RRR * Math.acos(0.5 * ((1.0 + q1) * q2 - (1.0 - q1) * q3)) + 1.0);
            }
            default:
                throw new ModelworkException("EDGE_WEIGHT_TYPE '" + type + "' is not supported", path.toString(),
                        "supported: EUC_2D, CEIL_2D, MAN_2D, MAX_2D, ATT, GEO, EXPLICIT");
        }
    }

    private static double geo(double v) {
        final double PI = 3.141592;
        int deg = (int) v;
        double min = v - deg;
        return PI * (deg + 5.0 * min / 3.0) / 180.0;
    }

    static long[][] explicit(String fmt, List<Double> w, int n, Path path) {
        long[][] d = new long[n][n];
        int expected = switch (fmt) {
            case "FULL_MATRIX" -> n * n;
            case "UPPER_ROW", "LOWER_ROW", "UPPER_COL", "LOWER_COL" -> n * (n - 1) / 2;
            case "UPPER_DIAG_ROW", "LOWER_DIAG_ROW", "UPPER_DIAG_COL", "LOWER_DIAG_COL" -> n * (n + 1) / 2;
            default -> throw new ModelworkException("EDGE_WEIGHT_FORMAT '" + fmt + "' is not supported", path.toString(),
                    "use FULL_MATRIX, UPPER_ROW, LOWER_ROW, UPPER_DIAG_ROW, LOWER_DIAG_ROW, UPPER_COL, LOWER_COL, UPPER_DIAG_COL or LOWER_DIAG_COL");
        };
        if (w.size() != expected)
            throw new ModelworkException("EDGE_WEIGHT_SECTION has " + w.size() + " numbers; " + fmt + " with DIMENSION " + n
                    + " needs " + expected, path.toString(), "check DIMENSION and EDGE_WEIGHT_FORMAT");
        int k = 0;
        if (fmt.equals("FULL_MATRIX")) {
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) d[i][j] = Math.round(w.get(k++));
            return d;
        }
        // *_COL formats are the transposed *_ROW formats: UPPER_COL == LOWER_ROW order and vice versa
        String rowFmt = switch (fmt) {
            case "UPPER_COL" -> "LOWER_ROW";
            case "LOWER_COL" -> "UPPER_ROW";
            case "UPPER_DIAG_COL" -> "LOWER_DIAG_ROW";
            case "LOWER_DIAG_COL" -> "UPPER_DIAG_ROW";
            default -> fmt;
        };
        for (int i = 0; i < n; i++) {
            int from, to;
            switch (rowFmt) {
                case "UPPER_ROW" -> { from = i + 1; to = n - 1; }
                case "LOWER_ROW" -> { from = 0; to = i - 1; }
                case "UPPER_DIAG_ROW" -> { from = i; to = n - 1; }
                default -> { from = 0; to = i; } // LOWER_DIAG_ROW
            }
            for (int j = from; j <= to; j++) {
                long v = Math.round(w.get(k++));
                d[i][j] = v;
                d[j][i] = v;
            }
        }
        for (int i = 0; i < n; i++) d[i][i] = 0;
        return d;
    }

    // ------------------------------------------------------------------ Solomon

    static Problem readSolomon(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        String name = null;
        int vehicles = -1;
        double capacity = Double.NaN;
        List<double[]> rows = new ArrayList<>();
        String mode = "name";
        for (int li = 0; li < lines.size(); li++) {
            String t = lines.get(li).trim();
            if (t.isEmpty()) continue;
            String u = t.toUpperCase(Locale.ROOT);
            if (name == null && !u.startsWith("VEHICLE")) { name = t; continue; }
            if (u.startsWith("VEHICLE")) { mode = "vehicle"; continue; }
            if (u.startsWith("CUSTOMER")) { mode = "customer"; continue; }
            if (u.startsWith("NUMBER") || u.startsWith("CUST")) continue;
            String[] tok = t.split("\\s+");
            try {
                if (mode.equals("vehicle")) {
                    vehicles = Integer.parseInt(tok[0]);
                    capacity = Double.parseDouble(tok[1]);
                } else if (mode.equals("customer")) {
                    if (tok.length < 7) throw new NumberFormatException("7 numbers expected");
                    double[] r = new double[7];
                    for (int k = 0; k < 7; k++) r[k] = Double.parseDouble(tok[k]);
                    rows.add(r);
                }
            } catch (RuntimeException e) {
                throw new ModelworkException("Bad line in the Solomon " + mode + " section: '" + t + "'", path + ":" + (li + 1),
                        "a customer line is: CUST_NO X Y DEMAND READY_TIME DUE_DATE SERVICE_TIME");
            }
        }
        if (vehicles < 0 || rows.isEmpty())
            throw new ModelworkException("Not a Solomon VRPTW file (no VEHICLE or CUSTOMER section)", path.toString(),
                    "give a Solomon instance, or format=tsplib|cvrp|jsplib|lp|mps");
        int n = rows.size();
        double[] x = new double[n], y = new double[n], q = new double[n], a = new double[n], b = new double[n], s = new double[n];
        for (int i = 0; i < n; i++) {
            double[] r = rows.get(i);
            if ((int) r[0] != i)
                throw new ModelworkException("Customer numbers must run 0 (the depot), 1, 2, …; found " + (int) r[0] + " at position " + i,
                        path.toString(), "renumber the customers");
            x[i] = r[1]; y[i] = r[2]; q[i] = r[3]; a[i] = r[4]; b[i] = r[5]; s[i] = r[6];
        }
        return new Problem.Vrptw(name == null ? path.getFileName().toString() : name, "solomon", x, y, q, a, b, s, vehicles, capacity, null);
    }

    // ------------------------------------------------------------------ JSPLIB

    static Problem readJsplib(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        String name = path.getFileName().toString();
        int jobs = -1, machines = -1;
        List<int[]> ops = new ArrayList<>();
        for (int li = 0; li < lines.size(); li++) {
            String t = lines.get(li).trim();
            if (t.isEmpty()) continue;
            if (t.startsWith("#")) {
                String c = t.substring(1).trim();
                if (c.startsWith("instance ")) name = c.substring(9).trim();
                continue;
            }
            String[] tok = t.split("\\s+");
            try {
                if (jobs < 0) {
                    jobs = Integer.parseInt(tok[0]);
                    machines = Integer.parseInt(tok[1]);
                    continue;
                }
                int[] r = new int[tok.length];
                for (int k = 0; k < tok.length; k++) r[k] = Integer.parseInt(tok[k]);
                if (r.length % 2 != 0)
                    throw new ModelworkException("Job " + ops.size() + " has an odd number of values (" + r.length + ")", path + ":" + (li + 1),
                            "each job line is pairs 'machine duration'");
                ops.add(r);
            } catch (NumberFormatException e) {
                throw new ModelworkException("Bad JSPLIB line '" + t + "'", path + ":" + (li + 1),
                        "the first line is 'jobs machines', then one line per job of 'machine duration' pairs");
            }
        }
        if (jobs < 0) throw new ModelworkException("Empty JSPLIB file", path.toString(), "give 'jobs machines' then the job lines");
        if (ops.size() != jobs)
            throw new ModelworkException("The header says " + jobs + " jobs but the file has " + ops.size() + " job lines", path.toString(),
                    "fix the first line or add the missing jobs");
        int[][] m = new int[jobs][], d = new int[jobs][];
        for (int j = 0; j < jobs; j++) {
            int[] r = ops.get(j);
            m[j] = new int[r.length / 2];
            d[j] = new int[r.length / 2];
            for (int k = 0; k < r.length / 2; k++) { m[j][k] = r[2 * k]; d[j][k] = r[2 * k + 1]; }
        }
        return new Problem.JobShop(name, jobs, machines, m, d);
    }

    // ------------------------------------------------------------------ LP / MPS

    /** The file's text (OR-Tools 9.14's importFromLpFile fails on files its importFromLpString accepts). */
    /**
     * A CP-SAT {@code CpModelProto}: protobuf text format for {@code .pbtxt}, else binary (the other one is tried
     * when the first fails, so a misnamed file still reads).
     */
    static Problem readCpSat(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        boolean text = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pbtxt");
        com.google.ortools.sat.CpModelProto proto = null;
        String err = null;
        for (int attempt = 0; attempt < 2 && proto == null; attempt++, text = !text) {
            try {
                if (text) {
                    var b = com.google.ortools.sat.CpModelProto.newBuilder();
                    com.google.protobuf.TextFormat.merge(new String(bytes, StandardCharsets.UTF_8), b);
                    proto = b.build();
                } else proto = com.google.ortools.sat.CpModelProto.parseFrom(bytes);
            } catch (Exception e) {
                if (err == null) err = e.getMessage();
            }
        }
        if (proto == null)
            throw new ModelworkException("Not a CP-SAT model (CpModelProto, binary or text): " + err, path.toString(),
                    "attach the model.cpsat.pb / model.cpsat.pbtxt of an export bundle, or write one with CpModel.exportToFile");
        String name = proto.getName().isBlank() ? path.getFileName().toString().replaceAll("\\.(cpsat\\.)?pb(txt)?$", "") : proto.getName();
        return new Problem.CpSat(name, path, proto);
    }

    static String text(Path path) {
        try {
            return Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ModelworkException("Cannot read " + path + ": " + e.getMessage(), path.toString(), "check the file");
        }
    }

    static Problem readMip(Path path, String format) {
        OrTools.load();
        var mb = new com.google.ortools.modelbuilder.ModelBuilder();
        boolean ok = format.equals("lp") ? mb.importFromLpString(text(path)) : mb.importFromMpsString(text(path));
        if (!ok)
            throw new ModelworkException("OR-Tools could not parse this " + format.toUpperCase(Locale.ROOT) + " file", path.toString(),
                    format.equals("lp") ? "OR-Tools 9.14 reads LP in its own lp_solve-like syntax ('max: 3 x + 2 y; c1: x + y <= 4; 0 <= x <= 1; int x;'),"
                            + " not CPLEX LP: convert a CPLEX LP file to MPS (e.g. glpsol --lp in.lp --wfreemps out.mps) and attach that"
                            : "check the MPS syntax (fixed or free MPS), or the format= argument");
        int ints = 0;
        for (int i = 0; i < mb.numVariables(); i++) if (mb.varFromIndex(i).getIntegrality()) ints++;
        String name = path.getFileName().toString().replaceAll("\\.[^.]*$", "");
        return new Problem.Mip(name, format, path, mb.numVariables(), mb.numConstraints(), ints);
    }
}
