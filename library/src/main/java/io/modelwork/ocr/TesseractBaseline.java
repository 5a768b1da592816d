package io.modelwork.ocr;

import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code tesseract} command (Tesseract 5, {@code apt-get install tesseract-ocr}) as the side-by-side baseline:
 * what users in Java would otherwise pick (Tess4J wraps the same engine). Runs {@code tesseract IMAGE stdout} with its
 * defaults (English, page segmentation mode 3).
 */
public final class TesseractBaseline {
    private TesseractBaseline() {}

    /** The binary's path, or null when it is not installed. */
    public static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "tesseract");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    public static boolean available() { return binary() != null; }

    /** The text Tesseract reads on {@code image}. */
    public static String read(Path image) {
        Path bin = binary();
        if (bin == null)
            throw new ModelworkException("Tesseract is not installed", "tesseract baseline", "apt-get install -y tesseract-ocr");
        try {
            Process p = new ProcessBuilder(List.of(bin.toString(), image.toString(), "stdout"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) { p.destroyForcibly(); throw new IOException("timed out"); }
            if (p.exitValue() != 0) throw new IOException("exit code " + p.exitValue());
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelworkException("Tesseract failed: " + e.getMessage(), image.toString(), "check that the image opens and tesseract -v runs");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelworkException("Interrupted while Tesseract ran", image.toString(), "run again");
        }
    }
}
