package io.modelwork.anomaly;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Builds the one ONNX graph {@code input [N,3,S,S] → score [N], anomaly_map [N,1,S,S]} of a fitted PatchCore: the
 * backbone's nodes up to the named feature maps (everything else pruned), then the PatchCore head in plain ONNX
 * operators with the memory bank as initializers: AveragePool (3×3, pads counted), Resize (linear, PyTorch
 * half-pixel) and Concat for the embedding; MatMul/ReduceMin/ArgMin for the nearest-neighbour distance
 * ({@code |x|² − 2x·m + |m|²}, Relu as the clamp, Sqrt); ArgMax/GatherElements/Gather/TopK/Softmax for the image score's
 * re-weighting; Resize (nearest, floor), Pad (reflect) and two Conv with the separable Gaussian for the map. The
 * operators are written for the backbone's own opset (12 for the shared MobileNetV2: axes as attributes), so the
 * backbone's nodes keep their meaning. Built with the ONNX protobuf classes that {@code tribuo-util-onnx} brings.
 */
public final class PatchCoreOnnx {
    public static final String SCORE = "score";
    public static final String MAP = "anomaly_map";

    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> inits = new ArrayList<>();
    private int counter;

    private PatchCoreOnnx() { }

    /**
     * The graph's bytes. {@code heights[l]} is the side of layer l's map (layer 0 sets the patch grid); {@code bank}
     * is {@code [M, C]}; {@code size} the input side.
     */
    public static byte[] build(Path backbone, String input, String[] layers, int[] heights, float[] bank, int c, int k, int size) {
        ModelProto src;
        try {
            src = ModelProto.parseFrom(Files.readAllBytes(backbone));
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the backbone for the ONNX export: " + e.getMessage(), backbone.toString(),
                    "check that the backbone file is a readable ONNX model");
        }
        long opset = src.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty()).mapToLong(o -> o.getVersion()).findFirst().orElse(12);
        if (opset < 11 || opset > 17)
            throw new ModelworkException("The backbone's ONNX opset " + opset + " is not supported by the PatchCore export",
                    backbone.toString(), "export the backbone with opset 11–17");
        PatchCoreOnnx b = new PatchCoreOnnx();
        GraphProto g = src.getGraph();
        // prune the backbone to what the feature maps need
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : g.getNodeList()) for (String o : n.getOutputList()) producer.put(o, n);
        Set<NodeProto> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(Arrays.asList(layers));
        Set<String> used = new HashSet<>();
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if (!used.add(t)) continue;
            NodeProto n = producer.get(t);
            if (n != null && keep.add(n)) todo.addAll(n.getInputList());
        }
        GraphProto.Builder out = GraphProto.newBuilder().setName("patchcore");
        for (NodeProto n : g.getNodeList()) if (keep.contains(n)) out.addNode(n);
        for (TensorProto t : g.getInitializerList()) if (used.contains(t.getName())) out.addInitializer(t);
        Set<String> initNames = new HashSet<>();
        g.getInitializerList().forEach(t -> initNames.add(t.getName()));
        for (ValueInfoProto v : g.getInputList()) if (v.getName().equals(input) || (used.contains(v.getName()) && initNames.contains(v.getName()))) out.addInput(v);
        b.head(layers, heights, bank, c, k, size);
        b.nodes.forEach(out::addNode);
        b.inits.forEach(out::addInitializer);
        out.addOutput(output(SCORE, new Object[]{"N"}));
        out.addOutput(output(MAP, new Object[]{"N", 1L, (long) size, (long) size}));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(src.getIrVersion()).setProducerName("modelwork")
                .setProducerVersion("anomaly.patchcore").addAllOpsetImport(src.getOpsetImportList()).setGraph(out)
                .setDocString("PatchCore (anomalib algorithm): input = preprocessed image tensor (see preprocessing.json); "
                        + "score = image anomaly score, anomaly_map = per-pixel score at input size; memory bank "
                        + bank.length / c + "x" + c + " inside");
        return m.build().toByteArray();
    }

    private void head(String[] layers, int[] heights, float[] bank, int c, int k, int size) {
        int grid = heights[0], mBank = bank.length / c;
        k = Math.max(1, Math.min(k, mBank));
        float[] bankT = new float[bank.length], norms = new float[mBank];
        for (int i = 0; i < mBank; i++)
            for (int j = 0; j < c; j++) {
                float v = bank[i * c + j];
                bankT[j * mBank + i] = v;
                norms[i] += v * v;
            }
        // recompute norms in the Scorer's order (sequential float sums)
        for (int i = 0; i < mBank; i++) {
            float s = 0;
            for (int j = 0; j < c; j++) s += bank[i * c + j] * bank[i * c + j];
            norms[i] = s;
        }
        String bankN = floats("pc_bank", new long[]{mBank, c}, bank);
        String bankTN = floats("pc_bank_t", new long[]{c, mBank}, bankT);
        String normN = floats("pc_bank_norm", new long[]{mBank}, norms);
        String two = floats("pc_two", new long[]{}, new float[]{2f});
        String roi = floats("pc_roi", new long[]{0}, new float[0]);
        List<String> parts = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            String p = node("AveragePool", new String[]{layers[l]}, ints("kernel_shape", 3, 3), ints("strides", 1, 1),
                    ints("pads", 1, 1, 1, 1), intAttr("count_include_pad", 1));
            if (heights[l] != grid) {
                float sc = (float) grid / heights[l];
                String scales = floats(fresh("scales"), new long[]{4}, new float[]{1, 1, sc, sc});
                p = node("Resize", new String[]{p, roi, scales}, str("mode", "linear"),
                        str("coordinate_transformation_mode", "pytorch_half_pixel"));
            }
            parts.add(p);
        }
        String emb = parts.size() == 1 ? parts.get(0) : node("Concat", parts.toArray(String[]::new), intAttr("axis", 1));
        String e = node("Reshape", new String[]{node("Transpose", new String[]{emb}, ints("perm", 0, 2, 3, 1)), longs(new long[]{0, -1, c})});
        String x2 = node("ReduceSum", new String[]{node("Mul", new String[]{e, e})}, ints("axes", 2), intAttr("keepdims", 1));
        String xm = node("MatMul", new String[]{e, bankTN});
        String d2 = node("Add", new String[]{node("Sub", new String[]{x2, node("Mul", new String[]{xm, two})}), normN});
        String dmin = node("ReduceMin", new String[]{d2}, ints("axes", 2), intAttr("keepdims", 0));
        String patch = node("Sqrt", new String[]{node("Relu", new String[]{dmin})});
        String score;
        if (k == 1) {
            score = node("ReduceMax", new String[]{patch}, ints("axes", 1), intAttr("keepdims", 0));
        } else {
            String nnIdx = node("ArgMin", new String[]{d2}, intAttr("axis", 2), intAttr("keepdims", 0));
            String amax = node("ArgMax", new String[]{patch}, intAttr("axis", 1), intAttr("keepdims", 1));
            String sStar = node("ReduceMax", new String[]{patch}, ints("axes", 1), intAttr("keepdims", 1));
            String mStar = node("GatherElements", new String[]{nnIdx, amax}, intAttr("axis", 1));
            String fIdx = node("Expand", new String[]{node("Unsqueeze", new String[]{amax}, ints("axes", 2)), longs(new long[]{1, 1, c})});
            String feat = node("GatherElements", new String[]{e, fIdx}, intAttr("axis", 1));
            String row = node("Gather", new String[]{bankN, mStar}, intAttr("axis", 0));
            String r2 = node("ReduceSum", new String[]{node("Mul", new String[]{row, row})}, ints("axes", 2), intAttr("keepdims", 1));
            String rm = node("MatMul", new String[]{row, bankTN});
            String db = node("Relu", new String[]{node("Add", new String[]{node("Sub", new String[]{r2, node("Mul", new String[]{rm, two})}), normN})});
            String kk = longs(new long[]{k});
            String topVals = fresh("topk_values"), sup = fresh("topk_indices");
            nodes.add(NodeProto.newBuilder().setOpType("TopK").setName(fresh("TopK")).addInput(db).addInput(kk)
                    .addOutput(topVals).addOutput(sup).addAttribute(intAttr("axis", -1)).addAttribute(intAttr("largest", 0))
                    .addAttribute(intAttr("sorted", 1)).build());
            String supF = node("Reshape", new String[]{node("Gather", new String[]{bankN, sup}, intAttr("axis", 0)), longs(new long[]{0, -1, c})});
            String f2 = node("ReduceSum", new String[]{node("Mul", new String[]{feat, feat})}, ints("axes", 2), intAttr("keepdims", 1));
            String s2 = node("Unsqueeze", new String[]{node("ReduceSum", new String[]{node("Mul", new String[]{supF, supF})},
                    ints("axes", 2), intAttr("keepdims", 0))}, ints("axes", 1));
            String fm = node("MatMul", new String[]{feat, node("Transpose", new String[]{supF}, ints("perm", 0, 2, 1))});
            String dist = node("Sqrt", new String[]{node("Relu", new String[]{node("Add", new String[]{
                    node("Sub", new String[]{f2, node("Mul", new String[]{fm, two})}), s2})})});
            String sm = node("Softmax", new String[]{dist}, intAttr("axis", 2));
            String sm0 = node("Gather", new String[]{sm, longs(new long[]{0}, true)}, intAttr("axis", 2));
            String w = node("Sub", new String[]{floats(fresh("one"), new long[]{}, new float[]{1f}), sm0});
            score = node("Reshape", new String[]{node("Mul", new String[]{w, sStar}), longs(new long[]{-1})});
        }
        rename(score, SCORE);
        int scale = size / grid;
        String pm = node("Reshape", new String[]{patch, longs(new long[]{0, 1, grid, grid})});
        String up = node("Resize", new String[]{pm, roi, floats(fresh("scales"), new long[]{4}, new float[]{1, 1, scale, scale})},
                str("mode", "nearest"), str("coordinate_transformation_mode", "asymmetric"), str("nearest_mode", "floor"));
        float[] g = Scorer.gaussian(Scorer.SIGMA);
        int r = g.length / 2;
        String padded = node("Pad", new String[]{up, longs(new long[]{0, 0, r, r, 0, 0, r, r})}, str("mode", "reflect"));
        String h = node("Conv", new String[]{padded, floats(fresh("gauss_h"), new long[]{1, 1, 1, g.length}, g)});
        String map = node("Conv", new String[]{h, floats(fresh("gauss_v"), new long[]{1, 1, g.length, 1}, g)});
        rename(map, MAP);
    }

    private void rename(String from, String to) {
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (n.getOutputCount() > 0 && n.getOutput(0).equals(from)) {
                nodes.set(i, n.toBuilder().setOutput(0, to).build());
                return;
            }
        }
    }

    private String fresh(String base) { return "pc_" + base + "_" + (counter++); }

    private String node(String op, String[] in, AttributeProto... attrs) {
        String outName = fresh(op.toLowerCase(Locale.ROOT));
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(outName + "_node").addOutput(outName);
        for (String s : in) n.addInput(s);
        for (AttributeProto a : attrs) n.addAttribute(a);
        nodes.add(n.build());
        return outName;
    }

    private String floats(String name, long[] dims, float[] v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) bb.putFloat(f);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bb.array()));
        for (long d : dims) t.addDims(d);
        inits.add(t.build());
        return name;
    }

    private String longs(long[] v) { return longs(v, false); }

    private String longs(long[] v, boolean scalar) {
        String name = fresh("const");
        ByteBuffer bb = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long l : v) bb.putLong(l);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64.getNumber())
                .setRawData(ByteString.copyFrom(bb.array()));
        if (!scalar) t.addDims(v.length);
        inits.add(t.build());
        return name;
    }

    private static AttributeProto intAttr(String n, long v) {
        return AttributeProto.newBuilder().setName(n).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto ints(String n, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(n).setType(AttributeProto.AttributeType.INTS);
        for (long l : v) a.addInts(l);
        return a.build();
    }

    private static AttributeProto str(String n, String v) {
        return AttributeProto.newBuilder().setName(n).setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
    }

    private static ValueInfoProto output(String name, Object[] dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            else s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue((Long) d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(s))).build();
    }
}
