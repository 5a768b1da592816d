package io.modelwork.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the line at fault when the CSV parser fails: Tablesaw reports a ragged row as "Index 3 out of bounds for
 * length 3" without a row number. One pass with the RFC 4180 quoting rules finds the first record whose field count
 * differs from the header's, or a quoted field that is never closed, and says which line and what was expected.
 * Hand-written because it only runs after a parse failure, to explain it; the parse itself is Tablesaw's.
 */
final class CsvDiagnosis {
    private CsvDiagnosis() {}

    /** A problem: the 1-based line and what is wrong there. */
    record Problem(long line, String what) {}

    static Optional<Problem> find(Path p, char sep) {
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            int header = -1, fields = 1;
            boolean inQuote = false, fieldStart = true, empty = true;
            long line = 1, recordLine = 1, quoteLine = 0;
            int c;
            while ((c = r.read()) >= 0) {
                if (inQuote) {
                    if (c == '"') {
                        r.mark(1);
                        int n = r.read();
                        if (n == '"') continue;                       // an escaped quote
                        inQuote = false;
                        if (n >= 0) r.reset();
                        if (n >= 0 && n != sep && n != '\n' && n != '\r')
                            return Optional.of(new Problem(line, "text follows the closing quote of a field (a quote "
                                    + "inside a quoted field must be doubled: \"\")"));
                    } else if (c == '\n') line++;
                    continue;
                }
                if (c == '"' && fieldStart) { inQuote = true; quoteLine = line; fieldStart = false; empty = false; }
                else if (c == sep) { fields++; fieldStart = true; empty = false; }
                else if (c == '\n') {
                    if (!empty) {
                        if (header < 0) header = fields;
                        else if (fields != header)
                            return Optional.of(new Problem(recordLine, "the row has " + fields + " fields but the header has "
                                    + header + (fields > header ? " (an unquoted separator in a value?)" : "")));
                    }
                    fields = 1; fieldStart = true; empty = true;
                    line++;
                    recordLine = line;
                } else if (c != '\r') { fieldStart = false; empty = false; }
            }
            if (inQuote)
                return Optional.of(new Problem(quoteLine, "a quoted field opens here and is never closed"));
            if (!empty && header >= 0 && fields != header)
                return Optional.of(new Problem(recordLine, "the row has " + fields + " fields but the header has " + header));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
