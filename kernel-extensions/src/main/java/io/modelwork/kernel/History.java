package io.modelwork.kernel;

import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** In-memory history of this kernel session (session number 1): tail, range and glob search. */
final class History implements HistoryManager {
    static final int SESSION = 1;

    private record Entry(int cell, String input, String output) {}

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(int cell, String input, String output) {
        entries.add(new Entry(cell, input, output));
    }

    private static HistoryEntry out(Entry e, Set<ResultFlag> flags) {
        return flags.contains(ResultFlag.INCLUDE_OUTPUT)
                ? new HistoryEntry(SESSION, e.cell, e.input, e.output == null ? "" : e.output)
                : new HistoryEntry(SESSION, e.cell, e.input);
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int from = Math.max(0, entries.size() - Math.max(0, length));
        List<HistoryEntry> out = new ArrayList<>();
        for (Entry e : entries.subList(from, entries.size())) out.add(out(e, flags));
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        if (session != SESSION && session != 0) return out;
        for (Entry e : entries) if (e.cell >= start && (stop <= 0 || e.cell < stop)) out.add(out(e, flags));
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> search(String glob, int length, Set<ResultFlag> flags) {
        Pattern p = Pattern.compile(globToRegex(glob == null || glob.isEmpty() ? "*" : glob), Pattern.DOTALL);
        List<Entry> hits = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (!p.matcher(e.input).matches()) continue;
            if (flags.contains(ResultFlag.UNIQUE) && !seen.add(e.input)) continue;
            hits.add(0, e);
            if (length > 0 && hits.size() >= length) break;
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (Entry e : hits) out.add(out(e, flags));
        return out;
    }

    static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }
}
