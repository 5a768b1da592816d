package io.modelwork.asr;

import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads transcript files: a TSV whose first column is the utterance id (the audio file name without extension) and
 * whose last column is the text, middle columns (e.g. a speaker id) kept as metadata; or the Sphinx
 * {@code transcription} format ({@code <s> text </s> (id)}). Blank lines and lines starting with {@code #} are skipped.
 */
public final class Transcripts {
    private Transcripts() {}

    /** One transcript line: id, text and the middle columns. */
    public record Entry(String id, String text, List<String> meta, int line) {}

    private static final Pattern SPHINX = Pattern.compile("^\\s*(?:<s>)?\\s*(.*?)\\s*(?:</s>)?\\s*\\(([^()]+)\\)\\s*$");

    /** Reads {@code file} in the TSV or Sphinx format (detected from the first non-blank line); id → entry, in order. */
    public static Map<String, Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the transcript file: " + e.getMessage(), file.toString(),
                    "give a readable UTF-8 text file (TSV: id<TAB>…<TAB>text, or Sphinx: <s> text </s> (id))");
        }
        boolean sphinx = lines.stream().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).findFirst()
                .map(s -> !s.contains("\t") && SPHINX.matcher(s).matches()).orElse(false);
        Map<String, Entry> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (raw.isBlank() || raw.startsWith("#")) continue;
            String where = file + ":" + (i + 1);
            Entry e;
            if (sphinx) {
                Matcher m = SPHINX.matcher(raw);
                if (!m.matches()) throw new ModelworkException("Line " + (i + 1) + " is not in the Sphinx transcription format", where,
                        "write '<s> the words </s> (utterance_id)' on every line");
                e = new Entry(m.group(2).strip(), m.group(1).strip(), List.of(), i + 1);
            } else {
                String[] cols = raw.split("\t", -1);
                if (cols.length < 2) throw new ModelworkException("Line " + (i + 1) + " has " + cols.length
                        + " column; a transcript line needs at least 2 (id and text)", where,
                        "separate the id (file name without extension) and the text with a TAB: id<TAB>text");
                if (cols[0].isBlank()) throw new ModelworkException("Line " + (i + 1) + " has an empty id", where,
                        "put the file name without extension in the first column");
                List<String> meta = new ArrayList<>();
                for (int k = 1; k < cols.length - 1; k++) meta.add(cols[k]);
                e = new Entry(cols[0].strip(), cols[cols.length - 1].strip(), List.copyOf(meta), i + 1);
            }
            if (out.put(e.id(), e) != null)
                throw new ModelworkException("Utterance id '" + e.id() + "' appears twice", where, "give each utterance one line");
        }
        return out;
    }
}
