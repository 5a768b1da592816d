package io.modelwork.anomaly;

import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.recipe.Recipe;
import io.modelwork.spi.Categories;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The example recipe passes the pre-check against the anomaly category's declared keys; a typo is caught. */
class AnomalyRecipeTest {
    static final Path EXAMPLE = Path.of("../examples/anomaly-magnetic-tile.yaml");

    @Test
    void exampleRecipeChecksAndTyposAreCaught() throws Exception {
        String text = Files.readString(EXAMPLE).replace("../../shared/data/anomaly/magnetic-tile",
                MagneticTileSubset.source().toString());
        Recipe r = Recipe.parse(text, EXAMPLE.toString(), EXAMPLE.getParent());
        assertNotNull(r);
        assertEquals("anomaly", Categories.forSpec("anomaly.patchcore").name());
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> Recipe.parse(text.replace("coreset_ratio: 0.01", "coreset_ration: 0.01"), "typo.yaml", EXAMPLE.getParent()));
        assertTrue(e.getMessage().contains("coreset_ratio"), e.getMessage());
        assertTrue(new AnomalyCategory().options(Step.BUILD).has("coreset_ratio"));
    }
}
