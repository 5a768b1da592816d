package io.modelwork.asr.whisper;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.nio.file.Path;
import java.util.*;

/**
 * Whisper's tokenizer: the model's {@code tokenizer.json} (byte-level BPE) run by Hugging Face's own tokenizers
 * library through DJL, so text is split and joined exactly as {@code transformers} does; the special tokens
 * ({@code <|startoftranscript|>}, the language and task tokens, {@code <|notimestamps|>}, the timestamps) are read from
 * the file's {@code added_tokens}. Also computes OpenAI's {@code non_speech_tokens} (the symbols Whisper suppresses)
 * when the model's generation config does not list them. {@link #close()} frees the native tokenizer.
 */
public final class WhisperTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> special = new LinkedHashMap<>();
    private final Path file;

    public WhisperTokenizer(Path file) {
        this.file = file;
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(file.toFile());
        } catch (Exception e) {
            throw new ModelworkException("Cannot read the Whisper tokenizer: " + e.getMessage(), file.toString(),
                    "give the tokenizer.json that came with the model (Hugging Face optimum copies it into the export folder)");
        }
        for (JsonNode t : root.path("added_tokens")) special.put(t.path("content").asText(), t.path("id").asInt());
        if (!special.containsKey("<|startoftranscript|>") || !special.containsKey("<|endoftext|>"))
            throw new ModelworkException("The tokenizer has no Whisper special tokens (<|startoftranscript|>, <|endoftext|>)",
                    file.toString(), "give the tokenizer.json of a Whisper model");
        // DJL unpacks its native library into DJL_CACHE_DIR (default ~/.djl.ai): keep it in Modelwork's cache
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null)
            System.setProperty("DJL_CACHE_DIR", io.modelwork.assets.PackageAssets.cacheRoot().resolve("djl").toString());
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "false"));
        } catch (LinkageError e) {
            throw new ModelworkException("The Hugging Face tokenizers native library cannot be loaded: " + e.getMessage(),
                    "ai.djl.huggingface:tokenizers 0.38.0 (natives for Linux/macOS/Windows x86-64 and aarch64)",
                    "run on one of those platforms, or set DJL_CACHE_DIR to a writable folder");
        } catch (Exception e) {
            throw new ModelworkException("Hugging Face tokenizers cannot load the tokenizer: " + e.getMessage(), file.toString(),
                    "check that tokenizer.json is complete (not truncated) and from a Whisper model");
        }
    }

    /** The id of a special token such as {@code <|en|>}, or -1 when the tokenizer has none. */
    public int special(String token) { return special.getOrDefault(token, -1); }

    /** Language code → token id: the special tokens {@code <|xx|>} between {@code <|startoftranscript|>} and the task tokens. */
    public Map<String, Integer> languages() {
        int sot = special("<|startoftranscript|>"), stop = firstOf("<|translate|>", "<|transcribe|>");
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : special.entrySet()) {
            String k = e.getKey();
            int id = e.getValue();
            if (id > sot && (stop < 0 || id < stop) && k.matches("<\\|[a-z]{2,3}\\|>"))
                m.put(k.substring(2, k.length() - 2), id);
        }
        return m;
    }

    private int firstOf(String... tokens) {
        int best = -1;
        for (String t : tokens) {
            int id = special(t);
            if (id >= 0 && (best < 0 || id < best)) best = id;
        }
        return best;
    }

    /** The token ids of {@code text} without special tokens. */
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = (int) ids[i];
        return out;
    }

    /** The text of {@code ids}, special tokens left out. */
    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) l[i] = ids[i];
        return tokenizer.decode(l, true);
    }

    /**
     * OpenAI's {@code Tokenizer.non_speech_tokens}: the first token of each symbol (and of " " + symbol) that the
     * tokenizer holds as one token, the musical signs always, and " -", " '" — the tokens Whisper's default
     * {@code suppress_tokens="-1"} suppresses so that speaker tags and captions are not generated.
     */
    public Set<Integer> nonSpeechTokens() {
        List<String> symbols = new ArrayList<>();
        for (char c : "\"#()*+/:;<=>@[\\]^_`{|}~「」『』".toCharArray()) symbols.add(String.valueOf(c));
        symbols.addAll(List.of("<<", ">>", "<<<", ">>>", "--", "---", "-(", "-[", "('", "(\"", "((", "))", "(((", ")))",
                "[[", "]]", "{{", "}}", "♪♪", "♪♪♪"));
        Set<String> misc = new LinkedHashSet<>(List.of("♩", "♪", "♫", "♬", "♭", "♮", "♯"));
        Set<Integer> out = new TreeSet<>();
        int[] dash = encode(" -"), quote = encode(" '");
        if (dash.length > 0) out.add(dash[0]);
        if (quote.length > 0) out.add(quote[0]);
        List<String> all = new ArrayList<>(symbols);
        all.addAll(misc);
        for (String s : all)
            for (int[] t : new int[][]{encode(s), encode(" " + s)})
                if (t.length == 1 || (misc.contains(s) && t.length > 0)) out.add(t[0]);
        return out;
    }

    public Path file() { return file; }

    @Override public void close() { tokenizer.close(); }
}
