package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.data.Attach;
import io.modelwork.data.FieldType;
import io.modelwork.data.Role;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;

/** Steps 2–4 for tabular data: attach_dataset, prepare_data (declared, fitted at split) and split. */
final class DataSteps {
    private DataSteps() { }

    static final Options ATTACH = Options.of(
            Option.path("path", "data file (CSV, TSV, Parquet, Arrow, JSON lines, LibSVM) or a jdbc: URL"),
            Option.text("format", null, "file format when the extension does not say it (csv, tsv, parquet, arrow, jsonl, libsvm)"),
            Option.text("query", null, "SQL query for a jdbc: URL"),
            Option.path("test_path", "a predefined test file (same columns)"),
            Option.text("target", null, "target column"),
            Option.text("id", null, "row id column (shown in worst cases, never a feature)"),
            Option.text("group", null, "group column (grouped split, ranking queries)"),
            Option.text("timestamp", null, "time column (time split, backtest order)"),
            Option.text("weight", null, "sample weight column"),
            Option.list("ignore", null, "columns left out"),
            Option.map("types", "column types, e.g. types=size:categorical"),
            Option.choice("task", null, List.of("regression", "classification", "ranking"), "the task when the target does not say it"),
            Option.bool("drop_missing_target", false, "drop rows whose target is missing (else an error)"),
            Option.number("imbalance_threshold", 0.1, 0.0, 1.0, "warn when the smallest class is below this share"),
            Option.text("name", null, "dataset name for reports"),
            Option.path("query_file", "LibSVM ranking: the .query file with group sizes"),
            Option.integer("max_label", 30, 0, 1_000_000, "ranking: the largest relevance label accepted"))
            .plus(io.modelwork.data.TableReaders.OPTIONS);

    static final Options PREPARE = Options.of(
            Option.choice("impute", "median", List.of("median", "mean", "zero", "none"), "missing numeric values"),
            Option.choice("scale", "none", List.of("standard", "minmax", "none"), "numeric scaling"),
            Option.choice("encode", "onehot", List.of("onehot", "ordinal"), "categorical encoding"),
            Option.integer("max_categories", 20, 1, 1_000_000, "one-hot levels kept per column (rarer ones go to 'other')"),
            Option.choice("select", "variance", List.of("none", "variance"), "drop constant features"));

    static final Options SPLIT = Options.of(
            Option.choice("strategy", null, List.of("holdout", "kfold", "group", "time"), "split strategy (default holdout; group for ranking)"),
            Option.numbers("ratios", null, 0.0, 1.0, "train,validation,test shares, e.g. 0.7,0.15,0.15"),
            Option.bool("stratify", null, "keep class shares in every set (default on for classification holdout)"),
            Option.text("group", null, "group column: no group crosses sets"),
            Option.integer("folds", 5, 2, 1000, "K of kfold"),
            Option.text("order", null, "time/order column of a time split"),
            Option.longInt("seed", null, null, null, "split seed (default derived from the session seed)"));

    static StepReport attach(TabularState s, Args a, StepContext ctx) {
        Attach.Result r = Attach.attach(a, null);
        s.dataset = r.dataset();
        s.attachArgs = a;
        return r.report();
    }

    static StepReport prepare(TabularState s, Args a, StepContext ctx) {
        Preprocessor.Options opts = Preprocessor.Options.from(a);
        s.prepOptions = opts;
        StepReport r = new StepReport("prepare_data", "Preprocessing pipeline");
        r.body().set("options", opts.toJson());
        List<String> skipped = new ArrayList<>();
        for (var f : s.dataset.schema().fields())
            if (f.role() == Role.FEATURE && (f.type() == FieldType.TEXT || f.type() == FieldType.TIMESTAMP)) skipped.add(f.name());
        if (!skipped.isEmpty()) r.note("text/timestamp feature columns are not encoded and are left out: " + skipped);
        // fit on all rows only to preview the output width; the real fit happens at split on the training rows
        Preprocessor preview = Preprocessor.fit(opts, s.dataset, TabularState.allRows(s.dataset.rows()));
        r.body().put("output_features_preview", preview.outputNames().size());
        r.body().put("fitted_on", "the training rows, when split runs (then frozen)");
        Table t = Table.create("Pipeline");
        StringColumn k = StringColumn.create("stage"), v = StringColumn.create("setting");
        opts.toJson().fields().forEachRemaining(e -> { k.append(e.getKey()); v.append(e.getValue().asText()); });
        k.append("output features (preview)"); v.append(Integer.toString(preview.outputNames().size()));
        t.addColumns(k, v);
        r.table(t);
        r.note("The pipeline is fitted on the training rows only, when split runs, then frozen (no leakage)");
        return r;
    }

    static StepReport split(TabularState s, Args a, StepContext ctx) {
        Splitter.Plan plan = Splitter.split(s.dataset, a, a.has("seed") ? a.getLong("seed", 0) : ctx.run().seedFor("split"));
        s.prepare(plan, Preprocessor.fit(s.prepOptions, s.dataset, plan.train()));
        Preprocessor prep = s.preprocessor();
        StepReport r = Splitter.report(s.dataset, plan);
        r.body().put("preprocessor_id", prep.id());
        r.body().put("features", prep.outputNames().size());
        r.note("preprocessor " + prep.id() + " fitted on the " + plan.train().length + " training rows and frozen ("
                + prep.outputNames().size() + " features)");
        return r;
    }
}
