package io.modelwork.ranking;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.metrics.RankingMetrics;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** LightGBM LambdaRank on LightGBM's own lambdarank example data, through all the steps that apply. */
class RankingLambdaRankTest {

    @Test
    void lambdarankBeatsLightgbmsOwnTestThresholds(@TempDir Path tmp) {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 42, "threads", 2, "run_dir", tmp.resolve("run").toString(), "progress", false));
            StepReport at = s.attachDataset(Args.of("path", Assets.data("ranking/rank.train").toString(),
                    "test_path", Assets.data("ranking/rank.test").toString()));
            assertEquals("ranking", at.body().get("dataset").get("task").asText());
            assertTrue(at.body().get("query_groups").toString().contains("201"), at.body().get("query_groups").toString());
            s.prepareData(Args.empty());
            StepReport sp = s.split(Args.of("ratios", "0.8,0.2"));
            assertEquals("group", sp.body().get("strategy").asText());
            s.build(Args.of("spec", "ranking.lightgbm"));
            s.fit(Args.of("rounds", 300, "early_stopping", 30));
            StepReport ev = s.evaluate(Args.empty());
            double n1 = ev.body().get("metrics").get("test").get("ndcg@1").asDouble();
            double n3 = ev.body().get("metrics").get("test").get("ndcg@3").asDouble();
            assertTrue(n1 > 0.5674, "test ndcg@1 " + n1);
            assertTrue(n3 > 0.578, "test ndcg@3 " + n3);
            assertFalse(ev.gallery().isEmpty());
            StepReport cal = s.calibrate(Args.of("k", 3));
            assertTrue(cal.body().get("calibration").has("cutoff"));
            StepReport ex = s.export(Args.empty());
            assertTrue(ex.body().get("onnx_parity_max_abs_diff").asDouble() <= 1e-5, ex.body().toString());
            assertTrue(Files.exists(Path.of(ex.body().get("path").asText(), "model.onnx")));
            assertThrows(ModelworkException.class, () -> s.backtest(Args.empty()));
        }
    }

    @Test
    void splitNeverCutsAQueryAndAQueryFileThatDoesNotAddUpIsRefused(@TempDir Path tmp) throws Exception {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 1, "run_dir", tmp.resolve("run").toString(), "progress", false));
            s.attachDataset(Args.of("path", Assets.data("ranking/rank.train").toString()));
            s.prepareData(Args.empty());
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.split(Args.of("strategy", "holdout")));
            assertTrue(e.fix().contains("strategy=group"));
            s.split(Args.empty());
        }
        Path data = tmp.resolve("r.svm");
        Files.copy(Assets.data("ranking/rank.test"), data);
        Files.writeString(tmp.resolve("r.svm.query"), "10\n20\n");
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("run_dir", tmp.resolve("run2").toString()));
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.attachDataset(Args.of("path", data.toString(), "format", "libsvm")));
            assertTrue(e.what().contains("add up to 30"), e.getMessage());
            assertTrue(e.fix().contains("sum to the data's row count"));
        }
    }

    @Test
    void ndcgFollowsLightgbmConventions() {
        int[] q = {0, 0, 0, 1, 1};
        double[] y = {3, 2, 0, 0, 0};
        double[] perfect = {3, 2, 1, 1, 0};
        var m = RankingMetrics.all(q, y, perfect);
        assertEquals(1.0, m.get("ndcg@3"), 1e-12);
        double[] swapped = {2, 3, 1, 1, 0};
        // query 0: dcg = (2^2-1)/1 + (2^3-1)/log2(3); idcg = 7 + 3/log2(3); query 1 has no relevant doc -> 1
        double dcg = 3 + 7 / (Math.log(3) / Math.log(2)), idcg = 7 + 3 / (Math.log(3) / Math.log(2));
        assertEquals((dcg / idcg + 1) / 2, RankingMetrics.all(q, y, swapped).get("ndcg@3"), 1e-12);
        assertEquals(1.0, RankingMetrics.all(q, y, swapped).get("mrr"), 1e-12);
    }
}
