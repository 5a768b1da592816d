package io.modelwork.asr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.audio.AudioProfile;
import io.modelwork.audio.SileroVad;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.metrics.WordErrorRate;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** attach_dataset, prepare_data, split, build and fit of the ASR category. */
final class AsrSteps {
    private AsrSteps() {}

    static StepReport attach(AsrState s, Args a, StepContext ctx) {
        Path path = Path.of(a.requireString("path", "give path=FOLDER (audio files + <name>.txt or a transcription file) or path=FILE.wav"));
        Path tr = a.has("transcripts") ? Path.of(a.getString("transcripts", null)) : null;
        AsrDataset d = AsrDataset.read(path, tr);
        s.dataset = d;
        s.excluded.clear();
        s.profiles.removeAll();
        s.cache.clear();
        Table t = Table.create("audio profile");
        StringColumn id = StringColumn.create("id"), codec = StringColumn.create("codec"), issues = StringColumn.create("issues");
        IntColumn rate = IntColumn.create("sample_rate"), ch = IntColumn.create("channels");
        DoubleColumn dur = DoubleColumn.create("duration_s"), rms = DoubleColumn.create("rms_dbfs"), clip = DoubleColumn.create("clipped_fraction");
        double total = 0;
        int i = 0;
        for (AsrDataset.Utterance u : d.utterances()) {
            ctx.progress().update("attach_dataset", ++i, d.utterances().size(), u.id());
            List<String> problems = new ArrayList<>(), warnings = new ArrayList<>();
            AudioProfile p = null;
            try {
                p = AudioDecoder.profile(u.audio());
                problems.addAll(p.problems());
                warnings.addAll(p.warnings());
                s.profiles.add(p.toJson().put("id", u.id()));
                total += p.durationSeconds();
            } catch (ModelworkException e) {
                problems.add("unreadable: " + e.what());
            }
            if (!problems.isEmpty()) s.excluded.put(u.id(), String.join("; ", problems));
            if (!u.hasText()) warnings.add("no transcript (left out of WER)");
            id.append(u.id());
            codec.append(p == null ? "?" : p.format() + "/" + p.codec());
            rate.append(p == null ? 0 : p.sampleRate());
            ch.append(p == null ? 0 : p.channels());
            dur.append(p == null ? 0 : p.durationSeconds());
            rms.append(p == null ? Double.NaN : p.rmsDbfs());
            clip.append(p == null ? Double.NaN : p.clippedFraction());
            List<String> all = new ArrayList<>(problems);
            all.addAll(warnings);
            issues.append(String.join("; ", all));
        }
        t.addColumns(id, codec, rate, ch, dur, rms, clip, issues);
        long usable = d.utterances().stream().filter(u -> !s.excluded.containsKey(u.id())).count();
        if (usable == 0)
            throw new ModelworkException("No usable audio: every file is unreadable, empty or silent", path.toString(),
                    "check the files: " + s.excluded);
        List<String> noText = d.utterances().stream().filter(u -> !u.hasText()).map(AsrDataset.Utterance::id).toList();
        StepReport r = new StepReport("attach_dataset", "Speech dataset: " + d.utterances().size() + " utterances, "
                + String.format("%.1f s", total));
        ObjectNode b = r.body();
        b.put("category", "asr").put("path", path.toString()).put("utterances", d.utterances().size())
                .put("with_transcript", d.withText().size()).put("usable", usable).put("duration_s", total);
        b.set("profiles", s.profiles);
        ObjectNode v = b.putObject("validation");
        noText.forEach(v.putArray("without_transcript")::add);
        ObjectNode ex = v.putObject("excluded");
        s.excluded.forEach(ex::put);
        d.unmatchedTranscripts().forEach(v.putArray("transcripts_without_audio")::add);
        r.table(t);
        if (!noText.isEmpty()) r.note(noText.size() + " file(s) without a transcript are left out of WER: " + noText);
        if (!s.excluded.isEmpty()) r.note("left out: " + s.excluded);
        if (!d.unmatchedTranscripts().isEmpty()) r.note("transcripts without audio: " + d.unmatchedTranscripts());
        int g = a.getInt("gallery", 12);
        List<GalleryItem> items = new ArrayList<>();
        for (AsrDataset.Utterance u : d.utterances()) {
            if (items.size() >= g) break;
            items.add(new GalleryItem(u.id(), u.text() == null ? "" : u.text(), "", 0, Map.of(), u.audio().toString(), "audio/wav"));
        }
        r.gallery(items);
        return r;
    }

    static StepReport prepare(AsrState s, Args a, StepContext ctx) {
        s.vad = a.getString("vad", "auto");
        s.segLen = a.getDouble("seg_len", 30);
        s.vadConfig = new SileroVad.Config(a.getDouble("vad_threshold", 0.5), Double.NaN, a.getInt("min_speech_ms", 250),
                a.getInt("min_silence_ms", 100), a.getInt("speech_pad_ms", 30), Double.POSITIVE_INFINITY);
        s.cache.clear();
        StepReport r = new StepReport("prepare_data", "Audio: 16 kHz mono by FFmpeg; VAD " + s.vad + ", segments ≤ " + s.segLen + " s");
        r.body().set("settings", s.settingsJson());
        r.body().put("lang", a.getString("lang", "en"));
        r.note("every file is decoded by FFmpeg, downmixed and resampled to 16 kHz mono by libswresample");
        r.note(switch (s.vad) {
            case "on" -> "every clip is split at pauses by Silero VAD v5 before recognition";
            case "off" -> "clips go to the recogniser whole (no VAD)";
            default -> "clips longer than seg_len are split at pauses by Silero VAD v5; shorter ones go whole";
        });
        return r;
    }

    static StepReport split(AsrState s, Args a, StepContext ctx) {
        double frac = a.getDouble("test_fraction", 0.5);
        String by = a.getString("by", "auto");
        List<AsrDataset.Utterance> us = s.dataset.utterances().stream().filter(u -> !s.excluded.containsKey(u.id())).toList();
        boolean speakers = us.stream().allMatch(u -> u.speaker() != null && !u.speaker().isBlank());
        if (by.equals("speaker") && !speakers)
            throw new ModelworkException("Not every utterance has a speaker id", "split by=speaker",
                    "give transcripts as a TSV with the speaker in the second column (id<TAB>speaker<TAB>text), or use by=utterance");
        boolean bySpeaker = by.equals("speaker") || (by.equals("auto") && speakers);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (AsrDataset.Utterance u : us) groups.computeIfAbsent(bySpeaker ? u.speaker() : u.id(), k -> new ArrayList<>()).add(u.id());
        List<String> keys = new ArrayList<>(groups.keySet());
        Collections.shuffle(keys, new Random(ctx.run().seedFor("asr.split")));
        s.train.clear();
        s.test.clear();
        long want = Math.round(frac * us.size());
        for (String k : keys) (s.test.size() < want ? s.test : s.train).addAll(groups.get(k));
        StepReport r = new StepReport("split", "Split " + s.train.size() + " train / " + s.test.size() + " test"
                + (bySpeaker ? " by speaker (" + groups.size() + " speakers)" : " by utterance"));
        r.body().put("train", s.train.size()).put("test", s.test.size()).put("by", bySpeaker ? "speaker" : "utterance");
        s.train.forEach(r.body().putArray("train_ids")::add);
        s.test.forEach(r.body().putArray("test_ids")::add);
        return r;
    }

    static StepReport build(AsrState s, Args a, StepContext ctx) {
        String spec = a.getString("spec", "asr.vosk");
        if (!spec.equals("asr.vosk") && !spec.equals("asr.whisper"))
            throw new ModelworkException("Unknown ASR spec '" + spec + "'", "build spec", "use asr.vosk or asr.whisper");
        int alts = a.getInt("alternatives", 0);
        String model = a.getString("model", null);
        String lang = a.getString("lang", "auto");
        if (spec.equals("asr.vosk") && !lang.equals("auto") && !lang.equals("en"))
            throw new ModelworkException("The Vosk model is English; it cannot recognise lang=" + lang, "build lang=" + lang,
                    "use lang=en (or leave it out), or spec=asr.whisper model=DIR for a multilingual Whisper export");
        com.fasterxml.jackson.databind.node.ObjectNode args = io.modelwork.core.Json.object();
        args.put("beam", a.getDouble("beam", 0.0)).put("patience", a.getDouble("patience", 1.0)).put("lang", a.getString("lang", "auto"))
                .put("task", a.getString("task", "transcribe")).put("timestamps", a.getBool("timestamps", true))
                .put("prompt", a.getString("prompt", "")).put("threads", a.getInt("threads", 2))
                .put("fallback", a.getBool("fallback", true)).put("seed", ctx.run().seedFor("asr.whisper"));
        AsrEngine e = AsrCategory.createEngine(spec, alts, model, args); // fails with what is missing for asr.whisper
        s.spec = spec;
        s.alternatives = alts;
        s.modelPath = model;
        s.engineArgs = args;
        s.setEngine(e);
        StepReport r = new StepReport("build", "Built " + spec);
        r.body().put("spec", spec).set("model", e.modelReference());
        r.body().set("engine_args", args);
        if (e instanceof io.modelwork.asr.whisper.WhisperEngine w)
            r.note("Whisper (" + w.decoderKind() + " decoder), " + (args.get("beam").asDouble() > 1 ? "beam " + (int) args.get("beam").asDouble() : "greedy")
                    + (args.get("fallback").asBoolean() ? ", temperature fallback 0.2…1.0 (seeded)" : ", temperature 0 only")
                    + "; its transcription quality is untested here (no Whisper weights on the build machines)");
        else if (args.get("beam").asDouble() > 0)
            r.note("Vosk decodes with Kaldi beam " + args.get("beam").asDouble() + " (default " + VoskEngine.DEFAULT_BEAM + ")");
        return r;
    }

    static StepReport fit(AsrState s, Args a, StepContext ctx) {
        List<AsrDataset.Utterance> us = s.utterances(s.train);
        List<String> refs = new ArrayList<>(), hyps = new ArrayList<>();
        int i = 0;
        long t0 = System.nanoTime();
        double audio = 0;
        for (AsrDataset.Utterance u : us) {
            ctx.progress().update("fit", ++i, us.size(), u.id());
            Transcript t = s.transcribe(u);
            if (u.hasText()) { refs.add(u.text()); hyps.add(t.text()); }
        }
        for (var p : s.profiles) if (s.train.contains(p.path("id").asText())) audio += p.path("duration_s").asDouble();
        StepReport r = new StepReport("fit", "No acoustic training: transcribed the " + us.size() + " training utterances (cached)");
        r.body().put("trained", false).put("cached_transcripts", us.size()).put("seconds_of_audio", audio)
                .put("real_time_factor", audio > 0 ? (System.nanoTime() - t0) / 1e9 / audio : 0);
        if (!refs.isEmpty()) {
            WordErrorRate.Result res = WordErrorRate.corpus(refs, hyps, WordErrorRate.Normalize.BASIC);
            r.body().putObject("metrics").putObject("train").put("wer", res.wer()).put("cer", res.cer());
        }
        r.note("fit does not train the acoustic or language model: it runs the recogniser over the training set and caches the "
                + "transcripts, which calibrate (word-confidence threshold) and evaluate on=train reuse; the vocabulary is not adapted "
                + "(Vosk's is fixed by its compiled graph; asr.whisper takes domain words through build prompt=)");
        return r;
    }
}
