package io.modelwork.asr.whisper;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * A Whisper-shaped model small enough to write in a test, in the file layout and with the tensor names of a Hugging
 * Face optimum export: {@code encoder_model.onnx} ({@code input_features [1,80,3000]} → {@code last_hidden_state
 * [1,1500,8]}, time halved like Whisper's strided convolution), {@code decoder_model.onnx},
 * {@code decoder_with_past_model.onnx} and {@code decoder_model_merged.onnx} (an {@code If} on {@code use_cache_branch}),
 * one layer with one head of size 8, and a byte-level BPE {@code tokenizer.json} with Whisper's special tokens.
 *
 * <p>The decoder's next-token logits are a bigram table (the "script" below) plus two small terms that test the cache
 * plumbing: the mean of the encoder states (through the cross-attention cache in the cached graphs; it decides
 * {@code <|en|>} against {@code <|de|>}), and the sum of the previous tokens' embeddings (exclusive CumSum without cache,
 * the sum of the self-attention cache with it). The three decoder shapes compute the same logits.
 */
public final class TinyWhisper {
    static final int D = 8;
    static final String[] WORDS = {"He", "Hel", "Hell", "Hello", "Ġw", "Ġwo", "Ġwor", "Ġworl", "Ġworld", "Ġt", "Ġth", "Ġthe", "Ġther", "Ġthere"};
    static final int HELLO = 259, WORLD = 264, THERE = 269;
    static final int EOT = 270, SOT = 271, EN = 272, DE = 273, TRANSLATE = 274, TRANSCRIBE = 275, SOT_LM = 276, SOT_PREV = 277,
            NO_SPEECH = 278, NO_TS = 279, TS0 = 280, N_TS = 251, V = TS0 + N_TS;

    static int ts(double seconds) { return TS0 + (int) Math.round(seconds / 0.02); }

    /**
     * Writes the model to {@code dir}. {@code c} is subtracted from the mean log-mel before it reaches the decoder
     * (positive → English); {@code silent} makes the start token predict {@code <|nospeech|>}.
     */
    public static Path write(Path dir, float c, boolean silent) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(7);
        float[] p = new float[80 * D], b = new float[D];
        for (int m = 0; m < 80; m++) p[m * D] = 1f / 80; // dim 0: the mean over mel bins
        b[0] = -c;
        float[] e = new float[V * D], q = new float[D * V], u = new float[D * V], w = new float[V * V];
        for (int i = 0; i < e.length; i++) e[i] = rnd.nextFloat() * 2 - 1;
        for (int i = 0; i < q.length; i++) q[i] = (rnd.nextFloat() * 2 - 1) * 0.005f;
        u[EN] = 1;   // row 0 (the mel-mean dimension): + for English
        u[DE] = -1;
        // the script: after <|startoftranscript|> a language, after the task a timestamp (the rules pick <|0.40|>:
        // text and <|3.00|> are not allowed first), then "Hello", then " world" (greedy) or " there" (better overall)
        set(w, SOT, EN, 10); set(w, SOT, DE, 10); set(w, SOT, NO_SPEECH, silent ? 14 : 0);
        set(w, EN, TRANSCRIBE, 10); set(w, DE, TRANSCRIBE, 10);
        set(w, TRANSCRIBE, HELLO, 10); set(w, TRANSCRIBE, ts(3.0), 8); set(w, TRANSCRIBE, ts(0.4), 6);
        set(w, TRANSLATE, HELLO, 10); set(w, TRANSLATE, ts(0.4), 6);
        set(w, NO_TS, HELLO, 10);
        for (int t = ts(1.02); t < V; t++) set(w, t, EOT, 10); // a closing timestamp ends the text (early ones do not)
        set(w, ts(0.4), EOT, 0); set(w, ts(0.4), HELLO, 10);
        set(w, HELLO, WORLD, 10); set(w, HELLO, THERE, 9);
        for (int t = ts(1.02); t < V; t++) set(w, WORLD, t, 3); // unsure when it ends: the timestamps' mass wins, each one weak
        set(w, WORLD, EOT, 3);
        set(w, THERE, ts(1.5), 15); set(w, THERE, EOT, 12);
        writeModel(dir.resolve("encoder_model.onnx"), encoder(p, b));
        writeModel(dir.resolve("decoder_model.onnx"), decoder(false, e, q, u, w));
        writeModel(dir.resolve("decoder_with_past_model.onnx"), decoder(true, e, q, u, w));
        writeModel(dir.resolve("decoder_model_merged.onnx"), merged(e, q, u, w));
        writeTokenizer(dir.resolve("tokenizer.json"));
        ObjectNode cfg = Json.object().put("num_mel_bins", 80).put("decoder_attention_heads", 1).put("d_model", D)
                .put("max_target_positions", 448); // no vocab_size: multilingual because it has language tokens
        Files.writeString(dir.resolve("config.json"), cfg.toString());
        return dir;
    }

    /** The mean of the first 30 s of {@code samples}' padded log-mel: what the model's language choice compares with c. */
    public static float meanLogMel(float[] samples) {
        float[][] mel = LogMel.compute(samples, 80, LogMel.CHUNK_SAMPLES);
        double s = 0;
        for (float[] row : mel) for (int t = 0; t < WhisperEngine.N_FRAMES; t++) s += row[t];
        return (float) (s / (80.0 * WhisperEngine.N_FRAMES));
    }

    /** A model that hears English in {@code samples} (its mean log-mel 0.5 above c). */
    public static Path english(Path dir, float[] samples) throws IOException { return write(dir, meanLogMel(samples) - 0.5f, false); }

    private static void set(float[] w, int from, int to, float v) { w[from * V + to] = v; }

    // ---- graphs ----

    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> inits = new ArrayList<>();
    private final String prefix;
    private int n;

    private TinyWhisper(String prefix) { this.prefix = prefix; }

    private String node(String op, String[] in, AttributeProto... attrs) {
        String out = prefix + op + "_" + (n++);
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(Arrays.asList(in)).addOutput(out);
        for (AttributeProto a : attrs) b.addAttribute(a);
        nodes.add(b.build());
        return out;
    }

    private String named(String name, String op, String[] in, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(Arrays.asList(in)).addOutput(name);
        for (AttributeProto a : attrs) b.addAttribute(a);
        nodes.add(b.build());
        return name;
    }

    private String floats(String name, long[] shape, float[] v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) bb.putFloat(x);
        inits.add(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber()).addAllDims(longs(shape))
                .setRawData(com.google.protobuf.ByteString.copyFrom(bb.array())).build());
        return name;
    }

    /** A 1-D int64 initializer, or a scalar when it holds one value. */
    private String int64(String name, long... v) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber()).addAllInt64Data(longs(v));
        if (v.length > 1) t.addDims(v.length);
        inits.add(t.build());
        return name;
    }

    private static List<Long> longs(long[] a) {
        List<Long> l = new ArrayList<>();
        for (long x : a) l.add(x);
        return l;
    }

    private static AttributeProto ints(String name, long... v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS).addAllInts(longs(v)).build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static ValueInfoProto value(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String str) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(str));
            else s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(elemType);
        if (dims.length > 0) t.setShape(s);
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    private static final int FLOAT = TensorProto.DataType.FLOAT.getNumber(), INT64 = TensorProto.DataType.INT64.getNumber(),
            BOOL = TensorProto.DataType.BOOL.getNumber();

    private static GraphProto encoder(float[] p, float[] b) {
        TinyWhisper g = new TinyWhisper("enc_");
        String x = g.node("Transpose", new String[]{"input_features"}, ints("perm", 0, 2, 1));
        String h = g.node("Add", new String[]{g.node("MatMul", new String[]{x, g.floats("P", new long[]{80, D}, p)}), g.floats("B", new long[]{D}, b)});
        String r = g.node("Reshape", new String[]{h, g.int64("halve", 1, 1500, 2, D)});
        g.named("last_hidden_state", "ReduceMean", new String[]{r}, ints("axes", 2), intAttr("keepdims", 0));
        return GraphProto.newBuilder().setName("encoder").addAllNode(g.nodes).addAllInitializer(g.inits)
                .addInput(value("input_features", FLOAT, "batch_size", 80, 3000))
                .addOutput(value("last_hidden_state", FLOAT, "batch_size", 1500, D)).build();
    }

    /** The decoder body; {@code past}: the with-past form. Outputs are named {@code outPrefix + name}. */
    private void decoderBody(boolean past, String outPrefix, String e, String q, String u, String w) {
        String emb = node("Gather", new String[]{e, "input_ids"}, intAttr("axis", 0));
        String big = node("Gather", new String[]{w, "input_ids"}, intAttr("axis", 0));
        String encMean, hist, encKey;
        if (past) {
            encKey = "past_key_values.0.encoder.key";
            encMean = node("ReduceMean", new String[]{encKey}, ints("axes", 2), intAttr("keepdims", 0));
            hist = node("ReduceSum", new String[]{"past_key_values.0.decoder.key"}, ints("axes", 2), intAttr("keepdims", 0));
        } else {
            encKey = node("Unsqueeze", new String[]{"encoder_hidden_states"}, ints("axes", 1));
            encMean = node("ReduceMean", new String[]{"encoder_hidden_states"}, ints("axes", 1), intAttr("keepdims", 1));
            hist = node("CumSum", new String[]{emb, int64(prefix + "axis1", 1)}, intAttr("exclusive", 1));
        }
        String logits = node("Add", new String[]{node("Add", new String[]{big, node("MatMul", new String[]{encMean, u})}),
                node("MatMul", new String[]{hist, q})});
        named(outPrefix + "logits", "Identity", new String[]{logits});
        String newKey = node("Unsqueeze", new String[]{emb}, ints("axes", 1));
        String key = past ? node("Concat", new String[]{"past_key_values.0.decoder.key", newKey}, intAttr("axis", 2)) : newKey;
        String val = past ? node("Concat", new String[]{"past_key_values.0.decoder.value", newKey}, intAttr("axis", 2)) : newKey;
        named(outPrefix + "present.0.decoder.key", "Identity", new String[]{key});
        named(outPrefix + "present.0.decoder.value", "Identity", new String[]{val});
        if (!outPrefix.isEmpty() || !past) { // the merged graph's branches both give the encoder cache
            named(outPrefix + "present.0.encoder.key", "Identity", new String[]{encKey});
            named(outPrefix + "present.0.encoder.value", "Identity", new String[]{past ? "past_key_values.0.encoder.value" : encKey});
        }
    }

    private static final String[] PRESENTS = {"present.0.decoder.key", "present.0.decoder.value", "present.0.encoder.key", "present.0.encoder.value"};
    private static final String[] PASTS = {"past_key_values.0.decoder.key", "past_key_values.0.decoder.value",
            "past_key_values.0.encoder.key", "past_key_values.0.encoder.value"};

    private static GraphProto decoder(boolean past, float[] e, float[] q, float[] u, float[] w) {
        TinyWhisper g = new TinyWhisper("dec_");
        String en = g.floats("E", new long[]{V, D}, e), qn = g.floats("Q", new long[]{D, V}, q), un = g.floats("U", new long[]{D, V}, u),
                wn = g.floats("W", new long[]{V, V}, w);
        g.decoderBody(past, "", en, qn, un, wn);
        GraphProto.Builder b = GraphProto.newBuilder().setName(past ? "decoder_with_past" : "decoder").addAllNode(g.nodes).addAllInitializer(g.inits)
                .addInput(value("input_ids", INT64, "batch_size", "decoder_sequence_length"));
        if (past) for (String pn : PASTS) b.addInput(value(pn, FLOAT, "batch_size", 1, pn.contains("encoder") ? "encoder_sequence_length_out" : "past_decoder_sequence_length", D));
        else b.addInput(value("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", D));
        b.addOutput(value("logits", FLOAT, "batch_size", "decoder_sequence_length", V));
        for (int i = 0; i < (past ? 2 : 4); i++) b.addOutput(value(PRESENTS[i], FLOAT, "batch_size", 1, "seq", D));
        return b.build();
    }

    private static GraphProto merged(float[] e, float[] q, float[] u, float[] w) {
        TinyWhisper outer = new TinyWhisper("m_");
        String en = outer.floats("E", new long[]{V, D}, e), qn = outer.floats("Q", new long[]{D, V}, q), un = outer.floats("U", new long[]{D, V}, u),
                wn = outer.floats("W", new long[]{V, V}, w);
        TinyWhisper withPast = new TinyWhisper("then_"), noPast = new TinyWhisper("else_");
        withPast.decoderBody(true, "then_", en, qn, un, wn);
        noPast.decoderBody(false, "else_", en, qn, un, wn);
        GraphProto thenG = branch("with_past", withPast, "then_"), elseG = branch("no_past", noPast, "else_");
        NodeProto iff = NodeProto.newBuilder().setOpType("If").setName("optimum::if").addInput("use_cache_branch")
                .addOutput("logits").addAllOutput(Arrays.asList(PRESENTS))
                .addAttribute(AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH).setG(thenG))
                .addAttribute(AttributeProto.newBuilder().setName("else_branch").setType(AttributeProto.AttributeType.GRAPH).setG(elseG)).build();
        GraphProto.Builder b = GraphProto.newBuilder().setName("decoder_merged").addNode(iff).addAllInitializer(outer.inits)
                .addInput(value("input_ids", INT64, "batch_size", "decoder_sequence_length"))
                .addInput(value("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", D));
        for (String pn : PASTS) b.addInput(value(pn, FLOAT, "batch_size", 1, "past_sequence_length", D));
        b.addInput(value("use_cache_branch", BOOL, 1));
        b.addOutput(value("logits", FLOAT, "batch_size", "decoder_sequence_length", V));
        for (String pn : PRESENTS) b.addOutput(value(pn, FLOAT, "batch_size", 1, "seq", D));
        return b.build();
    }

    private static GraphProto branch(String name, TinyWhisper g, String outPrefix) {
        GraphProto.Builder b = GraphProto.newBuilder().setName(name).addAllNode(g.nodes).addAllInitializer(g.inits)
                .addOutput(value(outPrefix + "logits", FLOAT));
        for (String pn : PRESENTS) b.addOutput(value(outPrefix + pn, FLOAT));
        return b.build();
    }

    private static void writeModel(Path file, GraphProto g) throws IOException {
        ModelProto m = ModelProto.newBuilder().setIrVersion(7).setProducerName("modelwork-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(12)).setGraph(g).build();
        Files.write(file, m.toByteArray());
    }

    // ---- tokenizer ----

    /** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others for 256 + n. */
    static String[] byteChars() {
        String[] out = new String[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = new String(Character.toChars(printable ? b : 256 + extra++));
        }
        return out;
    }

    static void writeTokenizer(Path file) throws IOException {
        ObjectNode root = Json.object();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        Map<Integer, String> specials = new LinkedHashMap<>();
        specials.put(EOT, "<|endoftext|>"); specials.put(SOT, "<|startoftranscript|>"); specials.put(EN, "<|en|>");
        specials.put(DE, "<|de|>"); specials.put(TRANSLATE, "<|translate|>"); specials.put(TRANSCRIBE, "<|transcribe|>");
        specials.put(SOT_LM, "<|startoflm|>"); specials.put(SOT_PREV, "<|startofprev|>"); specials.put(NO_SPEECH, "<|nospeech|>");
        specials.put(NO_TS, "<|notimestamps|>");
        for (int i = 0; i < N_TS; i++) specials.put(TS0 + i, String.format(Locale.ROOT, "<|%.2f|>", i * 0.02));
        specials.forEach((id, s) -> added.addObject().put("id", id).put("content", s).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true));
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token").put("continuing_subword_prefix", "").put("end_of_word_suffix", "")
                .put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        String[] bc = byteChars();
        for (int i = 0; i < 256; i++) vocab.put(bc[i], i);
        for (int i = 0; i < WORDS.length; i++) vocab.put(WORDS[i], 256 + i);
        specials.forEach((id, s) -> vocab.put(s, id));
        ArrayNode merges = model.putArray("merges");
        for (String wd : WORDS) { // each word token is its prefix one character shorter + the last character
            String last = wd.substring(wd.length() - 1), prev = wd.substring(0, wd.length() - 1);
            merges.add(prev + " " + last);
        }
        Files.writeString(file, root.toString());
    }
}
