package io.modelwork.asr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;

import java.util.ArrayList;
import java.util.List;

/** What a recogniser heard: the text, its words with times (seconds) and confidences, and n-best alternatives. */
public record Transcript(String text, List<Word> words, List<Alternative> alternatives) {

    /** One recognised word; {@code conf} in [0, 1]. */
    public record Word(String word, double start, double end, double conf) {}

    /** An n-best alternative: its text and the recogniser's confidence score. */
    public record Alternative(String text, double confidence) {}

    public Transcript {
        words = List.copyOf(words);
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }

    /** The words with confidence ≥ {@code threshold}, joined by spaces (what calibrate's threshold keeps). */
    public String textAbove(double threshold) {
        if (threshold <= 0) return text;
        StringBuilder sb = new StringBuilder();
        for (Word w : words) if (w.conf >= threshold) sb.append(sb.isEmpty() ? "" : " ").append(w.word);
        return sb.toString();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("text", text);
        ArrayNode ws = o.putArray("words");
        for (Word w : words) ws.addObject().put("word", w.word).put("start", w.start).put("end", w.end).put("conf", w.conf);
        ArrayNode as = o.putArray("alternatives");
        for (Alternative a : alternatives) as.addObject().put("text", a.text).put("confidence", a.confidence);
        return o;
    }

    public static Transcript fromJson(JsonNode o) {
        List<Word> ws = new ArrayList<>();
        o.path("words").forEach(w -> ws.add(new Word(w.path("word").asText(), w.path("start").asDouble(), w.path("end").asDouble(), w.path("conf").asDouble())));
        List<Alternative> as = new ArrayList<>();
        o.path("alternatives").forEach(a -> as.add(new Alternative(a.path("text").asText(), a.path("confidence").asDouble())));
        return new Transcript(o.path("text").asText(""), ws, as);
    }

    /** Segments' transcripts in order as one. */
    public static Transcript join(List<Transcript> parts) {
        StringBuilder sb = new StringBuilder();
        List<Word> ws = new ArrayList<>();
        for (Transcript t : parts) {
            if (!t.text.isBlank()) sb.append(sb.isEmpty() ? "" : " ").append(t.text.strip());
            ws.addAll(t.words);
        }
        return new Transcript(sb.toString(), ws, parts.size() == 1 ? parts.get(0).alternatives : List.of());
    }
}
