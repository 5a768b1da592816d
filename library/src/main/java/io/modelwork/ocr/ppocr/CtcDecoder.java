package io.modelwork.ocr.ppocr;

import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PaddleOCR's {@code CTCLabelDecode} ({@code ppocr/postprocess/rec_postprocess.py}): the character list is
 * {@code 'blank'}, the dictionary's lines, then {@code ' '} ({@code use_space_char=True}); per time step the arg-max
 * class and its probability; consecutive repeats merged, the blank (index 0) dropped; the line's confidence is the mean
 * of the kept probabilities (0 for an empty result). The per-character probabilities are kept too.
 */
public final class CtcDecoder {
    private final List<String> chars;
    private final Set<String> charset;

    /** A decoded line: its text, its confidence and one probability per character (code point). */
    public record Decoded(String text, double score, double[] charScores) { }

    public CtcDecoder(List<String> dictionary) {
        List<String> c = new ArrayList<>(dictionary.size() + 2);
        c.add("");
        c.addAll(dictionary);
        c.add(" ");
        this.chars = Collections.unmodifiableList(c);
        this.charset = new HashSet<>(c.subList(1, c.size()));
    }

    /** Reads a dictionary: one character per line, UTF-8 (a file that is not UTF-8 or is empty is an error). */
    public static CtcDecoder read(Path dict) {
        if (!Files.isRegularFile(dict))
            throw new ModelworkException("The recognition dictionary does not exist", String.valueOf(dict),
                    "give dict= the character list of the recognition model (one character per line, e.g. ppocr_keys_v1.txt)");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(dict))).toString();
        } catch (CharacterCodingException e) {
            throw new ModelworkException("The recognition dictionary is not UTF-8", dict.toString(), "convert it to UTF-8 (iconv -t utf-8)");
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the recognition dictionary: " + e.getMessage(), dict.toString(), "check its permissions");
        }
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n", -1)) lines.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        if (lines.isEmpty())
            throw new ModelworkException("The recognition dictionary is empty", dict.toString(), "give the model's character list, one character per line");
        return new CtcDecoder(lines);
    }

    /** Number of model classes this dictionary needs (blank + characters + space). */
    public int classes() { return chars.size(); }

    /** Whether the recogniser can produce this character. */
    public boolean canProduce(String ch) { return charset.contains(ch); }

    /** Fails, naming both numbers, when the model's class count does not match the dictionary. */
    public void check(long modelClasses, String where) {
        if (modelClasses > 0 && modelClasses != classes())
            throw new ModelworkException("The recognition model has " + modelClasses + " classes but the dictionary gives "
                    + classes() + " (blank + " + (classes() - 2) + " characters + space)", where,
                    "give the dictionary the model was trained with (its line count must be " + (modelClasses - 2) + ")");
    }

    /** Decodes one line's [T × C] probabilities at {@code offset} of {@code probs}. */
    public Decoded decode(float[] probs, int offset, int steps, int classes) {
        StringBuilder sb = new StringBuilder();
        List<Double> conf = new ArrayList<>();
        double stepSum = 0;
        int kept = 0;
        int prev = -1;
        for (int t = 0; t < steps; t++) {
            int base = offset + t * classes;
            int best = 0;
            float bp = probs[base];
            for (int c = 1; c < classes; c++) if (probs[base + c] > bp) { bp = probs[base + c]; best = c; }
            if (best != prev && best != 0 && best < chars.size()) {
                String ch = chars.get(best);
                sb.append(ch);
                stepSum += bp;
                kept++;
                for (int k = 0; k < ch.codePointCount(0, ch.length()); k++) conf.add((double) bp);
            }
            prev = best;
        }
        double[] cs = conf.stream().mapToDouble(Double::doubleValue).toArray();
        return new Decoded(sb.toString(), kept == 0 ? 0 : stepSum / kept, cs);
    }
}
