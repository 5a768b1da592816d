package io.modelwork.ocr;

import io.modelwork.core.Args;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.shared.ArtifactsHandler;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.Category;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Optical character recognition: {@code ocr.ppocr} (PaddleOCR's PP-OCRv4 detection + angle classification +
 * recognition, reproduced on ONNX Runtime) and {@code ocr.ppocr.rec} (images that are already one text line or word:
 * classifier and recogniser only). Recognises a folder of images with {@code <name>.gt.txt} ground truth by itself.
 */
public final class OcrCategory implements Category<OcrState> {
    static final Map<String, String> SPECS = new LinkedHashMap<>();
    static {
        SPECS.put("ocr.ppocr", "PP-OCRv4 (PaddleOCR) text detection (DB) + angle classifier + CTC recognition on ONNX Runtime; pages");
        SPECS.put("ocr.ppocr.rec", "PP-OCRv4 recognition only (+ angle classifier) for images that are single text lines or words");
    }
    static final Options ATTACH = Options.of(
            Option.path("path", "folder of images with <name>.gt.txt (or <prefix>.gt.txt for <prefix>_<variant>.tif) beside each"),
            Option.path("labels", "TSV file<TAB>text instead of .gt.txt files (\\n in text = newline)"),
            Option.path("boxes", "JSON {\"file\": [[x0,y0,…,x3,y3], …]} line boxes for detection metrics (default: Tesseract .box files beside the images)"),
            Option.list("include", null, "only these image names (stems or file names)"),
            Option.path("dict", "dictionary to profile the characters against (default PP-OCRv4's ppocr_keys_v1.txt)"),
            Option.bool("strict", false, "unreadable or empty images are an error (default: left out and named)"),
            Option.text("task", null, "ocr"));
    static final Options PREPARE = Options.of(
            Option.bool("rotate", true, "angle classifier: turn text crops read upside down (180°)"),
            Option.integer("limit_side", 960, 32, 8192, "longest side of the detection input (PaddleOCR limit_side_len)"),
            Option.bool("denoise", false, "3×3 median filter before detection"),
            Option.bool("deskew", false, "turn pages read 90°/180°/270° upright and straighten skew of 0.3–15° (detector box angles + angle-classifier vote per page)"));
    static final Options SPLIT = Options.of(
            Option.numbers("ratios", "0,0,1", 0.0, 1.0, "train,validation,test shares of documents (0,0,1 = all test: a pretrained pipeline)"));
    static final Options BUILD = Options.of(
            Option.text("spec", "ocr.ppocr", "ocr.ppocr (pages) or ocr.ppocr.rec (single lines)"),
            Option.choice("lang", "ch", io.modelwork.ocr.ppocr.PpOcr.LANGS, "pinned model set, as PaddleOCR(lang=…): ch = ch_PP-OCRv4 det+rec (Chinese + English), en = en_PP-OCRv3 det + en_PP-OCRv4 rec (English: better on Latin text)"),
            Option.path("det", "your PP-OCR detection ONNX (default: the lang's det)"),
            Option.path("cls", "your angle classifier ONNX (default ch_ppocr_mobile_v2.0_cls)"),
            Option.path("rec", "your PP-OCR CTC recognition ONNX, e.g. another language's (default: the lang's rec)"),
            Option.path("dict", "the recogniser's dictionary, one character per line (must match its classes − 2; default: the rec model's character metadata, else the lang's)"),
            Option.number("thresh", 0.3, 0.01, 0.99, "DB binarisation threshold"),
            Option.number("box_thresh", 0.6, 0.0, 1.0, "least mean probability inside a box"),
            Option.number("unclip_ratio", 1.5, 0.5, 5.0, "box expansion (area × ratio / perimeter)"),
            Option.number("cls_thresh", 0.9, 0.0, 1.0, "classifier score above which a crop is turned 180°"),
            Option.number("drop_score", 0.5, 0.0, 1.0, "lines with a lower recognition confidence are dropped"),
            Option.integer("batch", 6, 1, 256, "crops per classifier/recogniser run"));
    static final Options FIT = Options.none();
    static final Options EVALUATE = Options.of(
            Option.choice("on", "test", List.of("test", "validation", "train", "all"), "which images to score"),
            Option.bool("case_sensitive", true, "false lower-cases both sides"),
            Option.choice("whitespace", "collapse", List.of("collapse", "keep"), "collapse: runs of spaces/newlines count as one space"),
            Option.integer("worst", 5, 0, 100, "images in the error gallery"),
            Option.bool("baseline", false, "also run Tesseract on the same images (when installed)"));
    static final Options TUNE = Tuning.OPTIONS.without("strategy", "trials").plus(
            Option.choice("strategy", "grid", List.of("grid", "random", "tpe", "asha"), "search strategy"),
            Option.integer("trials", 12, 1, 100_000, "configurations tried (default space: thresh=0.3|0.2|0.4 box_thresh=0.6|0.5|0.7 unclip_ratio=1.5|1.8|2.0; limit_side=… may be added)"));
    static final Options CALIBRATE = Options.of(
            Option.number("target_precision", 0.95, 0.0, 1.0, "wanted share of correct words among the words kept"));
    static final Options EXPORT = Options.of(Option.path("target", "bundle folder (default <run_dir>/export)"));

    @Override public String name() { return "ocr"; }

    @Override public String description() { return "optical character recognition (PP-OCRv4 on ONNX Runtime)"; }

    @Override public Set<String> tasks() { return Set.of("ocr", "text_recognition"); }

    @Override public Map<String, String> specs() { return SPECS; }

    @Override public int recognise(Args a) {
        if (a.has("labels") && a.has("path")) return RECOGNISED / 2;
        String p = a.getString("path", null);
        if (p == null) return 0;
        try (var s = Files.list(Path.of(p))) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".gt.txt")) ? RECOGNISED : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override public OcrState newState(StepContext ctx) {
        OcrState s = new OcrState();
        s.threads = ctx.run().threads();
        return s;
    }

    @Override public Options options(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> ATTACH;
            case PREPARE_DATA -> PREPARE;
            case SPLIT -> SPLIT;
            case BUILD -> BUILD;
            case FIT -> FIT;
            case EVALUATE -> EVALUATE;
            case TUNE -> TUNE;
            case CALIBRATE -> CALIBRATE;
            case EXPORT -> EXPORT;
            case REGISTER -> RegisterHandler.OPTIONS;
            default -> Options.none();
        };
    }

    @Override public StepHandler<OcrState> handler(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> OcrData::attach;
            case PREPARE_DATA -> OcrData::prepare;
            case SPLIT -> OcrData::split;
            case BUILD -> OcrSteps::build;
            case FIT -> OcrSteps::fit;
            case EVALUATE -> OcrSteps::evaluate;
            case TUNE -> OcrSteps::tune;
            case CALIBRATE -> OcrSteps::calibrate;
            case EXPORT -> OcrExport::export;
            case REGISTER -> new RegisterHandler<>();
            case ARTIFACTS -> new ArtifactsHandler<>();
            default -> null;
        };
    }

    @Override public String notApplicable(Step step) {
        if (step == Step.BACKTEST) return "backtest is not applicable to ocr: pages have no time order to replay";
        return Category.super.notApplicable(step);
    }

    /** Two small pages of ../shared/data/ocr/tesseractjs: one for validation (tune, calibrate), one for test. */
    @Override public LinkedHashMap<Step, Args> example(Path assets) {
        LinkedHashMap<Step, Args> m = new LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", assets.resolve("data/ocr/tesseractjs").toString(), "include", "simple,cosmic"));
        m.put(Step.PREPARE_DATA, Args.empty());
        m.put(Step.SPLIT, Args.of("ratios", "0,0.5,0.5"));
        m.put(Step.BUILD, Args.of("spec", "ocr.ppocr"));
        m.put(Step.FIT, Args.empty());
        m.put(Step.EVALUATE, Args.empty());
        m.put(Step.TUNE, Args.of("trials", 2));
        m.put(Step.CALIBRATE, Args.of("target_precision", 0.9));
        m.put(Step.EXPORT, Args.empty());
        m.put(Step.ARTIFACTS, Args.empty());
        return m;
    }
}
