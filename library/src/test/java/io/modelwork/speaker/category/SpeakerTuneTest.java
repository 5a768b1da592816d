package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * tune of speaker.diarization through the shared tuner: fit on synth_mix, tune scored on the held-out pyannote sample
 * as the validation session (split validation_fraction=0.5, no test set here), over VAD threshold × clustering
 * threshold × method (12 grid points, 8 distinct pipelines, 2 x-vector passes over the sample). Measured: the
 * threshold fit learnt on the mix (0.75) gives validation DER 14.9 %; VAD threshold 0.65 with it gives 14.3 % and is
 * applied (spectral clustering finds one speaker there: 50 %); a second tune over the applied configuration alone is
 * not applied. backtest (sessions in order, expanding window): learnt on the mix, the sample scores DER 14.3 % (the
 * applied VAD 0.65 kept).
 */
class SpeakerTuneTest {
    static final Path DATA = io.modelwork.core.Assets.data("speaker");

    @Test void tuneScoresOnValidationAndAppliesOnlyWhenBetter(@TempDir Path tmp) {
        try (Session s = Session.create(tmp)) {
            s.configure("seed=7 run_dir=" + tmp.resolve("run"));
            s.attachDataset(Args.of("path", DATA.toString(), "rttm",
                    DATA.resolve("synth_mix/mix.rttm") + "," + DATA.resolve("pyannote_sample/sample.rttm")));
            s.prepareData(Args.empty());
            StepReport sp = s.split(Args.of("test_fraction", 0.0, "validation_fraction", 0.5));
            assertEquals("sample", sp.body().get("validation_uris").get(0).asText(), sp.toText());
            assertEquals(1, sp.body().get("train").asInt());
            s.build(Args.of("spec", "speaker.diarization"));
            s.fit(Args.empty());
            StepReport t = s.tune(Args.of("vad_threshold", "0.5,0.65", "threshold", "0.6,0.75,0.9", "method", "ahc,spectral"));
            System.out.println(t.toText());
            JsonNode b = t.body();
            assertEquals("validation", b.get("on").asText());
            assertEquals(12, b.get("tuning_report").get("trials").size());
            assertEquals(8, b.get("distinct_pipelines").asInt());
            double current = b.get("current_der").asDouble(), best = b.get("best_der").asDouble();
            assertTrue(current < 0.17, "validation DER of the fitted pipeline " + current);
            assertEquals(best < current - 1e-12, b.get("applied").asBoolean(), t.toText());
            StepReport ev = s.evaluate(Args.of("on", "validation"));
            assertEquals(b.get("applied").asBoolean() ? best : current, ev.body().get("der").asDouble(), 1e-9, "evaluate scores the kept pipeline");
            JsonNode c = b.get("config");
            StepReport again = s.tune(Args.of("vad_threshold", c.get("vad_threshold").asText(), "threshold", c.get("threshold").asText(),
                    "method", c.get("method").asText()));
            assertFalse(again.body().get("applied").asBoolean(), "the current configuration cannot beat itself");
            // backtest: sessions in order (mix, sample): learnt on the mix, scored on the sample
            StepReport bt = s.backtest(Args.empty());
            System.out.println(bt.toText());
            assertEquals(1, bt.body().get("folds").asInt());
            assertEquals("sample", bt.body().get("order").get(0).asText());
            assertTrue(bt.body().get("der").asDouble() < 0.17, bt.toText());
        }
    }
}
