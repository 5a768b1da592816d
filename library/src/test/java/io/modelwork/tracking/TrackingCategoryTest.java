package io.modelwork.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.Progress;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import io.modelwork.tracking.video.VideoSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The tracking category through a Session on 90 PETS frames: reports, annotated video, galleries, export bundle. */
class TrackingCategoryTest {
    @Test void lifecycleOnPets(@TempDir Path tmp) throws Exception {
        TrackingCategory c = new TrackingCategory();
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("seed", 1, "run_dir", tmp.resolve("run").toString(), "threads", 2));
            for (var e : c.example(Assets.root()).entrySet()) {
                if (e.getKey() == Step.TUNE) break;
                s.run(e.getKey(), e.getValue());
            }
            StepReport att = s.report(Step.ATTACH_DATASET).orElseThrow();
            assertEquals(19, att.body().get("gt_ids").asInt());
            assertEquals("msmpeg4", att.body().get("video").get("codec").asText());
            StepReport ev = s.report(Step.EVALUATE).orElseThrow();
            JsonNode test = ev.body().get("metrics").get("test");
            assertEquals(30, test.get("frames").asInt());
            assertTrue(test.get("mota").asDouble() > 0.5, "test MOTA " + test);
            assertTrue(test.get("hota").asDouble() > 0.35, "test HOTA " + test);
            Path mp4 = Path.of(ev.body().get("video").asText());
            try (VideoSource v = VideoSource.open(mp4.toString(), 0)) {
                assertEquals(30, v.read(0).size(), "the annotated video holds the test segment");
            }
            assertFalse(ev.gallery().isEmpty());
            StepReport cal = s.calibrate(Args.empty());
            assertTrue(cal.body().get("validation_hota_after").asDouble() >= cal.body().get("validation_hota_before").asDouble());
            StepReport ex = s.export(Args.empty());
            Path dir = Path.of(ex.body().get("target").asText());
            for (String f : new String[]{"detector.onnx", "pipeline.json", "tracks.txt", "artifact_manifest.json"})
                assertTrue(Files.isRegularFile(dir.resolve(f)), f);
            assertEquals(10, ex.body().get("pipeline").get("tracker").get("max_time_lost_frames").asInt(), "buffer 30 at 10 fps keeps 10 frames");
        }
    }
}
