package io.modelwork.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * One loaded ONNX model: the only place Modelwork creates ONNX Runtime sessions.
 *
 * <ul>
 *   <li>One {@link OrtEnvironment} per process ({@link #environment()}).</li>
 *   <li>The file's SHA-256 is computed before the session is created; a pinned hash that differs is an error naming
 *       the file and both hashes. {@link #sha256()} is recorded in reports and bundles for provenance.</li>
 *   <li>{@link #expectInput} / {@link #expectOutputs} check names and shapes (-1 = any size) and fail with a
 *       {@link ModelworkException} that lists what the model does have.</li>
 *   <li>{@code device=cuda}/{@code auto} adds the CUDA execution provider when ONNX Runtime's GPU build and a GPU are
 *       present; otherwise the model runs on CPU and {@link #deviceNote()} says why.</li>
 *   <li>{@link #runBatched} splits a large first dimension into batches and concatenates the outputs.</li>
 * </ul>
 */
public final class OnnxModel implements AutoCloseable {

    /** A dense float tensor (row-major) with its shape. */
    public record Tensor(float[] data, long[] shape) {
        public Tensor {
            long n = 1;
            for (long s : shape) n *= s;
            if (n != data.length) throw new IllegalArgumentException("tensor of " + data.length + " values does not fit shape " + Arrays.toString(shape));
        }
        /** Number of values per item of the first dimension. */
        public int itemSize() { return shape.length == 0 ? 1 : (int) (data.length / Math.max(1, shape[0])); }
    }

    /** A dense int64 tensor (row-major) with its shape: token ids, sample rates. */
    public record LongTensor(long[] data, long[] shape) {
        public LongTensor {
            long n = 1;
            for (long s : shape) n *= s;
            if (n != data.length) throw new IllegalArgumentException("tensor of " + data.length + " values does not fit shape " + Arrays.toString(shape));
        }
    }

    /** A boolean tensor of shape [1] (a branch flag such as optimum's {@code use_cache_branch}). */
    public record Flag(boolean value) {}

    private static volatile OrtEnvironment env;

    private final Path file;
    private final String sha256;
    private final OrtSession session;
    private final String device;
    private final String deviceNote;
    private final Map<String, long[]> inputs = new LinkedHashMap<>();
    private final Map<String, long[]> outputs = new LinkedHashMap<>();

    private OnnxModel(Path file, String sha256, OrtSession session, String device, String deviceNote) throws OrtException {
        this.file = file;
        this.sha256 = sha256;
        this.session = session;
        this.device = device;
        this.deviceNote = deviceNote;
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) inputs.put(e.getKey(), shapeOf(e.getValue()));
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) outputs.put(e.getKey(), shapeOf(e.getValue()));
    }

    /** The process-wide ONNX Runtime environment. */
    public static OrtEnvironment environment() {
        OrtEnvironment e = env;
        if (e == null) {
            synchronized (OnnxModel.class) {
                if (env == null) env = OrtEnvironment.getEnvironment();
                e = env;
            }
        }
        return e;
    }

    /** Loads a model on CPU with {@code threads} intra-op threads, without a pinned hash. */
    public static OnnxModel load(Path file, int threads) { return load(file, null, "cpu", threads); }

    /**
     * Loads {@code file}. {@code expectedSha256} (may be null) is compared to the file's hash before loading;
     * {@code device} is cpu, cuda or auto; {@code threads} ≥ 1 intra-op threads.
     */
    public static OnnxModel load(Path file, String expectedSha256, String device, int threads) {
        if (!Files.isRegularFile(file))
            throw new ModelworkException("The ONNX model file does not exist", String.valueOf(file),
                    "check the path (model assets are resolved under $MODELWORK_ASSETS/models, default ../shared/models)");
        String sha;
        try {
            sha = AtomicFiles.sha256(file);
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the ONNX model file: " + e.getMessage(), file.toString(), "check its permissions");
        }
        if (expectedSha256 != null && !expectedSha256.isBlank() && !sha.startsWith(expectedSha256.toLowerCase(Locale.ROOT)))
            throw new ModelworkException("The ONNX model file's SHA-256 is " + sha + ", expected " + expectedSha256,
                    file.toString(), "the file is damaged or a different version: delete it (a cached package file is fetched again on next use) or give the right file");
        String dev = device == null ? "cpu" : device.toLowerCase(Locale.ROOT);
        String used = "cpu", note = "";
        try {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            so.setIntraOpNumThreads(Math.max(1, threads));
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (!dev.equals("cpu")) {
                EnumSet<OrtProvider> avail = OrtEnvironment.getAvailableProviders();
                if (!avail.contains(OrtProvider.CUDA)) {
                    note = "device=" + dev + ": this ONNX Runtime build has no CUDA execution provider (providers: " + avail
                            + "); use the onnxruntime_gpu artifact for GPU runs — running on CPU";
                } else {
                    try {
                        so.addCUDA(0);
                        used = "cuda";
                    } catch (OrtException e) {
                        note = "device=" + dev + ": the CUDA execution provider could not start (" + e.getMessage() + ") — running on CPU";
                    }
                }
            }
            OrtSession s = environment().createSession(file.toString(), so);
            return new OnnxModel(file, sha, s, used, note);
        } catch (OrtException e) {
            throw new ModelworkException("ONNX Runtime cannot load the model: " + e.getMessage(), file.toString(),
                    "check that the file is a valid ONNX model (opset ≤ 21) and not truncated");
        }
    }

    public Path file() { return file; }

    /** Lower-case hex SHA-256 of the model file, checked before load. */
    public String sha256() { return sha256; }

    /** Where it runs: cpu or cuda. */
    public String device() { return device; }

    /** Why it runs on CPU although another device was asked for; empty otherwise. */
    public String deviceNote() { return deviceNote; }

    /** Input name → shape (-1 for dynamic dimensions), in the model's order. */
    public Map<String, long[]> inputs() { return Collections.unmodifiableMap(inputs); }

    /** Output name → shape (-1 for dynamic dimensions), in the model's order. */
    public Map<String, long[]> outputs() { return Collections.unmodifiableMap(outputs); }

    /** The model's custom metadata properties (e.g. a recogniser's {@code character} list); empty when it has none. */
    public Map<String, String> metadata() {
        try {
            return Collections.unmodifiableMap(session.getMetadata().getCustomMetadata());
        } catch (OrtException e) {
            throw new ModelworkException("ONNX Runtime cannot read the model's metadata: " + e.getMessage(), file.toString(),
                    "check that the file is a complete ONNX model");
        }
    }

    /** Checks that an input {@code name} exists with a compatible shape ({@code -1} in either = any); returns this. */
    public OnnxModel expectInput(String name, long... shape) { return expect("input", inputs, name, shape); }

    /** Checks that an output {@code name} exists with a compatible shape ({@code -1} in either = any); returns this. */
    public OnnxModel expectOutput(String name, long... shape) { return expect("output", outputs, name, shape); }

    /** Checks that every output name exists. */
    public OnnxModel expectOutputs(String... names) {
        for (String n : names) expect("output", outputs, n, null);
        return this;
    }

    private OnnxModel expect(String kind, Map<String, long[]> have, String name, long[] shape) {
        long[] actual = have.get(name);
        if (actual == null)
            throw new ModelworkException("The ONNX model has no " + kind + " named '" + name + "'", file.toString(),
                    "its " + kind + "s are " + describe(have) + "; use a model with that " + kind
                            + " or name the right one (e.g. layers=" + String.join(",", have.keySet()) + ")");
        if (shape != null && !compatible(actual, shape))
            throw new ModelworkException("The ONNX model's " + kind + " '" + name + "' has shape " + Arrays.toString(actual)
                    + ", expected " + Arrays.toString(shape) + " (-1 = any)", file.toString(),
                    "use a model whose " + kind + " has that shape, or change the resolution to match it");
        return this;
    }

    /** True when two shapes agree, -1 (or a symbolic dimension) matching anything. */
    public static boolean compatible(long[] a, long[] b) {
        if (a.length != b.length) return false;
        for (int i = 0; i < a.length; i++) if (a[i] >= 0 && b[i] >= 0 && a[i] != b[i]) return false;
        return true;
    }

    private static String describe(Map<String, long[]> m) {
        StringBuilder sb = new StringBuilder("[");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(' ').append(Arrays.toString(v)));
        return sb.append(']').toString();
    }

    /** Runs one input tensor and returns the named outputs (all when none are named) as float tensors. */
    public Map<String, Tensor> run(String input, Tensor x, String... outputNames) {
        return run(Map.of(input, x), outputNames);
    }

    /** Runs several float inputs and returns the named outputs (all when none are named) as float tensors. */
    public Map<String, Tensor> run(Map<String, Tensor> in, String... outputNames) {
        return runFeeds(new LinkedHashMap<>(in), outputNames);
    }

    /**
     * Runs inputs of mixed types — {@link Tensor} (float32), {@link LongTensor} (int64) or {@link Flag} (bool [1]) —
     * and returns the named float outputs (all when none are named).
     */
    public Map<String, Tensor> runFeeds(Map<String, Object> in, String... outputNames) {
        OrtEnvironment e = environment();
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Object> t : in.entrySet()) {
                Object x = t.getValue();
                OnnxTensor v;
                if (x instanceof Tensor f) v = OnnxTensor.createTensor(e, FloatBuffer.wrap(f.data()), f.shape());
                else if (x instanceof LongTensor l) v = OnnxTensor.createTensor(e, LongBuffer.wrap(l.data()), l.shape());
                else if (x instanceof Flag b) v = OnnxTensor.createTensor(e, new boolean[]{b.value()});
                else throw new IllegalArgumentException("unsupported feed type for " + t.getKey() + ": " + x);
                feeds.put(t.getKey(), v);
            }
            Set<String> want = outputNames.length == 0 ? outputs.keySet() : new LinkedHashSet<>(Arrays.asList(outputNames));
            try (OrtSession.Result r = session.run(feeds, want)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String n : want) {
                    OnnxTensor t = (OnnxTensor) r.get(n).orElseThrow();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    out.put(n, new Tensor(data, t.getInfo().getShape()));
                }
                return out;
            }
        } catch (OrtException ex) {
            throw new ModelworkException("ONNX Runtime failed to run the model: " + ex.getMessage(), file.toString(),
                    "check the input shapes against " + describe(inputs));
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * Runs {@code x} (first dimension = items) in batches of at most {@code batch} items and concatenates each output
     * along the first dimension.
     */
    public Map<String, Tensor> runBatched(String input, Tensor x, int batch, String... outputNames) {
        long n = x.shape()[0];
        int per = x.itemSize();
        Map<String, float[]> acc = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (long start = 0; start < n; start += batch) {
            int m = (int) Math.min(batch, n - start);
            long[] shape = x.shape().clone();
            shape[0] = m;
            float[] part = Arrays.copyOfRange(x.data(), (int) (start * per), (int) ((start + m) * per));
            Map<String, Tensor> out = run(input, new Tensor(part, shape), outputNames);
            for (Map.Entry<String, Tensor> o : out.entrySet()) {
                int op = o.getValue().itemSize();
                float[] all = acc.computeIfAbsent(o.getKey(), k -> new float[(int) (n * op)]);
                System.arraycopy(o.getValue().data(), 0, all, (int) (start * op), o.getValue().data().length);
                long[] s = o.getValue().shape().clone();
                s[0] = n;
                shapes.put(o.getKey(), s);
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        acc.forEach((k, v) -> out.put(k, new Tensor(v, shapes.get(k))));
        return out;
    }

    private static long[] shapeOf(NodeInfo info) {
        return info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
    }

    @Override public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing a session that failed is not the caller's problem
        }
    }
}
