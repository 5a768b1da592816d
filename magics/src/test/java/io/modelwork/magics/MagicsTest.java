package io.modelwork.magics;

import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.*;

class MagicsTest {
    /** A data file: Assets.data when it exists, else shared/data found upwards from here (git worktrees). */
    static Path data(String rel) {
        Path p = Assets.data(rel);
        if (java.nio.file.Files.exists(p)) return p;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("shared/data").resolve(rel);
            if (java.nio.file.Files.exists(c)) return c;
        }
        return p;
    }

    @AfterEach
    void close() {
        if (Magics.hasSession()) Magics.close("");
    }

    @Test
    void foundByServiceLoaderWithOneMagicPerStep() {
        MagicSet set = ServiceLoader.load(MagicSet.class).findFirst().orElseThrow();
        Map<String, LineMagic> line = set.lineMagics();
        for (String m : new String[]{"configure", "attach", "prepare", "split", "build", "fit", "evaluate", "tune", "backtest",
                "calibrate", "checkpoint", "resume", "export", "register", "artifacts", "close", "session", "help"})
            assertTrue(line.containsKey(m), m);
        assertTrue(set.cellMagics().containsKey("recipe"));
        assertEquals(set.lineMagics().size() + set.cellMagics().size(), set.help().size());
    }

    @Test
    void helpHasOneLinePerMagic() throws Exception {
        Magics m = new Magics();
        String help = (String) m.lineMagics().get("help").run("");
        assertEquals(m.help().size() + 1, help.lines().count());
        assertTrue(help.contains("%%recipe"));
    }

    @Test
    void mistypedKeyListsTheValidKeys(@TempDir Path tmp) {
        Magics.useSession(Session.create(tmp));
        ModelworkException e = assertThrows(ModelworkException.class, () -> Magics.runStep("configure", "sed=3"));
        assertTrue(e.fix().contains("seed"), e.getMessage());
        assertTrue(e.where().contains("sed=3") || e.getMessage().contains("sed"), e.getMessage());
    }

    @Test
    void stepsRunOnTheOneSessionAndCloseForgetsIt(@TempDir Path tmp) throws Exception {
        Magics.useSession(Session.create(tmp));
        Session s = Magics.session();
        assertSame(s, Magics.session());
        Object r = Magics.runStep("configure", "seed=7 run_dir=" + tmp.resolve("run"));
        assertInstanceOf(StepReport.class, r);
        StepReport a = (StepReport) Magics.runStep("attach",
                "path=" + data("regression/modeldata_concrete.csv") + " target=compressive_strength");
        assertEquals("attach_dataset", a.step());
        assertInstanceOf(StepReport.class, Magics.status(""));
        assertThrows(ModelworkException.class, () -> Magics.close("now"));
        Magics.close("");
        assertFalse(Magics.hasSession());
    }

    @Test
    void recipeNeedsABody() {
        assertThrows(ModelworkException.class, () -> Magics.recipe("", "  "));
    }
}
