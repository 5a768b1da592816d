package io.modelwork.session;

import io.modelwork.core.Progress;
import io.modelwork.core.Step;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StepHeartbeatTest {
    static final class Recorder implements Progress {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Double> expected = Collections.synchronizedList(new ArrayList<>());
        @Override public void update(String step, int done, int total, String message) { events.add("update " + step); }
        @Override public void finished(String step, String message) { events.add("finished " + step); }
        @Override public void running(String step, double elapsedS, double expectedS) {
            events.add("running " + step);
            expected.add(expectedS);
            assertTrue(elapsedS >= 1.0, "shown only after a second: " + elapsedS);
        }
    }

    @Test
    void aStepWithoutItsOwnProgressShowsElapsedAndNextTimeAnEta() throws Exception {
        StepHeartbeat.Clock clock = new StepHeartbeat.Clock();
        Recorder p = new Recorder();
        try (StepHeartbeat hb = clock.start(p, Step.EXPORT)) { Thread.sleep(1700); }
        assertTrue(p.events.contains("running export"), p.events.toString());
        assertEquals("finished export", p.events.get(p.events.size() - 1), "the display ends with the total time");
        assertTrue(Double.isNaN(p.expected.get(0)), "no ETA the first time");
        p.events.clear();
        p.expected.clear();
        try (StepHeartbeat hb = clock.start(p, Step.EXPORT)) { Thread.sleep(1300); }
        assertTrue(p.expected.get(0) >= 1.6, "the ETA comes from the last export's duration: " + p.expected);
    }

    @Test
    void aQuickStepShowsNothingAndCountedProgressTakesOver() throws Exception {
        StepHeartbeat.Clock clock = new StepHeartbeat.Clock();
        Recorder p = new Recorder();
        try (StepHeartbeat hb = clock.start(p, Step.REGISTER)) { Thread.sleep(200); }
        assertTrue(p.events.isEmpty(), "under a second: no display " + p.events);
        try (StepHeartbeat hb = clock.start(p, Step.FIT)) {
            hb.update("fit", 1, 10, "round 1");
            Thread.sleep(1500);
        }
        assertEquals(List.of("update fit"), p.events, "the handler's own counted progress (with its ETA) replaces the heartbeat");
    }
}
