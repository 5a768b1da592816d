package io.modelwork.spi;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** How the session's category is chosen: task=, then the spec, then the data; a tie is an error naming both. */
class CategoryChoiceTest {

    /** A category that only recognises data (its steps are never run here). */
    record Probe(String name, int score) implements Category<CategoryState> {
        @Override public String description() { return name; }
        @Override public Set<String> tasks() { return Set.of(name); }
        @Override public Map<String, String> specs() { return Map.of(name + ".x", "probe"); }
        @Override public int recognise(Args a) { return score; }
        @Override public CategoryState newState(StepContext ctx) { return null; }
        @Override public Options options(Step step) { return Options.none(); }
        @Override public StepHandler<CategoryState> handler(Step step) { return null; }
    }

    @Test
    void highestScoreWinsAndATieNamesBoth() {
        Args a = Args.of("path", "x.bin");
        assertEquals("b", Categories.byData(List.of(new Probe("a", Category.FALLBACK), new Probe("b", Category.RECOGNISED)), a).name());
        ModelworkException tie = assertThrows(ModelworkException.class, () -> Categories.byData(
                List.of(new Probe("a", Category.RECOGNISED), new Probe("b", Category.RECOGNISED), new Probe("c", 0)), a));
        assertTrue(tie.what().contains("[a, b]"), tie.what());
        assertTrue(tie.fix().contains("task="), tie.fix());
        // the order of the candidates (a services file) does not matter
        ModelworkException tie2 = assertThrows(ModelworkException.class, () -> Categories.byData(
                List.of(new Probe("b", Category.RECOGNISED), new Probe("a", Category.RECOGNISED)), a));
        assertTrue(tie2.what().contains("b") && tie2.what().contains("a"));
        ModelworkException none = assertThrows(ModelworkException.class, () -> Categories.byData(List.of(new Probe("a", 0)), a));
        assertTrue(none.what().contains("No category"));
    }

    @Test
    void taskAndSpecChooseExplicitly() {
        assertEquals("tabular", Categories.choose(Args.of("path", "x.csv", "task", "regression"), null).name());
        assertEquals("forecasting", Categories.choose(Args.of("path", "x.csv", "task", "forecasting"), null).name());
        assertEquals("optimization", Categories.choose(Args.of("path", "x.csv"), "optimization.routing.tsp").name());
        ModelworkException bad = assertThrows(ModelworkException.class, () -> Categories.choose(Args.of("task", "regresion"), null));
        assertTrue(bad.fix().contains("did you mean 'regression'"), bad.fix());
        // every category lists its specs with a description, for bin/modelwork specs and the unknown-spec error
        assertTrue(Categories.specs().size() >= 14, Categories.specs().toString());
        ModelworkException unknown = assertThrows(ModelworkException.class, () -> Categories.forSpec("anomaly.patchcorr"));
        assertTrue(unknown.fix().contains("anomaly.patchcore"), unknown.fix());
    }
}
