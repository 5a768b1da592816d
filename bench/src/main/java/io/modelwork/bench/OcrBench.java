package io.modelwork.bench;

import io.modelwork.core.Assets;
import io.modelwork.metrics.WordErrorRate;
import io.modelwork.ocr.TesseractBaseline;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.OcrConfig;
import io.modelwork.ocr.ppocr.OcrResult;
import io.modelwork.ocr.ppocr.PpOcr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.modelwork.bench.BenchSupport.*;

/**
 * OCR throughput on CPU ({@value BenchSupport#THREADS} ONNX Runtime threads): both pinned PP-OCR sets ({@code ocr.ppocr}
 * {@code lang=ch} and {@code lang=en}, decode +
 * detection + classifier + recognition) pages/s and lines/s over the shared pages ({@code tesseractjs} with ground
 * truth, {@code synthetic-lines}), after one warm-up pass, and Debian's Tesseract on the same pages in the same run
 * (its process start included, as a user calling the binary pays it), with the ratio and both CERs (whitespace runs
 * collapsed, jiwer's definitions).
 *
 * <pre>bench/run.sh OcrBench [--quick] [--repeats=2]</pre>
 */
public final class OcrBench {
    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        int repeats = fl.getInt("repeats", 2, 1);
        List<Path> pages = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        Path tj = Assets.data("ocr/tesseractjs"), sl = Assets.data("ocr/synthetic-lines");
        for (String n : List.of("testocr", "bill", "simple", "cosmic")) { pages.add(tj.resolve(n + ".png")); refs.add(Files.readString(tj.resolve(n + ".gt.txt"))); }
        if (!fl.quick) try (var s = Files.list(sl)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".tif")).sorted().toList()) {
                pages.add(p);
                refs.add(Files.readString(sl.resolve(p.getFileName().toString().replaceAll("_.*", "") + ".gt.txt")));
            }
        }
        List<String> norm = refs.stream().map(r -> r.replaceAll("\\s+", " ").strip()).toList();
        System.out.println("| engine | pages/s | lines/s | CER | CPU s |\n|---|---|---|---|---|");
        double[] pps = new double[PpOcr.LANGS.size()];
        int n = pages.size() * repeats;
        for (int li = 0; li < pps.length; li++) {
            String lang = PpOcr.LANGS.get(li);
            try (PpOcr ocr = PpOcr.load(PpOcr.Models.forLang(lang), OcrConfig.defaults(), THREADS, "cpu")) {
                for (Path p : pages) ocr.read(BgrImage.read(p)); // warm-up
                int[] lines = {0};
                List<String> hyp = new ArrayList<>();
                Time t = time(() -> {
                    for (int r = 0; r < repeats; r++) {
                        hyp.clear();
                        for (Path p : pages) {
                            OcrResult res = ocr.read(BgrImage.read(p));
                            lines[0] += res.lines().size();
                            hyp.add(res.text().replaceAll("\\s+", " ").strip());
                        }
                    }
                });
                double cer = WordErrorRate.corpus(norm, hyp, WordErrorRate.Normalize.NONE).cer();
                pps[li] = n / t.wall();
                System.out.println("| " + (lang.equals("ch") ? "PP-OCRv4 lang=ch" : "PP-OCR lang=en (en_PP-OCRv3 det + en_PP-OCRv4 rec)")
                        + " (modelwork, ONNX Runtime " + THREADS + " threads) | " + f(pps[li], 3) + " | "
                        + f(lines[0] / t.wall(), 2) + " | " + f(cer, 4) + " | " + f(t.cpu(), 1) + " |");
            }
        }
        if (!TesseractBaseline.available()) {
            System.out.println("Tesseract is not installed (apt-get install -y tesseract-ocr): no baseline row");
            return;
        }
        List<String> th = new ArrayList<>();
        Time tt = time(() -> {
            for (int r = 0; r < repeats; r++) {
                th.clear();
                for (Path p : pages) th.add(TesseractBaseline.read(p).replaceAll("\\s+", " ").strip());
            }
        });
        double tcer = WordErrorRate.corpus(norm, th, WordErrorRate.Normalize.NONE).cer();
        System.out.println("| Tesseract 5 (tesseract CLI, default threads) | " + f(n / tt.wall(), 3) + " | – | " + f(tcer, 4) + " | – |");
        System.out.println("pages/s ratio modelwork / tesseract: lang=ch " + f(pps[0] / (n / tt.wall()), 2)
                + ", lang=en " + f(pps[1] / (n / tt.wall()), 2));
    }
}
