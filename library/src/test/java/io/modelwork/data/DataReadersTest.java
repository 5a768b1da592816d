package io.modelwork.data;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.RunContext;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The readers (CSV, TSV, ARFF, libsvm), the fingerprint, the profile and the validation report on real data. */
class DataReadersTest {

    static Attach.Result attach(Object... kv) { return Attach.attach(Args.of(kv), null); }

    @Test
    void csvTsvAndArffOfTheSameDataHaveTheSameFingerprint(@TempDir Path tmp) throws Exception {
        Path csv = Assets.data("classification/iris.csv");
        List<String> lines = Files.readAllLines(csv);
        Path tsv = tmp.resolve("iris.tsv");
        Files.write(tsv, lines.stream().map(l -> l.replace(',', '\t')).toList());
        String[] header = lines.get(0).split(",");
        StringBuilder arff = new StringBuilder("% iris as ARFF\n@relation iris\n");
        for (int i = 0; i < header.length - 1; i++) arff.append("@attribute '").append(header[i]).append("' numeric\n");
        arff.append("@attribute species {setosa,versicolor,virginica}\n@data\n");
        lines.subList(1, lines.size()).forEach(l -> arff.append(l).append('\n'));
        Path arffFile = tmp.resolve("iris.arff");
        Files.writeString(arffFile, arff);

        Dataset a = attach("path", csv.toString(), "target", "species").dataset();
        Dataset b = attach("path", tsv.toString(), "target", "species").dataset();
        Dataset c = attach("path", arffFile.toString(), "target", "species").dataset();
        assertEquals(150, a.rows());
        assertEquals(Dataset.Task.CLASSIFICATION, a.task());
        assertEquals(a.fingerprint(), b.fingerprint());
        assertEquals(a.fingerprint(), c.fingerprint());
        assertEquals(a.fingerprint(), attach("path", csv.toString(), "target", "species").dataset().fingerprint(),
                "stable across runs");
        // a different schema (roles) gives a different fingerprint
        assertNotEquals(a.fingerprint(), attach("path", csv.toString(), "target", "species",
                "ignore", header[0]).dataset().fingerprint());
    }

    @Test
    void libsvmTrainAndTestFilesAreAligned() {
        Dataset d = attach("path", Assets.data("classification/xgb_agaricus.txt.train").toString(),
                "test_path", Assets.data("classification/xgb_agaricus.txt.test").toString()).dataset();
        assertEquals(6513, d.rows());
        assertEquals(1611, d.testTable().rowCount());
        assertEquals(d.table().columnNames(), d.testTable().columnNames());
        assertEquals(Dataset.Task.CLASSIFICATION, d.task());
    }

    @Test
    void profileAndValidationOnCreditData() {
        StepReport r = attach("path", Assets.data("classification/modeldata_credit_data.csv").toString(), "target", "Status").report();
        var profile = r.body().get("profile");
        assertEquals(14, profile.size());
        boolean missingFound = false;
        for (var row : profile) if (row.get("missing").asInt() > 0) missingFound = true;
        assertTrue(missingFound, "credit_data has missing values");
        assertEquals(2, r.body().get("class_balance").size());
        assertEquals(64, r.body().get("fingerprint").asText().length());
    }

    @Test
    void cudaFallsBackToCpuWithANoteWhenNoGpuIsVisible(@TempDir Path tmp) {
        RunContext c = RunContext.configure(Args.of("device", "cuda", "run_dir", tmp.toString()), tmp);
        if (RunContext.gpuPresent()) {
            assertEquals("cuda", c.device());
        } else {
            assertEquals("cpu", c.device());
            assertTrue(c.notes().get(0).contains("falling back to CPU"), c.notes().toString());
        }
        assertEquals(c.seedFor("split"), RunContext.configure(Args.of("run_dir", tmp.toString()), tmp).seedFor("split"));
    }

    @Test
    void aValueBeyondTheTypeSampleFallsBackToAFullScan(@TempDir Path tmp) throws Exception {
        StringBuilder sb = new StringBuilder("a,b,y\n");
        int n = TableReaders.TYPE_SAMPLE_ROWS + 5000;
        for (int i = 0; i < n; i++) {
            String b = i == n - 10 ? "oops" : Integer.toString(i % 7);
            String a = i == n - 20 ? "1.5" : Integer.toString(i);
            sb.append(a).append(',').append(b).append(',').append(i % 3 == 0 ? "1.25" : "2.5").append('\n');
        }
        Path f = tmp.resolve("big.csv");
        Files.writeString(f, sb);
        Attach.Result r = attach("path", f.toString(), "target", "y");
        assertEquals(n, r.dataset().rows());
        assertEquals(FieldType.NUMERIC, r.dataset().schema().field("a").type(), "1.5 after integers widens to a number");
        assertEquals(FieldType.CATEGORICAL, r.dataset().schema().field("b").type());
        assertTrue(r.report().notes().stream().anyMatch(x -> x.contains("'oops'")), r.report().notes().toString());
        io.modelwork.core.ModelworkException e = assertThrows(io.modelwork.core.ModelworkException.class,
                () -> attach("path", f.toString(), "target", "y", "types", "b:numeric"));
        assertTrue(e.where().contains("row " + (n - 9)), e.where());
    }
}
