package io.modelwork.metrics;

import io.modelwork.core.ModelworkException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Word and character error rates exactly as jiwer 4.0 defines them ({@code jiwer.wer}, {@code jiwer.cer}).
 *
 * <ul>
 *   <li>Words ({@code wer_default}): runs of two or more whitespace characters become one space, the text is stripped
 *       and split on spaces (empty pieces dropped). No lower-casing, no punctuation stripping unless
 *       {@link Normalize#LOWER} or {@link Normalize#BASIC} is asked for.</li>
 *   <li>Characters ({@code cer_default}): the text is stripped and split into characters; <b>spaces count</b>.</li>
 *   <li>Per utterance, the Levenshtein alignment; substitutions, deletions, insertions and hits are summed over the
 *       corpus: WER = (S+D+I)/(H+S+D). When the whole reference corpus is empty, WER = I (jiwer's edge case).</li>
 * </ul>
 *
 * <p>Why hand-written: no Java library gives a word-level alignment with an S/D/I breakdown (commons-text's
 * Levenshtein counts characters only), and the breakdown depends on which of several minimal alignments is chosen. The
 * backtrace here is the one of rapidfuzz's {@code Levenshtein.editops} (which jiwer calls): the common prefix and
 * suffix are removed first, then from the end a deletion is preferred, then an insertion, then the diagonal. So S, D
 * and I match jiwer's, not just their sum; {@code WordErrorRateTest} checks this against fixtures written by
 * rapidfuzz ({@code library/src/test/resources/metrics/wer_reference.py}).
 */
public final class WordErrorRate {
    private WordErrorRate() {}

    /** Text normalisation applied to reference and hypothesis before scoring. */
    public enum Normalize {
        /** jiwer's default: collapse spaces, strip; case and punctuation count */ NONE,
        /** lower-case first */ LOWER,
        /** lower-case, strip punctuation (Unicode category P, as jiwer's RemovePunctuation), collapse spaces */ BASIC;

        public static Normalize of(String s) {
            if (s == null || s.isBlank()) return NONE;
            for (Normalize n : values()) if (n.name().equalsIgnoreCase(s.trim())) return n;
            throw new ModelworkException("Unknown normalisation '" + s + "'", "normalize", "use one of none, lower, basic");
        }
    }

    /** The kind of one aligned position. */
    public enum Kind { EQUAL, SUBSTITUTE, DELETE, INSERT }

    /** One aligned position: {@code ref} is null for an insertion, {@code hyp} null for a deletion. */
    public record Op(Kind kind, String ref, String hyp) {}

    /** The alignment of one utterance with its counts. */
    public record Alignment(List<Op> ops, int hits, int substitutions, int deletions, int insertions) {
        public int refLength() { return hits + substitutions + deletions; }

        public int errors() { return substitutions + deletions + insertions; }

        /** Errors over reference length (insertions when the reference is empty). */
        public double rate() { return refLength() == 0 ? insertions : (double) errors() / refLength(); }

        /** {@code REF: a b *** d} / {@code HYP: a x c ***} with errors in capitals, as a two-line text. */
        public String text() {
            StringBuilder r = new StringBuilder("REF:"), h = new StringBuilder("HYP:");
            for (Op o : ops) {
                String a = o.ref == null ? "" : o.ref, b = o.hyp == null ? "" : o.hyp;
                if (o.kind != Kind.EQUAL) { a = a.toUpperCase(Locale.ROOT); b = b.toUpperCase(Locale.ROOT); }
                int w = Math.max(Math.max(a.length(), b.length()), 1);
                r.append(' ').append(o.ref == null ? "*".repeat(w) : pad(a, w));
                h.append(' ').append(o.hyp == null ? "*".repeat(w) : pad(b, w));
            }
            return r.toString().stripTrailing() + "\n" + h.toString().stripTrailing();
        }

        private static String pad(String s, int w) { return s + " ".repeat(w - s.length()); }
    }

    /** Corpus totals (summed over utterances) of one unit, words or characters. */
    public record Counts(int hits, int substitutions, int deletions, int insertions, int refLength, int hypLength) {
        /** (S+D+I)/(H+S+D); the insertion count when the reference corpus is empty (jiwer). */
        public double rate() { return refLength == 0 ? insertions : (double) (substitutions + deletions + insertions) / refLength; }
    }

    /** The result over a corpus: word and character counts and the per-utterance word alignments. */
    public record Result(Counts words, Counts chars, List<Alignment> utterances, List<Alignment> charUtterances) {
        public double wer() { return words.rate(); }

        public double cer() { return chars.rate(); }
    }

    private static final Pattern MULTI_SPACE = Pattern.compile("\\s\\s+");
    private static final Pattern PUNCT = Pattern.compile("\\p{P}");

    /** The text after {@code n} (before jiwer's own space handling). */
    public static String normalize(String s, Normalize n) {
        String t = s == null ? "" : s;
        if (n == Normalize.LOWER || n == Normalize.BASIC) t = t.toLowerCase(Locale.ROOT);
        if (n == Normalize.BASIC) t = PUNCT.matcher(t).replaceAll("");
        return t;
    }

    /** The words of {@code s} as jiwer's {@code wer_default} makes them, after {@code n}. */
    public static List<String> words(String s, Normalize n) {
        String t = MULTI_SPACE.matcher(normalize(s, n)).replaceAll(" ").strip();
        List<String> out = new ArrayList<>();
        for (String w : t.split(" ")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    /** The characters of {@code s} as jiwer's {@code cer_default} makes them (stripped; spaces count), after {@code n}. */
    public static List<String> chars(String s, Normalize n) {
        String t = normalize(s, n);
        if (n == Normalize.BASIC) t = MULTI_SPACE.matcher(t).replaceAll(" ");
        t = t.strip();
        List<String> out = new ArrayList<>(t.length());
        t.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        return out;
    }

    /** WER of one pair (jiwer's {@code wer(ref, hyp)}). */
    public static double wer(String reference, String hypothesis) {
        return corpus(List.of(reference), List.of(hypothesis), Normalize.NONE).wer();
    }

    /** CER of one pair (jiwer's {@code cer(ref, hyp)}). */
    public static double cer(String reference, String hypothesis) {
        return corpus(List.of(reference), List.of(hypothesis), Normalize.NONE).cer();
    }

    /** Word and character error rates over a corpus of reference/hypothesis pairs (same length, same order). */
    public static Result corpus(List<String> references, List<String> hypotheses, Normalize n) {
        if (references.size() != hypotheses.size())
            throw new ModelworkException("References and hypotheses differ in number: " + references.size() + " vs " + hypotheses.size(),
                    "WER input", "give one hypothesis per reference, in the same order");
        List<Alignment> wordAl = new ArrayList<>(), charAl = new ArrayList<>();
        int[] w = new int[6], c = new int[6];
        for (int i = 0; i < references.size(); i++) {
            List<String> rw = words(references.get(i), n), hw = words(hypotheses.get(i), n);
            Alignment a = align(rw, hw);
            wordAl.add(a);
            add(w, a, rw.size(), hw.size());
            List<String> rc = chars(references.get(i), n), hc = chars(hypotheses.get(i), n);
            Alignment b = align(rc, hc);
            charAl.add(b);
            add(c, b, rc.size(), hc.size());
        }
        return new Result(counts(w), counts(c), List.copyOf(wordAl), List.copyOf(charAl));
    }

    private static void add(int[] t, Alignment a, int refLen, int hypLen) {
        t[0] += a.hits; t[1] += a.substitutions; t[2] += a.deletions; t[3] += a.insertions; t[4] += refLen; t[5] += hypLen;
    }

    private static Counts counts(int[] t) { return new Counts(t[0], t[1], t[2], t[3], t[4], t[5]); }

    /**
     * The Levenshtein alignment of two token sequences, with rapidfuzz's choice among minimal alignments (see the class
     * comment): common prefix/suffix as matches; in the middle, backtracking from the end, a deletion when
     * {@code D[c][r] = D[c-1][r] + 1}, otherwise step one hypothesis token back and take an insertion when
     * {@code D[c][r] = D[c-1][r] - 1} there, otherwise the diagonal (match or substitution).
     */
    public static Alignment align(List<String> ref, List<String> hyp) {
        Map<String, Integer> ids = new HashMap<>();
        int[] a = ref.stream().mapToInt(s -> ids.computeIfAbsent(s, k -> ids.size())).toArray();
        int[] b = hyp.stream().mapToInt(s -> ids.computeIfAbsent(s, k -> ids.size())).toArray();
        int pre = 0;
        while (pre < a.length && pre < b.length && a[pre] == b[pre]) pre++;
        int suf = 0;
        while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] == b[b.length - 1 - suf]) suf++;
        int n = a.length - pre - suf, m = b.length - pre - suf;
        // D[c][r]: distance between the first c middle reference tokens and the first r middle hypothesis tokens
        int[][] d = new int[n + 1][m + 1];
        for (int c = 0; c <= n; c++) d[c][0] = c;
        for (int r = 0; r <= m; r++) d[0][r] = r;
        for (int c = 1; c <= n; c++)
            for (int r = 1; r <= m; r++)
                d[c][r] = Math.min(Math.min(d[c - 1][r] + 1, d[c][r - 1] + 1), d[c - 1][r - 1] + (a[pre + c - 1] == b[pre + r - 1] ? 0 : 1));
        List<Op> rev = new ArrayList<>();
        int c = n, r = m, hits = pre + suf, subs = 0, dels = 0, ins = 0;
        for (int k = 0; k < suf; k++) rev.add(new Op(Kind.EQUAL, ref.get(a.length - 1 - k), hyp.get(b.length - 1 - k)));
        while (r != 0 && c != 0) {
            if (d[c][r] - d[c - 1][r] == 1) {
                c--; dels++;
                rev.add(new Op(Kind.DELETE, ref.get(pre + c), null));
            } else {
                r--;
                if (r != 0 && d[c][r] - d[c - 1][r] == -1) {
                    ins++;
                    rev.add(new Op(Kind.INSERT, null, hyp.get(pre + r)));
                } else {
                    c--;
                    boolean same = a[pre + c] == b[pre + r];
                    if (same) hits++; else subs++;
                    rev.add(new Op(same ? Kind.EQUAL : Kind.SUBSTITUTE, ref.get(pre + c), hyp.get(pre + r)));
                }
            }
        }
        while (c != 0) { c--; dels++; rev.add(new Op(Kind.DELETE, ref.get(pre + c), null)); }
        while (r != 0) { r--; ins++; rev.add(new Op(Kind.INSERT, null, hyp.get(pre + r))); }
        for (int k = pre - 1; k >= 0; k--) rev.add(new Op(Kind.EQUAL, ref.get(k), hyp.get(k)));
        java.util.Collections.reverse(rev);
        return new Alignment(List.copyOf(rev), hits, subs, dels, ins);
    }
}
