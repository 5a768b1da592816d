package io.modelwork.asr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A speech dataset: utterances (audio file, reference text or none, speaker, metadata). Read from a folder of audio
 * files with transcripts as {@code <name>.txt} beside them, or from {@code transcripts=FILE} (TSV id…text, or the
 * Sphinx {@code transcription} format, found automatically in the folder as {@code transcription}), or one audio file.
 */
public record AsrDataset(Path root, List<Utterance> utterances, List<String> unmatchedTranscripts) {

    /** One utterance; {@code text} is null when it has no transcript (named in validation, left out of WER). */
    public record Utterance(String id, Path audio, String text, String speaker, List<String> meta) {
        public boolean hasText() { return text != null; }
    }

    public static final Set<String> AUDIO = Set.of("wav", "flac", "mp3", "ogg", "opus", "m4a", "aac", "wma", "aiff", "aif",
            "mp4", "mkv", "avi", "mov", "webm");

    public static boolean isAudio(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && AUDIO.contains(n.substring(dot + 1));
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Reads a dataset: {@code path} a folder or an audio file; {@code transcripts} a file or null. */
    public static AsrDataset read(Path path, Path transcripts) {
        if (!Files.exists(path))
            throw new ModelworkException("Dataset path not found", path.toString(), "give a folder of audio files or one audio file");
        List<Path> audio = new ArrayList<>();
        Path root = Files.isDirectory(path) ? path : path.getParent();
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(Files::isRegularFile).filter(AsrDataset::isAudio).sorted().forEach(audio::add);
            } catch (IOException e) {
                throw new ModelworkException("Cannot list the dataset folder: " + e.getMessage(), path.toString(), "check its permissions");
            }
            if (audio.isEmpty())
                throw new ModelworkException("No audio files in the folder", path.toString(), "put audio files (" + new java.util.TreeSet<>(AUDIO) + ") there");
            if (transcripts == null && Files.isRegularFile(path.resolve("transcription"))) transcripts = path.resolve("transcription");
        } else audio.add(path);
        Map<String, Transcripts.Entry> tr = transcripts == null ? Map.of() : Transcripts.read(transcripts);
        Map<String, Path> byId = new LinkedHashMap<>();
        for (Path a : audio) {
            Path prev = byId.put(stem(a), a);
            if (prev != null) throw new ModelworkException("Two audio files share the name '" + stem(a) + "'", a + ", " + prev,
                    "rename one: transcripts are matched by file name without extension");
        }
        List<Utterance> us = new ArrayList<>();
        for (Map.Entry<String, Path> e : byId.entrySet()) {
            String id = e.getKey();
            Transcripts.Entry t = tr.get(id);
            String text = null, speaker = null;
            List<String> meta = List.of();
            if (t != null) {
                text = t.text();
                meta = t.meta();
                if (!meta.isEmpty()) speaker = meta.get(0);
            } else {
                Path txt = e.getValue().resolveSibling(id + ".txt");
                if (Files.isRegularFile(txt)) {
                    try {
                        text = Files.readString(txt).strip().replaceAll("\\s+", " ");
                    } catch (IOException ex) {
                        throw new ModelworkException("Cannot read the transcript: " + ex.getMessage(), txt.toString(), "check the file");
                    }
                }
            }
            us.add(new Utterance(id, e.getValue(), text, speaker, meta));
        }
        List<String> unmatched = tr.keySet().stream().filter(k -> !byId.containsKey(k)).toList();
        return new AsrDataset(root, List.copyOf(us), unmatched);
    }

    public List<Utterance> withText() { return utterances.stream().filter(Utterance::hasText).toList(); }

    public Utterance byId(String id) {
        for (Utterance u : utterances) if (u.id.equals(id)) return u;
        return null;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("root", root == null ? null : root.toString());
        ArrayNode a = o.putArray("utterances");
        for (Utterance u : utterances) {
            ObjectNode x = a.addObject().put("id", u.id).put("audio", u.audio.toString()).put("text", u.text).put("speaker", u.speaker);
            u.meta.forEach(x.putArray("meta")::add);
        }
        unmatchedTranscripts.forEach(o.putArray("unmatched_transcripts")::add);
        return o;
    }

    public static AsrDataset fromJson(JsonNode o) {
        List<Utterance> us = new ArrayList<>();
        o.path("utterances").forEach(u -> {
            List<String> meta = new ArrayList<>();
            u.path("meta").forEach(m -> meta.add(m.asText()));
            us.add(new Utterance(u.path("id").asText(), Path.of(u.path("audio").asText()),
                    u.path("text").isNull() || u.path("text").isMissingNode() ? null : u.path("text").asText(),
                    u.path("speaker").isNull() || u.path("speaker").isMissingNode() ? null : u.path("speaker").asText(), meta));
        });
        List<String> un = new ArrayList<>();
        o.path("unmatched_transcripts").forEach(x -> un.add(x.asText()));
        return new AsrDataset(o.path("root").isNull() ? null : Path.of(o.path("root").asText()), us, un);
    }
}
