package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.speaker.metrics.Rttm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Recordings with their reference: audio files found by URI (file name without extension) under {@code path} (a
 * folder, searched two levels deep, or one file), the RTTM turns of one or more files, an optional UEM and an optional
 * URI list (default: the URIs of the RTTM). URIs of the list or RTTM without audio are kept in {@link #missingAudio}.
 */
record SpeakerDataset(Path root, Map<String, Path> audio, Map<String, List<Rttm.Turn>> ref, Map<String, List<double[]>> uem,
                      List<String> uris, List<String> missingAudio) {
    static final Set<String> AUDIO = Set.of("wav", "flac", "mp3", "ogg", "opus", "m4a", "aac", "wma", "webm", "mp4", "sph");

    static boolean isAudio(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.contains(".") && AUDIO.contains(n.substring(n.lastIndexOf('.') + 1));
    }

    static String uri(Path p) {
        String n = p.getFileName().toString();
        return n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n;
    }

    static SpeakerDataset read(Path root, List<Path> rttms, Path uemFile, Path listFile) {
        if (!Files.exists(root)) throw new ModelworkException("No such file or folder", root.toString(), "give path= the audio folder or file");
        Map<String, Path> audio = new TreeMap<>();
        try {
            if (Files.isRegularFile(root)) audio.put(uri(root), root);
            else try (var s = Files.walk(root, 2)) {
                s.filter(Files::isRegularFile).filter(SpeakerDataset::isAudio).sorted().forEach(p -> audio.putIfAbsent(uri(p), p));
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot list the audio: " + e.getMessage(), root.toString(), "check the folder's permissions");
        }
        Map<String, List<Rttm.Turn>> ref = new TreeMap<>();
        for (Path r : rttms) {
            if (!Files.isRegularFile(r)) throw new ModelworkException("No such RTTM file", r.toString(), "give rttm= one or more RTTM files (comma-separated)");
            Rttm.read(r).forEach((k, v) -> ref.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        Map<String, List<double[]>> uem = uemFile == null ? null : Rttm.readUem(uemFile);
        List<String> uris;
        if (listFile != null) {
            try {
                uris = Files.readAllLines(listFile).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).distinct().toList();
            } catch (IOException e) {
                throw new ModelworkException("Cannot read the URI list: " + e.getMessage(), listFile.toString(), "one URI per line");
            }
        } else uris = ref.isEmpty() ? new ArrayList<>(audio.keySet()) : new ArrayList<>(ref.keySet());
        List<String> missing = uris.stream().filter(u -> !audio.containsKey(u)).toList();
        return new SpeakerDataset(root, audio, ref, uem, uris, missing);
    }

    /** URIs with audio, in list order. */
    List<String> usable() { return uris.stream().filter(audio::containsKey).toList(); }

    List<Rttm.Turn> turns(String uri) { return ref.getOrDefault(uri, List.of()); }

    Map<String, List<Rttm.Turn>> refOf(List<String> us) {
        Map<String, List<Rttm.Turn>> m = new LinkedHashMap<>();
        for (String u : us) m.put(u, turns(u));
        return m;
    }

    Map<String, List<double[]>> uemOf(List<String> us) {
        if (uem == null) return null;
        Map<String, List<double[]>> m = new LinkedHashMap<>();
        for (String u : us) if (uem.containsKey(u)) m.put(u, uem.get(u));
        return m;
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("root", root.toString());
        ObjectNode a = o.putObject("audio");
        audio.forEach((k, v) -> a.put(k, v.toString()));
        ObjectNode r = o.putObject("ref");
        ref.forEach((k, v) -> {
            ArrayNode t = r.putArray(k);
            for (Rttm.Turn x : v) t.addArray().add(x.start()).add(x.end()).add(x.speaker()).add(x.line());
        });
        if (uem != null) {
            ObjectNode u = o.putObject("uem");
            uem.forEach((k, v) -> { ArrayNode t = u.putArray(k); for (double[] x : v) t.addArray().add(x[0]).add(x[1]); });
        }
        uris.forEach(o.putArray("uris")::add);
        missingAudio.forEach(o.putArray("missing_audio")::add);
        return o;
    }

    static SpeakerDataset fromJson(JsonNode o) {
        Map<String, Path> audio = new TreeMap<>();
        o.path("audio").fields().forEachRemaining(e -> audio.put(e.getKey(), Path.of(e.getValue().asText())));
        Map<String, List<Rttm.Turn>> ref = new TreeMap<>();
        o.path("ref").fields().forEachRemaining(e -> {
            List<Rttm.Turn> l = new ArrayList<>();
            e.getValue().forEach(t -> l.add(new Rttm.Turn(e.getKey(), t.get(0).asDouble(), t.get(1).asDouble(), t.get(2).asText(), t.get(3).asInt())));
            ref.put(e.getKey(), l);
        });
        Map<String, List<double[]>> uem = null;
        if (o.has("uem")) {
            uem = new TreeMap<>();
            Map<String, List<double[]>> u = uem;
            o.get("uem").fields().forEachRemaining(e -> {
                List<double[]> l = new ArrayList<>();
                e.getValue().forEach(t -> l.add(new double[]{t.get(0).asDouble(), t.get(1).asDouble()}));
                u.put(e.getKey(), l);
            });
        }
        List<String> uris = new ArrayList<>(), missing = new ArrayList<>();
        o.path("uris").forEach(x -> uris.add(x.asText()));
        o.path("missing_audio").forEach(x -> missing.add(x.asText()));
        return new SpeakerDataset(Path.of(o.path("root").asText(".")), audio, ref, uem, uris, missing);
    }
}
