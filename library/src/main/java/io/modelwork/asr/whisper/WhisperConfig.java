package io.modelwork.asr.whisper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * What decoding needs to know about one Whisper export: the special token ids, the languages, the mel bins, the text
 * context, the attention shape (for the empty cache of a merged decoder) and the suppressed tokens. Read from the
 * export folder's {@code config.json} and {@code generation_config.json} (as {@code transformers} writes them) when
 * present, else from the tokenizer's special tokens and OpenAI's defaults ({@code suppress_tokens="-1"}: the
 * non-speech symbols; {@code max_initial_timestamp} 1.0 s).
 */
public record WhisperConfig(int nMels, int sot, int eot, int transcribe, int translate, int sotPrev, int sotLm,
                            int noSpeech, int noTimestamps, int timestampBegin, Map<String, Integer> languages,
                            boolean multilingual, int nTextCtx, int heads, int headDim, int maxInitialTimestampIndex,
                            Set<Integer> suppress, Set<Integer> beginSuppress) {

    /** Reads the folder's configs; {@code melsFromEncoder} is the encoder input's mel dimension (-1 when dynamic). */
    static WhisperConfig read(Path dir, WhisperTokenizer tok, long melsFromEncoder) {
        JsonNode cfg = json(dir.resolve("config.json")), gen = json(dir.resolve("generation_config.json"));
        int sot = tok.special("<|startoftranscript|>"), eot = tok.special("<|endoftext|>");
        int noTs = gen.path("no_timestamps_token_id").asInt(tok.special("<|notimestamps|>"));
        int tsBegin = tok.special("<|0.00|>") >= 0 ? tok.special("<|0.00|>") : noTs + 1;
        Map<String, Integer> langs = new LinkedHashMap<>();
        if (gen.path("lang_to_id").isObject())
            gen.get("lang_to_id").fields().forEachRemaining(e -> langs.put(e.getKey().replace("<|", "").replace("|>", ""), e.getValue().asInt()));
        else langs.putAll(tok.languages());
        int vocab = cfg.path("vocab_size").asInt(-1);
        boolean multi = gen.has("is_multilingual") ? gen.get("is_multilingual").asBoolean()
                : vocab > 0 ? vocab >= 51865 && !langs.isEmpty() : !langs.isEmpty();
        int mels = cfg.path("num_mel_bins").asInt(melsFromEncoder > 0 ? (int) melsFromEncoder : 80);
        if (melsFromEncoder > 0 && mels != melsFromEncoder)
            throw new ModelworkException("config.json says num_mel_bins " + mels + " but the encoder takes " + melsFromEncoder + " mel bins",
                    dir.resolve("config.json").toString(), "use the config.json exported with this encoder");
        int heads = cfg.path("decoder_attention_heads").asInt(-1);
        int headDim = heads > 0 && cfg.has("d_model") ? cfg.get("d_model").asInt() / heads : -1;
        int transcribe = gen.path("task_to_id").path("transcribe").asInt(tok.special("<|transcribe|>"));
        int translate = gen.path("task_to_id").path("translate").asInt(tok.special("<|translate|>"));
        int sotPrev = tok.special("<|startofprev|>"), sotLm = tok.special("<|startoflm|>");
        int noSpeech = tok.special("<|nospeech|>") >= 0 ? tok.special("<|nospeech|>") : tok.special("<|nocaptions|>");
        Set<Integer> suppress = new TreeSet<>();
        if (gen.path("suppress_tokens").isArray()) gen.get("suppress_tokens").forEach(t -> suppress.add(t.asInt()));
        else suppress.addAll(tok.nonSpeechTokens());
        for (int t : new int[]{transcribe, translate, sot, sotPrev, sotLm, noSpeech}) if (t >= 0) suppress.add(t);
        Set<Integer> begin = new TreeSet<>();
        if (gen.path("begin_suppress_tokens").isArray()) gen.get("begin_suppress_tokens").forEach(t -> begin.add(t.asInt()));
        else {
            for (int t : tok.encode(" ")) begin.add(t);
            begin.add(eot);
        }
        return new WhisperConfig(mels, sot, eot, transcribe, translate, sotPrev, sotLm, noSpeech, noTs, tsBegin, langs, multi,
                cfg.path("max_target_positions").asInt(448), heads, headDim, gen.path("max_initial_timestamp_index").asInt(50),
                suppress, begin);
    }

    private static JsonNode json(Path p) {
        if (!Files.isRegularFile(p)) return MissingNode.getInstance();
        try {
            return Json.MAPPER.readTree(p.toFile());
        } catch (Exception e) {
            throw new ModelworkException("Cannot read " + p.getFileName() + ": " + e.getMessage(), p.toString(),
                    "give the file as transformers wrote it, or remove it (the tokenizer's special tokens are used then)");
        }
    }

    /** OpenAI's {@code sot_sequence}: [sot] for English-only models, else [sot, language, task]. */
    int[] sotSequence(String lang, boolean translateTask) {
        if (!multilingual) return new int[]{sot};
        Integer l = languages.get(lang);
        if (l == null) throw new ModelworkException("Whisper has no language '" + lang + "'", "lang=" + lang,
                "use lang=auto or one of " + String.join(", ", new ArrayList<>(languages.keySet()).subList(0, Math.min(20, languages.size())))
                        + (languages.size() > 20 ? ", …" : ""));
        return new int[]{sot, l, translateTask ? translate : transcribe};
    }

    /** Seconds per timestamp token (0.02: Whisper's time precision). */
    static final double TIME_PRECISION = 0.02;
}
