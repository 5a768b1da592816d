package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Utterances labelled by speaker, for {@code speaker.verification}. The speaker of an audio file under {@code root}
 * comes from, in this order: {@code labels=FILE} (lines {@code file<TAB or comma>speaker}, the file relative to the
 * root, {@code #} comments), the first sub-folder under the root ({@code root/<speaker>/…/x.wav}, as VoxCeleb and
 * LibriSpeech are laid out), or the file name up to its last {@code _} ({@code en-gb_m3_10.wav} → {@code en-gb_m3}).
 * The utterance id is the path relative to the root without its extension.
 */
record SpeakerUtterances(Path root, Map<String, Path> audio, Map<String, String> speaker) {

    static SpeakerUtterances read(Path root, Path labels) {
        if (!Files.isDirectory(root))
            throw new ModelworkException("No such folder", root.toString(), "give path= a folder of utterances (root/<speaker>/x.wav or <speaker>_<n>.wav)");
        Map<String, Path> audio = new TreeMap<>();
        Map<String, String> spk = new LinkedHashMap<>();
        List<Path> files;
        try (var s = Files.walk(root, 4)) {
            files = s.filter(Files::isRegularFile).filter(SpeakerDataset::isAudio).sorted().toList();
        } catch (IOException e) {
            throw new ModelworkException("Cannot list the utterances: " + e.getMessage(), root.toString(), "check the folder's permissions");
        }
        for (Path f : files) {
            String rel = root.relativize(f).toString().replace('\\', '/');
            audio.put(rel.substring(0, rel.lastIndexOf('.')), f);
        }
        if (labels != null) {
            Map<String, String> byFile = new LinkedHashMap<>();
            List<String> lines;
            try { lines = Files.readAllLines(labels); } catch (IOException e) {
                throw new ModelworkException("Cannot read the labels: " + e.getMessage(), labels.toString(), "lines of file<TAB>speaker");
            }
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                String[] p = l.split("[\t,]", 2);
                if (p.length < 2 || p[0].isBlank() || p[1].isBlank())
                    throw new ModelworkException("Malformed label line: '" + l + "'", labels + ":" + (i + 1), "write file<TAB>speaker (or file,speaker)");
                String id = p[0].strip().replace('\\', '/');
                if (id.contains(".")) id = id.substring(0, id.lastIndexOf('.'));
                byFile.put(id, p[1].strip());
            }
            for (String id : audio.keySet()) if (byFile.containsKey(id)) spk.put(id, byFile.get(id));
            List<String> missing = byFile.keySet().stream().filter(k -> !audio.containsKey(k)).toList();
            if (!missing.isEmpty() && spk.isEmpty())
                throw new ModelworkException("None of the labelled files is under the folder (e.g. '" + missing.get(0) + "')", labels.toString(),
                        "name the files relative to path= (" + root + ")");
        } else {
            for (String id : audio.keySet()) {
                String s = id.contains("/") ? id.substring(0, id.indexOf('/')) : id.contains("_") ? id.substring(0, id.lastIndexOf('_')) : null;
                if (s == null)
                    throw new ModelworkException("Cannot tell the speaker of '" + id + "'", audio.get(id).toString(),
                            "put each speaker's files in a sub-folder named after them, name them <speaker>_<n>.wav, or give labels=FILE");
                spk.put(id, s);
            }
        }
        if (spk.isEmpty())
            throw new ModelworkException("No labelled audio under the folder", root.toString(), "give path= a folder of .wav/.flac utterances");
        audio.keySet().retainAll(spk.keySet());
        return new SpeakerUtterances(root, audio, spk);
    }

    /** Speaker → utterance ids, speakers sorted. */
    Map<String, List<String>> bySpeaker() {
        Map<String, List<String>> m = new TreeMap<>();
        speaker.forEach((id, s) -> m.computeIfAbsent(s, k -> new ArrayList<>()).add(id));
        return m;
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("root", root.toString());
        ObjectNode a = o.putObject("utterances");
        audio.forEach((k, v) -> a.putObject(k).put("path", v.toString()).put("speaker", speaker.get(k)));
        return o;
    }

    static SpeakerUtterances fromJson(JsonNode o) {
        Map<String, Path> audio = new TreeMap<>();
        Map<String, String> spk = new LinkedHashMap<>();
        o.path("utterances").fields().forEachRemaining(e -> {
            audio.put(e.getKey(), Path.of(e.getValue().path("path").asText()));
            spk.put(e.getKey(), e.getValue().path("speaker").asText());
        });
        return new SpeakerUtterances(Path.of(o.path("root").asText(".")), audio, spk);
    }
}
