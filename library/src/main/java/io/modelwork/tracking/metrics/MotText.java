package io.modelwork.tracking.metrics;

import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads MOTChallenge text files: one box a line, {@code frame,id,left,top,width,height,conf,class,visibility}
 * (tracker files usually carry {@code conf,-1,-1,-1} after the box).
 *
 * <p>Values are read the way TrackEval's {@code MotChallenge2DBox._load_raw_file} reads them: every column as a
 * float, then frame and id truncated to integers ({@code int(float(x))} and {@code astype(int)}); the trailing empty
 * field of a line ending in a comma is dropped; column 7 ({@code conf}) of a ground-truth file is the "zero marked"
 * flag ({@code int(conf) == 0} means ignore); column 8 is the class when present. Commas, semicolons, spaces and tabs
 * all separate columns (TrackEval sniffs the delimiter from the first line).
 *
 * <p>Where this reader is stricter than TrackEval, on purpose, it says so with the line number: a line with fewer
 * than 6 columns (7 for ground truth), a value that is not a finite number, a frame below 1, a negative id (TrackEval's
 * id relabelling indexes an array by id and would silently wrap a negative one), a negative width or height. Blank
 * lines are skipped (TrackEval would refuse them). A tracker line with 6 columns gets confidence 1 (TrackEval needs 7;
 * the confidence is not used by HOTA, CLEAR or Identity).
 */
public final class MotText {
    private MotText() {}

    /** One line of a MOTChallenge file. {@code cls} is -1 when the line has no class column. */
    public record Box(int frame, int id, double left, double top, double width, double height, double conf, int cls,
                      int line) {
        /** True when the line has a class column (8 columns or more). */
        public boolean hasClass() { return cls != NO_CLASS; }
    }

    /** The class of a line that has no class column. */
    public static final int NO_CLASS = Integer.MIN_VALUE;

    private static final Pattern SEP = Pattern.compile("\\s*[,;]\\s*|\\s+");

    /** Reads {@code file}; {@code groundTruth} needs the {@code conf} column (the zero-marked flag). */
    public static List<Box> read(Path file, boolean groundTruth) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelworkException("cannot read the " + (groundTruth ? "ground-truth" : "tracker") + " file ("
                    + e.getMessage() + ")", file.toString(), "check the path and its permissions", e);
        }
        return parse(lines, file.toString(), groundTruth);
    }

    /** Parses the lines of a file; {@code where} names it in errors. */
    public static List<Box> parse(List<String> lines, String where, boolean groundTruth) {
        List<Box> out = new ArrayList<>(lines.size());
        int minCols = groundTruth ? 7 : 6;
        for (int n = 0; n < lines.size(); n++) {
            String raw = lines.get(n).strip();
            if (n == 0 && raw.startsWith("\uFEFF")) raw = raw.substring(1).strip();
            if (raw.isEmpty()) continue;
            String[] f = SEP.split(raw, -1);
            int cols = f.length;
            if (cols > 0 && f[cols - 1].isEmpty()) cols--; // "1,2,...,1," – TrackEval drops the empty last field
            String at = where + ":" + (n + 1);
            if (cols < minCols)
                throw new ModelworkException("line has " + cols + " column(s), a MOTChallenge "
                        + (groundTruth ? "ground-truth" : "tracker") + " line needs at least " + minCols,
                        at, "write frame,id,left,top,width,height,conf" + (groundTruth ? ",class,visibility" : ",-1,-1,-1")
                        + " (got: '" + abbreviate(raw) + "')");
            double[] v = new double[cols];
            for (int c = 0; c < cols; c++) {
                try {
                    v[c] = Double.parseDouble(f[c]);
                } catch (NumberFormatException e) {
                    throw new ModelworkException("column " + (c + 1) + " is not a number ('" + abbreviate(f[c]) + "')",
                            at, "every column of a MOTChallenge file is numeric");
                }
                if (!Double.isFinite(v[c]))
                    throw new ModelworkException("column " + (c + 1) + " is not finite (" + f[c] + ")", at,
                            "write finite numbers");
            }
            if (Math.abs(v[0]) > Integer.MAX_VALUE || Math.abs(v[1]) > Integer.MAX_VALUE)
                throw new ModelworkException("frame or id out of range", at, "frames and ids are integers");
            int frame = (int) v[0];
            int id = (int) v[1];
            if (frame < 1)
                throw new ModelworkException("frame " + frame + " is below 1 (MOTChallenge frames start at 1)", at,
                        "number frames from 1");
            if (id < 0)
                throw new ModelworkException("id " + id + " is negative", at, "use ids ≥ 0");
            if (v[4] < 0 || v[5] < 0)
                throw new ModelworkException("box has a negative width or height (" + f[4] + " × " + f[5] + ")", at,
                        "columns 5 and 6 are the width and height, not the right and bottom");
            double conf = cols > 6 ? v[6] : 1.0;
            int cls = NO_CLASS;
            if (cols > 7) {
                if (Math.abs(v[7]) > Integer.MAX_VALUE)
                    throw new ModelworkException("class out of range", at, "classes are small integers");
                cls = (int) v[7];
            }
            out.add(new Box(frame, id, v[2], v[3], v[4], v[5], conf, cls, n + 1));
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
