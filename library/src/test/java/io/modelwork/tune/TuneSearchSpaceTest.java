package io.modelwork.tune;

import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TuneSearchSpaceTest {

    @Test
    void parsesTheMagicLineSyntaxInOrder() {
        SearchSpace s = SearchSpace.parse("max_depth=3|6|9 eta=log:0.01..0.3 min_child_weight=int:1..10 subsample=0.5..1.0"
                + " rounds=10..20 booster=gbtree objective=reg:squarederror|reg:logistic lambda=uniform:0..2 flag=choice:true|false");
        assertEquals(List.of("max_depth", "eta", "min_child_weight", "subsample", "rounds", "booster", "objective", "lambda", "flag"),
                s.names());
        assertEquals(new Param.Choice(List.of(3, 6, 9)), s.param("max_depth"));
        assertEquals(new Param.LogUniform(0.01, 0.3), s.param("eta"));
        assertEquals(new Param.IntRange(1, 10), s.param("min_child_weight"));
        assertEquals(new Param.Uniform(0.5, 1.0), s.param("subsample"));
        assertEquals(new Param.IntRange(10, 20), s.param("rounds"));
        assertEquals(new Param.Choice(List.of("gbtree")), s.param("booster"));
        assertEquals(new Param.Choice(List.of("reg:squarederror", "reg:logistic")), s.param("objective"));
        assertEquals(new Param.Uniform(0, 2), s.param("lambda"));
        assertEquals(new Param.Choice(List.of(true, false)), s.param("flag"));
        assertEquals(s, SearchSpace.parse(s.toString()), "toString is parseable back");
    }

    @Test
    void parsesRecipeMaps() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("max_depth", List.of(3, 6, 9));
        spec.put("min_child_weight", Map.of("int", List.of(1, 10)));
        spec.put("subsample", Map.of("uniform", List.of(0.5, 1.0)));
        spec.put("eta", Map.of("log_uniform", List.of(0.01, 0.3)));
        spec.put("booster", Map.of("choice", List.of("gbtree", "dart")));
        spec.put("gamma", "log:0.001..1");
        spec.put("seed", 7);
        SearchSpace s = SearchSpace.parse(spec);
        assertEquals(List.copyOf(spec.keySet()), s.names());
        assertEquals(new Param.Choice(List.of(3, 6, 9)), s.param("max_depth"));
        assertEquals(new Param.IntRange(1, 10), s.param("min_child_weight"));
        assertEquals(new Param.Uniform(0.5, 1.0), s.param("subsample"));
        assertEquals(new Param.LogUniform(0.01, 0.3), s.param("eta"));
        assertEquals(new Param.Choice(List.of("gbtree", "dart")), s.param("booster"));
        assertEquals(new Param.LogUniform(0.001, 1), s.param("gamma"));
        assertEquals(new Param.Choice(List.of(7)), s.param("seed"));
    }

    @Test
    void parseErrorsNameTheKeyAndListTheValidForms() {
        assertKeyError("eta", () -> SearchSpace.parse("max_depth=3|6 eta=log:0..0.3"));
        assertKeyError("sub", () -> SearchSpace.parse("sub=1.0..0.5"));
        assertKeyError("depth", () -> SearchSpace.parse("depth=int:1..x"));
        assertKeyError("depth", () -> SearchSpace.parse("depth=3||6"));
        assertKeyError("lr", () -> SearchSpace.parse("lr=0.1..abc"));
        assertKeyError("depth", () -> SearchSpace.parse(Map.of("depth", Map.of("int", List.of(1)))));
        assertKeyError("depth", () -> SearchSpace.parse(Map.of("depth", Map.of("int", List.of(1.5, 3)))));
        assertKeyError("x", () -> SearchSpace.parse(Map.of("x", Map.of("normal", List.of(0, 1)))));
        assertKeyError("x", () -> SearchSpace.parse(Map.of("x", List.of())));
        assertKeyError("x", () -> SearchSpace.parse(Map.of("x", Map.of("log_uniform", List.of(-1, 1)))));
        ModelworkException e = assertThrows(ModelworkException.class, () -> SearchSpace.parse("max_depth=3 oops"));
        assertTrue(e.where().contains("oops"), e.getMessage());
        e = assertThrows(ModelworkException.class, () -> SearchSpace.parse("a=1 a=2"));
        assertTrue(e.where().contains("'a'"), e.getMessage());
        assertThrows(ModelworkException.class, () -> SearchSpace.parse(""));
    }

    private static void assertKeyError(String key, Runnable r) {
        ModelworkException e = assertThrows(ModelworkException.class, r::run);
        assertTrue(e.where().contains("'" + key + "'"), "where names the key: " + e.getMessage());
        assertTrue(e.what().contains("'" + key + "'"), "what names the key: " + e.getMessage());
        assertTrue(e.fix().contains("log:0.01..0.3") && e.fix().contains("int:1..10"), "fix lists the forms: " + e.fix());
    }

    @Test
    void samplesStayInRange() {
        SearchSpace s = SearchSpace.builder().intRange("d", 2, 4).uniform("u", -1, 1).logUniform("l", 1e-3, 1).choice("c", "a", "b").build();
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> p = s.sample(rnd);
            int d = (Integer) p.get("d");
            double u = (Double) p.get("u");
            double l = (Double) p.get("l");
            assertTrue(d >= 2 && d <= 4 && u >= -1 && u <= 1 && l >= 1e-3 && l <= 1, p.toString());
            assertTrue(List.of("a", "b").contains(p.get("c")));
        }
    }
}
