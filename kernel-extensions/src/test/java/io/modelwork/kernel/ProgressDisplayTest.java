package io.modelwork.kernel;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ProgressDisplayTest {
    @Test
    void showsElapsedTimeAndTheEstimatedTimeLeft() {
        assertEquals(" · ETA 9 s", ProgressDisplay.eta(25, 100, 3.0));
        assertEquals("", ProgressDisplay.eta(5, 100, 1.0), "too early to say");
        assertEquals(" · ETA 1.6 min", ProgressDisplay.eta(5, 100, 5.0), "after 2 s an estimate is shown");
        assertEquals("", ProgressDisplay.eta(100, 100, 5.0));
        String text = (String) ProgressDisplay.bundle("tune", 12, 48, "trial 12", false, 3.1).getData(MIMEType.TEXT_PLAIN);
        assertEquals("[tune] 12/48 (25%) · 3.1 s elapsed · ETA 9.3 s trial 12", text);
        String done = (String) ProgressDisplay.bundle("tune", 1, 1, "best rmse 4.1", true, 204).getData(MIMEType.TEXT_PLAIN);
        assertEquals("[tune] done in 3.4 min: best rmse 4.1", done);
        assertEquals("[export] done in 2.1 s", ProgressDisplay.bundle("export", 1, 1, "", true, 2.1).getData(MIMEType.TEXT_PLAIN));
    }

    /** A step without counted progress (export, register, attach of a large file) still shows it is running. */
    @Test
    void stepsWithoutCountedProgressShowElapsedAndAnEtaFromTheirLastRun() {
        var first = ProgressDisplay.runningBundle("export", 1.5, Double.NaN);
        assertEquals("[export] running · 1.5 s elapsed", first.getData(MIMEType.TEXT_PLAIN));
        assertTrue(((String) first.getData(MIMEType.TEXT_HTML)).contains("<progress style"), "indeterminate bar");
        var again = ProgressDisplay.runningBundle("evaluate", 2.0, 6.0);
        assertEquals("[evaluate] running · 2 s elapsed · ETA 4 s (from its last run)", again.getData(MIMEType.TEXT_PLAIN));
        assertTrue(((String) again.getData(MIMEType.TEXT_HTML)).contains("value=\"33\""));
        assertTrue(((String) ProgressDisplay.runningBundle("fit", 9, 6).getData(MIMEType.TEXT_PLAIN)).contains("longer than its last run"));
    }
}
