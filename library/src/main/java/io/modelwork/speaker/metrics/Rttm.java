package io.modelwork.speaker.metrics;

import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads RTTM and UEM files as pyannote.database's {@code load_rttm} / {@code load_uem} read them.
 *
 * <p>RTTM: whitespace-separated {@code SPEAKER uri channel start duration <NA> <NA> speaker <NA> <NA>}; only
 * {@code SPEAKER} lines are kept; a turn is {@code Segment(start, start + duration)} and every line is its own track
 * (two identical lines are two tracks and both count, as in pyannote). UEM: {@code uri channel start end}.
 * Files are grouped by URI in sorted order (pandas {@code groupby}).
 *
 * <p>Stricter than pyannote on purpose, each with the line number: fewer than 8 (RTTM) or 4 (UEM) columns, a start,
 * duration or end that is not a finite number, a negative duration, a UEM end before its start. Blank lines and lines
 * starting with {@code ;;} or {@code #} are skipped.
 */
public final class Rttm {
    private Rttm() {}

    /** One speaker turn; {@code line} is 1-based. */
    public record Turn(String uri, double start, double end, String speaker, int line) {}

    /** Turns by URI (sorted), each list in file order. */
    public static Map<String, List<Turn>> read(Path file) {
        return parse(lines(file, "RTTM"), file.toString());
    }

    public static Map<String, List<Turn>> parse(List<String> lines, String where) {
        Map<String, List<Turn>> out = new TreeMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String[] f = fields(lines.get(n), n);
            if (f == null) continue;
            String at = where + ":" + (n + 1);
            if (f.length < 8)
                throw new ModelworkException("RTTM line has " + f.length + " column(s), needs at least 8", at,
                        "write 'SPEAKER uri 1 start duration <NA> <NA> speaker <NA> <NA>'");
            if (!f[0].equals("SPEAKER")) continue;
            double start = number(f[3], "start", at);
            double dur = number(f[4], "duration", at);
            if (dur < 0)
                throw new ModelworkException("negative duration " + f[4], at, "column 5 is the duration, not the end");
            out.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new Turn(f[1], start, start + dur, f[7], n + 1));
        }
        return out;
    }

    /** UEM segments by URI (sorted). */
    public static Map<String, List<double[]>> readUem(Path file) {
        return parseUem(lines(file, "UEM"), file.toString());
    }

    public static Map<String, List<double[]>> parseUem(List<String> lines, String where) {
        Map<String, List<double[]>> out = new TreeMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String[] f = fields(lines.get(n), n);
            if (f == null) continue;
            String at = where + ":" + (n + 1);
            if (f.length < 4)
                throw new ModelworkException("UEM line has " + f.length + " column(s), needs 4", at,
                        "write 'uri channel start end'");
            double start = number(f[2], "start", at);
            double end = number(f[3], "end", at);
            if (end < start)
                throw new ModelworkException("UEM end " + f[3] + " is before its start " + f[2], at,
                        "columns 3 and 4 are start and end times");
            out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new double[] {start, end});
        }
        return out;
    }

    private static String[] fields(String line, int n) {
        String s = line.strip();
        if (n == 0 && s.startsWith("\uFEFF")) s = s.substring(1).strip();
        if (s.isEmpty() || s.startsWith(";;") || s.startsWith("#")) return null;
        return s.split("\\s+");
    }

    private static double number(String s, String what, String at) {
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new ModelworkException(what + " '" + s + "' is not a number", at, "times are seconds, e.g. 12.340");
        }
        if (!Double.isFinite(v)) throw new ModelworkException(what + " is not finite (" + s + ")", at, "write seconds");
        return v;
    }

    private static List<String> lines(Path file, String kind) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelworkException("cannot read the " + kind + " file (" + e.getMessage() + ")", file.toString(),
                    "check the path and its permissions", e);
        }
    }
}
