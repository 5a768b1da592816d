"""Writes the template notebooks notebooks/regression.ipynb and notebooks/classification.ipynb (no outputs).
    /usr/bin/python3 kernel-extensions/src/test/python/make_notebooks.py
Each walks the 15 lifecycle steps, one section per step, a sentence of why before each cell."""
import os
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../../.."))

# every template's step 11: close the session and resume the checkpoint of step 10 in a fresh one
RESUME = ('String runDir = session().context().runDir().toString();\n'
          'Magics.close("");\n'
          'session().resume(Args.of("id", checkpointId, "run_dir", runDir))')


def notebook(title, intro, steps):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "modelwork", "display_name": "Modelwork (Java)", "language": "java"}
    nb.metadata["language_info"] = {"name": "java", "file_extension": ".jshell", "mimetype": "text/x-java-source"}
    nb.cells.append(new_markdown_cell(f"# {title}\n\n{intro}"))
    for heading, why, code in steps:
        nb.cells.append(new_markdown_cell(f"## {heading}\n\n{why}"))
        nb.cells.append(new_code_cell(code))
    for i, cell in enumerate(nb.cells):
        cell.id = "cell-%02d" % i  # stable ids: regenerating gives the same files (nbformat draws random ones)
    return nb


REGRESSION = notebook(
    "Regression: XGBoost on concrete compressive strength",
    "Every lifecycle step is one cell: a magic (`%step key=value …`) or Java code on the same session "
    "(`session()`). `%help` lists the magics. The data is found through `MODELWORK_ASSETS` or the `shared/` "
    "folder next to the project (`Assets.data(...)`).",
    [
        ("1 · configure", "Fix the seed and the thread count first, so that every later number is reproducible.",
         "%configure seed=7 threads=2"),
        ("2 · attach_dataset", "Attach the concrete data and name the target; the report shows the data's "
         "fingerprint, a profile of every column and the validation findings. Java code reaches the same session.",
         'session().attachDataset(Args.of(\n    "path", Assets.data("regression/modeldata_concrete.csv").toString(),\n'
         '    "target", "compressive_strength"))'),
        ("3 · prepare_data", "Fit the preprocessing (imputation, scaling) on training data only and freeze it, "
         "so that export ships exactly what the model saw.", "%prepare"),
        ("4 · split", "Hold out validation rows for early stopping and tuning, and test rows that no decision "
         "ever sees.", "%split ratios=0.7,0.15,0.15"),
        ("5 · build", "Choose XGBoost regression with a moderate depth and learning rate.",
         "%build spec=regression.xgboost max_depth=5 eta=0.1"),
        ("6 · fit", "Train with early stopping on the validation set; the learning curve shows where it stopped.",
         "%fit rounds=400 early_stopping=30"),
        ("7 · evaluate", "Measure RMSE, MAE and R² on validation and test, look at the residuals and at the "
         "worst cases in the error gallery.", "%evaluate"),
        ("7 · compare specs", "Would LightGBM do better on the same data? `%compare specs=` fits each spec on this "
         "session's data, seed and split (in a run directory of its own) and ranks it with this session's model, "
         "which stays as it is; the learning curves are overlaid. `%compare` alone ranks all runs of the run root, "
         "`%compare registry=DIR` the registered versions.", "%compare specs=regression.lightgbm by=rmse curve=learning_curve"),
        ("8 · tune", "A small random search checks whether other depths and rates beat the defaults on "
         "validation; the history shows each trial.", "%tune strategy=random trials=4"),
        ("9 · backtest", "Replay the data in row order in windows to see whether the error drifts.",
         "%backtest order=row windows=3"),
        ("10 · calibrate", "Conformal prediction intervals at 90% coverage turn point predictions into ranges.",
         "%calibrate alpha=0.1"),
        ("11 · save_checkpoint", "Save a checkpoint: its id is what a later session needs to continue exactly here.",
         'StepReport ck = session().saveCheckpoint(Args.of("tag", "after-calibrate"));\n'
         'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
         'ck'),
        ("11 · resume", "A fresh session resumes from the checkpoint, as a later notebook or a server would; "
         "the next steps continue from there.",
         RESUME),
        ("12 · export", "Write the deployment bundle: model, ONNX, preprocessing, signature and a manifest "
         "with hashes.", "%export"),
        ("13 · register", "Register the bundle in the model registry; the model id is the key serving code uses. The "
         "registry is the run's own (`runs/run-…/registry`) unless `MODELWORK_HOME` names one.",
         "%register name=concrete-xgb stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
        ("14 · artifacts", "The standard artifact map: where each file of this run is.", "%artifacts"),
        ("Session state", "What has run so far.", "%session"),
        ("15 · close", "Release the session's resources (files, native memory).", "%close"),
    ])

CLASSIFICATION = notebook(
    "Classification: LightGBM on breast cancer",
    "Every lifecycle step is one cell: a magic (`%step key=value …`) or Java code on the same session "
    "(`session()`). `%help` lists the magics.",
    [
        ("1 · configure", "Fix the seed and the thread count, so that the run is reproducible.",
         "%configure seed=3 threads=2"),
        ("2 · attach_dataset", "Attach the breast cancer data with `diagnosis` as the label; the validation report "
         "checks the class balance.",
         'session().attachDataset(Args.of(\n    "path", Assets.data("classification/breast_cancer.csv").toString(),\n'
         '    "target", "diagnosis"))'),
        ("3 · prepare_data", "Fit and freeze the preprocessing on training rows only.", "%prepare"),
        ("4 · split", "A stratified split keeps the class ratio equal in train, validation and test.", "%split"),
        ("5 · build", "LightGBM with balanced class weights, since the classes are uneven.",
         "%build spec=classification.lightgbm class_weight=balanced"),
        ("6 · fit", "Train with early stopping; the learning curve shows the validation loss.",
         "%fit rounds=300 early_stopping=30"),
        ("7 · evaluate", "ROC-AUC, PR-AUC and F1 on validation and test, the ROC and PR curves, the confusion "
         "matrix and the worst cases.", "%evaluate"),
        ("8 · tune", "A small random search over leaves and regularisation; applied only if it beats the "
         "defaults on validation.", "%tune strategy=random trials=4"),
        ("9 · backtest", "Replay the rows in order in windows to check that quality is stable.",
         "%backtest order=row windows=3"),
        ("10 · calibrate", "Calibrate the probabilities (isotonic) and choose the threshold for a false-positive "
         "rate of at most 5%.", "%calibrate method=isotonic target_fpr=0.05"),
        ("11 · save_checkpoint", "Save a checkpoint of the calibrated model.",
         'StepReport ck = session().saveCheckpoint(Args.of("tag", "calibrated"));\n'
         'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
         'ck'),
        ("11 · resume", "A fresh session resumes from the checkpoint; the next steps continue from there.",
         RESUME),
        ("12 · export", "The deployment bundle with the label map and the chosen threshold.", "%export"),
        ("13 · register", "Register it; serving code refers to the model id.",
         "%register name=breast-cancer-lgbm stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
        ("14 · artifacts", "The standard artifact map.", "%artifacts"),
        ("Session state", "What has run so far.", "%session"),
        ("15 · close", "Release the session's resources.", "%close"),
    ])

RANKING = notebook(
    "Ranking: LightGBM LambdaRank on LightGBM's lambdarank example",
    "Learning to rank documents per query. The libsvm files come with `.query` files that give each query's group "
    "size; every step keeps a query's documents together.",
    [
        ("1 · configure", "Fix the seed and the thread count, so that the run is reproducible.",
         "%configure seed=42 threads=2"),
        ("2 · attach_dataset", "Attach the training file and the predefined test file; the profile shows the "
         "queries, documents per query, the relevance labels and queries without a relevant document.",
         'session().attachDataset(Args.of(\n    "path", Assets.data("ranking/rank.train").toString(),\n'
         '    "test_path", Assets.data("ranking/rank.test").toString()))'),
        ("3 · prepare_data", "Freeze the preprocessing; rows are kept sorted by query, as LambdaRank needs.",
         "%prepare"),
        ("4 · split", "Split by query group, so that no query is cut between training and validation.",
         "%split ratios=0.8,0.2"),
        ("5 · build", "LambdaRank optimising NDCG@3.", "%build spec=ranking.lightgbm eval_at=3"),
        ("6 · fit", "Train with early stopping on validation NDCG@3.", "%fit rounds=300 early_stopping=30"),
        ("7 · evaluate", "NDCG@K and MAP@K for K = 1, 3, 5, 10 and MRR on validation and the test file; the "
         "worst queries are listed.", "%evaluate"),
        ("8 · tune", "A small search over leaves, learning rate and regularisation, scored by validation NDCG@3.",
         "%tune strategy=random trials=4 metric=ndcg@3"),
        ("9 · backtest", "Ranking data here has no time order, and SPEC lists backtesting as optional for "
         "ranking: the step is skipped (calling `%backtest` says so).", "%session"),
        ("10 · calibrate", "Choose the score cutoff that selects about three documents per query (cutoff@K).",
         "%calibrate k=3"),
        ("11 · save_checkpoint", "Save a checkpoint of the fitted ranker.",
         'StepReport ck = session().saveCheckpoint(Args.of("tag", "ranker"));\n'
         'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
         'ck'),
        ("11 · resume", "A fresh session resumes from the checkpoint.",
         RESUME),
        ("12 · export", "The bundle: native model, ONNX scorer (checked against the native model), signature.",
         "%export"),
        ("13 · register", "Register the ranker.", "%register name=lambdarank-example stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
        ("14 · artifacts", "The standard artifact map.", "%artifacts"),
        ("15 · close", "Release the session's resources.", "%close"),
    ])

OPTIMIZATION = notebook(
    "Optimization: the berlin52 travelling-salesman problem on OR-Tools",
    "In optimization the steps change meaning: build defines the model (variables, constraints, objective) and fit "
    "solves it. Every solution is re-checked by an independent validator.",
    [
        ("1 · configure", "Seed and threads for the solver.", "%configure seed=42 threads=2"),
        ("2 · attach_dataset", "Attach the TSPLIB instance; the profile gives its size and the validation report "
         "any inconsistency.",
         'session().attachDataset(Args.of("path", Assets.data("optimization/tsplib/berlin52.tsp").toString()))'),
        ("3 · prepare_data", "Distances as integers (TSPLIB's EUC_2D rounding) and a Held-Karp lower bound.",
         "%prepare"),
        ("4 · split", "No train/test split in optimization (scenarios could be given instead).", "%split"),
        ("5 · build", "The routing model with a first-solution strategy and a local-search metaheuristic.",
         "%build spec=optimization.routing.tsp first_solution=path_cheapest_arc metaheuristic=guided_local_search"),
        ("6 · fit", "Solve with a time limit; the progress shows the objective over time.",
         "%fit time_limit=15 target=7542"),
        ("7 · evaluate", "Objective, bound, gap to the known optimum 7542, constraint violations recomputed "
         "independently (zero), objective over time and the route map.", "%evaluate"),
        ("8 · tune", "Compare search strategies at a fixed short time limit.", "%tune trial_time=1 trials=4"),
        ("9 · backtest", "Replay the configuration on the scenarios (here the single instance).", "%backtest"),
        ("10 · calibrate", "The time limit that reaches a 1% gap.", "%calibrate target_gap=0.01 max_time=5"),
        ("11 · save_checkpoint", "Save the best tour; a resumed search starts from it.",
         'StepReport ck = session().saveCheckpoint(Args.of("tag", "tour"));\n'
         'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
         'ck'),
        ("11 · resume", "A fresh session resumes from the checkpoint.",
         RESUME),
        ("12 · export", "Export the model data, search parameters, the solution and the solver log.", "%export"),
        ("13 · register", "Register the solved model.", "%register name=berlin52-tsp stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
        ("14 · artifacts", "The standard artifact map.", "%artifacts"),
        ("15 · close", "Stop the solver and release resources.", "%close"),
        ("A CP-SAT model of your own (optimization.cpsat) · configure",
         "Any CP-SAT model written in Java goes through the same steps with `spec=optimization.cpsat`. A new session "
         "for it:", "%configure seed=42 threads=2"),
        ("attach_dataset", "Attach the data the model is built from — here the job-shop ft06 (Fisher & Thompson, 6 jobs "
         "× 6 machines, optimum 55) — so the run records its fingerprint and evaluate knows the optimum. A model that "
         "needs no file attaches nothing: `session().attachDataset(Args.of(\"format\", \"cpsat\"))`. prepare_data "
         "and split are no-ops for this spec.",
         'session().attachDataset(Args.of("path", Assets.data("optimization/jsplib/ft06").toString()))'),
        ("prepare_data", "Nothing to scale: the model is already in integers.", "%prepare"),
        ("split", "Nothing to split: a single model (scenarios would be other CpModelProto files).", "%split"),
        ("build: the model in Java", "The model is ordinary OR-Tools Java: one interval per operation, job order, no "
         "overlap per machine, minimise the makespan. build takes the `CpModel` (copied at this moment) and the "
         "variables to report; it also accepts a `CpModelProto`, a `.pb`/`.pbtxt` file or a "
         "`Function<CpModel, Map<String, ?>>` builder.",
         'import com.google.ortools.sat.*;\n\n'
         '// ft06: per job, (machine, duration) pairs in processing order\n'
         'List<int[]> jobs = Files.readAllLines(Assets.data("optimization/jsplib/ft06")).stream()\n'
         '    .filter(l -> !l.isBlank() && !l.startsWith("#")).skip(1)\n'
         '    .map(l -> Arrays.stream(l.trim().split("\\\\s+")).mapToInt(Integer::parseInt).toArray()).toList();\n'
         'int horizon = jobs.stream().mapToInt(r -> IntStream.range(0, r.length / 2).map(k -> r[2 * k + 1]).sum()).sum();\n'
         'CpModel model = new CpModel();\n'
         'IntVar makespan = model.newIntVar(0, horizon, "makespan");\n'
         'Map<Integer, List<IntervalVar>> machines = new TreeMap<>();\n'
         'IntVar[][] start = new IntVar[jobs.size()][];\n'
         'for (int j = 0; j < jobs.size(); j++) {\n'
         '    int[] r = jobs.get(j);\n'
         '    start[j] = new IntVar[r.length / 2];\n'
         '    for (int k = 0; k < r.length / 2; k++) {\n'
         '        start[j][k] = model.newIntVar(0, horizon, "start_" + j + "_" + k);\n'
         '        machines.computeIfAbsent(r[2 * k], m -> new ArrayList<>())\n'
         '                .add(model.newFixedSizeIntervalVar(start[j][k], r[2 * k + 1], "op_" + j + "_" + k));\n'
         '        if (k > 0) model.addGreaterOrEqual(start[j][k], LinearExpr.affine(start[j][k - 1], 1, r[2 * k - 1]));\n'
         '    }\n'
         '    model.addGreaterOrEqual(makespan, LinearExpr.affine(start[j][r.length / 2 - 1], 1, r[r.length - 1]));\n'
         '}\n'
         'for (List<IntervalVar> ivs : machines.values()) model.addNoOverlap(ivs);\n'
         'model.minimize(makespan);\n'
         'session().build(Args.of("spec", "optimization.cpsat", "model", model,\n'
         '    "report", Map.of("makespan", makespan, "start", start)))'),
        ("fit", "CP-SAT with a time limit and 2 workers; the progress shows every solution with the bound.",
         "%fit time_limit=10 workers=2"),
        ("evaluate", "Objective, bound, gap to the known 55, and every constraint of the model re-checked from the "
         "proto without the solver (zero violations); the reported makespan and start times. For scale: the same "
         "kind of model on ft10 (10 × 10, optimum 930) reaches 940 (1.1% above 930, bound 808, not proven) in "
         "20 s on 2 workers of the loaded 2-core test machine.", "%evaluate"),
        ("close", "Release the session.", "%close"),
    ])

FORECASTING = notebook(
    "Forecasting: AutoARIMA on AirPassengers",
    "A Java AutoARIMA (Hyndman & Khandakar's stepwise search, exact Kalman-filter likelihood) that makes the same "
    "choices as R's `forecast::auto.arima`. The last 24 months are held out.",
    [
        ("1 · configure", "Seed and threads (series are fitted in parallel).", "%configure seed=42 threads=2"),
        ("2 · attach_dataset", "Attach the monthly series; the frequency (m = 12) is inferred from the time column, "
         "the profile shows length, gaps and frequency.",
         'session().attachDataset(Args.of(\n    "path", Assets.data("forecasting/R_AirPassengers.csv").toString(),\n'
         '    "time", "time", "value", "value"))'),
        ("3 · prepare_data", "A log transform (Box-Cox lambda 0) stabilises the growing seasonal swings; "
         "forecasts are transformed back.", "%prepare lambda=0"),
        ("4 · split", "Hold out the last 24 months (1959–1960); nothing after 1958-12 is seen in training.",
         "%split h=24"),
        ("5 · build", "AutoARIMA with the AICc and the stepwise search, as auto.arima's defaults.",
         "%build spec=forecasting.autoarima ic=aicc stepwise=true"),
        ("6 · fit", "Search the orders and fit; R chooses the airline model ARIMA(0,1,1)(0,1,1)[12] here.", "%fit"),
        ("7 · evaluate", "MAE, RMSE, MAPE, sMAPE and MASE on the hold-out, interval coverage, and the forecast "
         "with its 80/95% intervals against the actuals.", "%evaluate"),
        ("8 · tune", "A small grid over the information criterion and the search mode, scored on validation.",
         "%tune"),
        ("9 · backtest", "Rolling-origin evaluation: refit on an expanding window, forecast 12 months, three times.",
         "%backtest mode=expanding windows=3 step=12 horizon=12"),
        ("10 · calibrate", "Scale the intervals so that backtest coverage meets 95%.",
         "%calibrate target_coverage=0.95"),
        ("11 · save_checkpoint", "Save the fitted model.",
         'StepReport ck = session().saveCheckpoint(Args.of("tag", "fitted"));\n'
         'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
         'ck'),
        ("11 · resume", "A fresh session resumes from the checkpoint.",
         RESUME),
        ("12 · export", "The model as JSON (orders, coefficients, state) that reloads and forecasts identically.",
         "%export"),
        ("13 · register", "Register the forecaster.", "%register name=airpassengers-arima stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
        ("14 · artifacts", "The standard artifact map.", "%artifacts"),
        ("15 · close", "Release the session's resources.", "%close"),
    ])


def asr_notebook():
    """notebooks/asr.ipynb: speech recognition with Vosk on the LibriVox utterances and jfk.wav."""
    return notebook(
        "Speech recognition: Vosk on LibriVox, scored by WER/CER",
        "Vosk (Kaldi) English recogniser; the model comes from a Maven artifact into the asset cache (SHA-256 "
        "checked). Audio is decoded by FFmpeg and resampled to 16 kHz; Silero VAD splits long audio at pauses. "
        "WER and CER are jiwer's definitions. Whisper (`spec=asr.whisper model=DIR`, a Hugging Face optimum ONNX export of your own: "
        "`beam=5`, `lang=auto`, `task=translate`, `prompt=`) runs the same cells; no Whisper weights ship with Modelwork, and its quality is untested here. "
        "Vosk's Kaldi beam is `build beam=` (default 10) and `tune beam=6,10,14`.",
        [
            ("1 · configure", "Seed (the split) and threads.", "%configure seed=7 threads=2"),
            ("2 · attach_dataset", "Five LibriVox utterances with their Sphinx `transcription` file; the report "
             "profiles every file (rate, channels, duration, level, clipping) with an audio player each.",
             'session().attachDataset(Args.of("path", Assets.data("asr/librivox").toString()))'),
            ("3 · prepare_data", "16 kHz mono by FFmpeg; clips longer than `seg_len` seconds are split at pauses "
             "by Silero VAD v5.", "%prepare vad=auto seg_len=30"),
            ("4 · split", "Training utterances serve calibrate; test utterances are scored.", "%split test_fraction=0.4"),
            ("5 · build", "The Vosk recogniser with word times and confidences.", "%build spec=asr.vosk"),
            ("6 · fit", "No acoustic training: fit transcribes the training set once and caches it.", "%fit"),
            ("7 · evaluate", "WER and CER over all five utterances, per-utterance substitutions/deletions/"
             "insertions, alignments with the errors in capitals, the worst utterances with audio players. "
             "Pocketsphinx reaches WER 0.366 here.", "%evaluate on=all normalize=basic"),
            ("8 · tune", "A grid over the VAD threshold and the segment length, scored by WER on the training "
             "utterances; applied only when it beats the current setting.", "%tune vad_threshold=0.4,0.6 seg_len=30"),
            ("9 · backtest", "Utterances have no time order.", "%backtest"),
            ("10 · calibrate", "The word-confidence threshold that keeps 95% correct words, to `thresholds.json`.",
             "%calibrate target_precision=0.95"),
            ("11 · save_checkpoint", "Save the session (split, cached transcripts, threshold).",
             'StepReport ck = session().saveCheckpoint(Args.of("tag", "calibrated"));\n'
             'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
             'ck'),
            ("11 · resume", "A fresh session continues from the checkpoint; the recogniser is loaded again on use.",
             RESUME),
            ("12 · export", "Pipeline configuration, model reference (name, version, SHA-256), VAD settings, "
             "signature and thresholds.", "%export"),
            ("13 · register", "Register the pipeline.", "%register name=librivox-vosk stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
            ("14 · artifacts", "The artifact map.", "%artifacts"),
            ("15 · close", "Close the recogniser and the VAD session.", "%close"),
        ])


def anomaly_notebook():
    """notebooks/anomaly.ipynb: PatchCore on the shared magnetic-tile set (owned by the vision helper)."""
    return notebook(
        "Anomaly detection: PatchCore on magnetic tiles",
        "PatchCore as anomalib implements it (memory bank of backbone patch features, greedy k-center coreset, "
        "nearest-neighbour distance, re-weighted image score, Gaussian-blurred anomaly map) on ONNX Runtime, with "
        "the int8 MobileNetV2 feature backbone of `shared/models`. Normal images train; the test folder's classes "
        "(good, blowhole, break) are split between validation and test. The 5-NN thumbnail baseline reaches image "
        "AUROC 0.827 on this data.",
        [
            ("1 · configure", "Seed and threads first: the coreset's random start derives from the seed.",
             "%configure seed=42 threads=2"),
            ("2 · attach_dataset", "Attach the MVTec-layout folder; the report shows the images per class, sizes, "
             "channels and bit depths, and names any unreadable file, wrong-size mask or duplicate. `sample=50` takes "
             "50 evenly spaced images per class so the template runs in a minute; remove it for all 700 images "
             "(fit then takes a few minutes on 2 CPU cores; `bench/README.md` §8 has the full-set figures).",
             'session().attachDataset(Args.of("path", Assets.data("anomaly/magnetic-tile").toString(), "sample", 50))'),
            ("3 · prepare_data", "Resize to the backbone's 224×224 input and normalise with ImageNet statistics; "
             "the preprocessing is frozen and exported beside the model.", "%prepare resize=224"),
            ("4 · split", "All train/good images train; the test classes are split half into validation (for "
             "calibrate and tune) and half into test, stratified by class.", "%split validation=0.5"),
            ("5 · build", "PatchCore on the stride-8 and stride-16 feature maps. anomalib's coreset ratio is 0.1; "
             "0.01 keeps this notebook fast on two cores and loses little here.",
             "%build spec=anomaly.patchcore coreset_ratio=0.01 k=9"),
            ("6 · fit", "Extract the patch features of the 400 normal images and select the memory bank; "
             "progress shows the ETA of the coreset.", "%fit"),
            ("7 · evaluate", "Image AUROC, pixel AUROC, AUPRO (to 30% FPR), recall at 1% and 5% FPR, the per-class "
             "table, the ROC and PRO curves, and the worst false positives and negatives with heat maps.",
             "%evaluate gallery=3"),
            ("8 · tune", "The shared tuner over feature layers, resolution (256 = resize to 256, centre-crop the "
             "backbone's 224) and k, on validation image AUROC. The backbone runs once per resolution and the coreset "
             "once per (layers, resolution): trials that differ only in k reuse them. Applied only when the refit beats "
             "the current model; without `space=` the default space also tries coreset ratios (`trials=` is the budget).",
             '%tune strategy=grid trials=8 space="layers=features_stride8+features_stride16|features_stride8 resolution=224|256 k=1|9"'),
            ("9 · backtest", "Replay the test images in file-name order: FPR and recall per window and the PSI "
             "drift of the scores.", "%backtest windows=4"),
            ("10 · calibrate", "The image threshold that keeps the false-positive rate on validation normals at "
             "5%, and the pixel threshold for masks, written to thresholds.json.", "%calibrate target_fpr=0.05"),
            ("11 · save_checkpoint", "Save the memory bank, preprocessing and thresholds.",
             'StepReport ck = session().saveCheckpoint(Args.of("tag", "fitted"));\n'
             'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
             'ck'),
            ("11 · resume", "A fresh session resumes from the checkpoint.",
             RESUME),
            ("12 · export", "One ONNX graph image → (score, anomaly map) with the memory bank inside, checked "
             "against the Java scorer to 1e-4 before the bundle is published.", "%export"),
            ("13 · register", "Register the bundle.", "%register name=magnetic-tile-patchcore stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
            ("14 · artifacts", "The standard artifact map.", "%artifacts"),
            ("15 · close", "Release the ONNX sessions.", "%close"),
        ])


def ocr_notebook():
    """notebooks/ocr.ipynb: PaddleOCR's English models on the shared tesseractjs pages, side by side with Tesseract."""
    return notebook(
        "OCR: PP-OCR (PaddleOCR) on ONNX Runtime",
        "PaddleOCR's PP-OCR detection (DB), angle classifier and CTC recognition, reproduced on ONNX Runtime "
        "(the models come from npm packages into the asset cache, SHA-256 pinned). Two model sets, as "
        "`PaddleOCR(lang=…)` picks them: `lang=ch` (ch_PP-OCRv4, Chinese + English, the default) and `lang=en` "
        "(en_PP-OCRv3 detection + en_PP-OCRv4 recognition), used here for English pages. CER and WER are jiwer's "
        "definitions after whitespace runs become one space; Tesseract 5.3 reaches CER 0.000 on testocr and 0.063 "
        "on bill.",
        [
            ("1 · configure", "Seed (the split) and threads.", "%configure seed=3 threads=2"),
            ("2 · attach_dataset", "Three pages with `<name>.gt.txt` beside each; the profile lists image sizes, "
             "text lengths and any character the recogniser cannot produce.",
             'session().attachDataset(Args.of("path", Assets.data("ocr/tesseractjs").toString(), "include", "testocr,bill,cosmic"))'),
            ("3 · prepare_data", "Detection side limit 960 (PaddleOCR's), the angle classifier on.", "%prepare limit_side=960 rotate=true"),
            ("4 · split", "By document: one page for tune and calibrate, the others for test.", "%split ratios=0,0.34,0.66"),
            ("5 · build", "The profile said the text is plain ASCII, so PaddleOCR's English models: `lang=en`. "
             "`lang=ch` is the Chinese + English set; `rec=` and `dict=` take another language's recogniser.",
             "%build spec=ocr.ppocr lang=en"),
            ("6 · fit", "No training: the frozen pipeline runs once and its detection maps are cached.", "%fit"),
            ("7 · evaluate", "CER, WER, exact match, the per-image table, Tesseract side by side, and the error "
             "gallery: each worst page with its detected boxes drawn, the differing characters in [brackets].",
             "%evaluate baseline=true worst=3"),
            ("8 · tune", "thresh, box_thresh and unclip_ratio on the cached maps; applied only when validation CER improves.",
             "%tune trials=4"),
            ("9 · backtest", "Pages have no time order.", "%backtest"),
            ("10 · calibrate", "The word-confidence threshold that keeps 95% correct words, to `thresholds.json`.",
             "%calibrate target_precision=0.95"),
            ("11 · save_checkpoint", "Save the pipeline settings and the split.",
             'StepReport ck = session().saveCheckpoint(Args.of("tag", "calibrated"));\n'
             'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
             'ck'),
            ("11 · resume", "A fresh session resumes; the models are loaded again on first use.",
             RESUME),
            ("12 · export", "The three ONNX files, the dictionary, pipeline.json and thresholds.json.", "%export"),
            ("13 · register", "Register the pipeline.", "%register name=tesseractjs-ppocr stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
            ("14 · artifacts", "The artifact map.", "%artifacts"),
            ("15 · close", "Close the ONNX sessions.", "%close"),
        ])


def speaker_notebook():
    """notebooks/speaker.ipynb: speaker diarization on pyannote's sample and the synthetic two-speaker mix."""
    return notebook(
        "Speaker diarization: Silero VAD, Vosk x-vectors, clustering, scored by DER/JER",
        "Silero VAD v5 finds the speech; Vosk's Kaldi x-vector model embeds sliding windows; agglomerative "
        "(cosine distance threshold) or spectral (eigengap) clustering labels them; short turns merge into their "
        "neighbours. DER and JER are pyannote.metrics' definitions. Two recordings: pyannote's 30 s `sample` "
        "(two speakers, its RTTM) and `mix`, a 22 s two-speaker synthetic mix with an exact RTTM.",
        [
            ("1 · configure", "Seed (the split) and threads.", "%configure seed=7 threads=2"),
            ("2 · attach_dataset", "The speaker folder with both RTTM files; only the URIs the RTTMs name are "
             "used. The report profiles every recording (duration, speakers, turns, overlap) with an audio player.",
             'String speaker = Assets.data("speaker").toString();\n'
             'session().attachDataset(Args.of("path", speaker,\n'
             '    "rttm", speaker + "/pyannote_sample/sample.rttm," + speaker + "/synth_mix/mix.rttm"))'),
            ("3 · prepare_data", "16 kHz mono by FFmpeg, Silero VAD speech regions, 1.5 s x-vector windows every 0.75 s.",
             "%prepare vad_threshold=0.5 window=1.5 hop=0.75"),
            ("4 · split", "By whole recording: one trains the whitening and the threshold, the other is scored.",
             "%split test_fraction=0.5"),
            ("5 · build", "Agglomerative clustering with the number of speakers estimated.",
             "%build spec=speaker.diarization method=ahc"),
            ("6 · fit", "Whitening of the x-vectors (LDA only with ≥ 5 training speakers) and the merge threshold "
             "that minimises DER on the training recording.", "%fit"),
            ("7 · evaluate", "DER, JER, false alarm, missed speech and confusion on the test recording, the "
             "reference/hypothesis timeline, and the worst-covered reference turns as audio clips.", "%evaluate worst=3"),
            ("8 · tune", "A grid over the threshold and the clustering method; applied only when it beats the "
             "current setting.", "%tune threshold=0.6,0.75,0.9 method=ahc,spectral"),
            ("9 · backtest", "The sessions in order, an expanding window: what fit learns from the sessions before each one, "
             "scored on it (here: learnt on the mix, scored on the pyannote sample).", "%backtest"),
            ("10 · calibrate", "The collar policy: DER for collars 0 to 0.5 s, and the smallest within 0.01 of "
             "the 0.5 s one.", "%calibrate max_der_gap=0.01"),
            ("11 · save_checkpoint", "Save the session (split, whitening, threshold).",
             'StepReport ck = session().saveCheckpoint(Args.of("tag", "calibrated"));\n'
             'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
             'ck'),
            ("11 · resume", "A fresh session continues from the checkpoint; the models are loaded again on use.",
             RESUME),
            ("12 · export", "Pipeline configuration, whitening, model references and the calibrated collar.", "%export"),
            ("13 · register", "Register the pipeline.", "%register name=speaker-diarization stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
            ("14 · artifacts", "The artifact map.", "%artifacts"),
            ("15 · close", "Close the VAD and x-vector models.", "%close"),
        ])


def tracking_notebook():
    """notebooks/tracking.ipynb: YOLOX-Nano + ByteTrack on PETS2009 S2.L1, scored with TrackEval's HOTA/CLEAR/Identity."""
    return notebook(
        "Video tracking: YOLOX-Nano + ByteTrack on PETS2009 S2.L1",
        "An ONNX detector (YOLOX-Nano here; NanoDet-m or your own YOLOv8/YOLO11 export through `detector=`) per "
        "frame, then ByteTrack as the reference implements it (high/low score split, Kalman prediction, two "
        "associations, a lost buffer scaled by the frame rate). HOTA, DetA, AssA, CLEAR (MOTA, IDSW, …) and "
        "Identity (IDF1) are computed exactly as TrackEval computes them (`bin/modelwork metrics mot` scores any "
        "tracker's MOTChallenge file the same way). The video is PETS2009 S2.L1 View 001 (768×576, 10 fps, "
        "MS-MPEG4v3) with its MOTChallenge ground truth; the notebook uses frames 1–240 so that it runs in "
        "seconds (`bench/README.md` has all 795 frames).",
        [
            ("1 · configure", "Seed (the tuner's draws) and threads (ONNX Runtime's intra-op threads).",
             "%configure seed=11 threads=2"),
            ("2 · attach_dataset", "FFmpeg opens the video (any codec it knows; a MOTChallenge `img1/` folder or an "
             "`rtsp://`/`http://` URL works the same way). The report gives codec, frame rate, frame count, size and "
             "duration; the ground truth (`gt.txt` next to the video) is checked for malformed lines, frames beyond "
             "the video, boxes outside the image and duplicate ids in a frame.",
             'session().attachDataset(Args.of("path", Assets.data("tracking/vtest.avi").toString(),\n'
             '    "camera_id", "PETS2009-S2L1-View001"))'),
            ("3 · prepare_data", "The first 240 frames (24 s of video) at the source's rate and size. `fps=5` would keep "
             "every other frame (the lost buffer scales with it), `roi=x,y,w,h` shows the detector one region (only "
             "ground truth centred in it is scored) and `resize=W` scales the frame before the detector; boxes are "
             "mapped back to the video's pixels.",
             "%prepare max_frames=240"),
            ("4 · split", "Time segments of the one video, never mixing frames across sets: frames 1–80 train, "
             "81–160 validation (tune, calibrate), 161–240 test.", "%split segments=3"),
            ("5 · build", "YOLOX-Nano (416×416, COCO; person only) and ByteTrack with the reference's defaults: "
             "track_thresh 0.5, match_thresh 0.8, a 30-frame buffer at 30 fps, i.e. 10 frames at this video's 10 fps.",
             "%build spec=tracking.bytetrack detector=yolox_nano conf=0.1 nms=0.45"),
            ("6 · fit", "The detector cannot be fine-tuned here: fit runs it once over the 240 frames and caches the "
             "detections, so that evaluate, tune, backtest and calibrate only re-run the tracker (milliseconds).",
             "%fit"),
            ("7 · evaluate", "HOTA (mean over α = 0.05…0.95), DetA, AssA, LocA, MOTA, MOTP, IDF1, IDSW on the test "
             "segment, beside a greedy IoU tracker on the same detections; objects per frame and HOTA vs α; identity "
             "switches as before/after crops, the frames with the most misses and false tracks; and the annotated "
             "test segment (boxes, ids, trails) as an H.264 MP4 that plays inline.",
             "%evaluate gallery=3"),
            ("8 · tune", "track_thresh, match_thresh and the buffer on validation HOTA, through the shared tuner; "
             "applied only when it beats the current setting.", "%tune strategy=random trials=12"),
            ("9 · backtest", "Validation and test replayed in time order in windows: MOTA and IDF1 per window, and "
             "the drift of detections per frame and of their mean confidence.", "%backtest windows=4"),
            ("10 · calibrate", "The dual threshold (the low floor of the second association) and the start "
             "hysteresis (a track starts at track_thresh + margin) on validation HOTA.", "%calibrate"),
            ("11 · save_checkpoint", "Save the video reference, split, detector (with its SHA-256), tracker "
             "parameters and the cached detections.",
             'StepReport ck = session().saveCheckpoint(Args.of("tag", "calibrated"));\n'
             'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
             'ck'),
            ("11 · resume", "A fresh session resumes from the checkpoint; the detector is reloaded and checked "
             "against its SHA-256, the detections come from the checkpoint.",
             RESUME),
            ("12 · export", "The detector ONNX, `pipeline.json` (pre-processing, confidence, NMS, classes, tracker "
             "parameters) and the test tracks in MOTChallenge format.", "%export"),
            ("13 · register", "Register the pipeline.",
             "%register name=pets-bytetrack stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
            ("14 · artifacts", "The artifact map (annotated video, bundle files).", "%artifacts"),
            ("15 · close", "Close the detector and the decoder.", "%close"),
        ])


def face_notebook():
    """notebooks/face.ipynb: AT&T identification and verification, then group photos named from a small gallery."""
    return notebook(
        "Face recognition: YuNet + ArcFace-style embeddings on AT&T, and naming the faces of group photos",
        "YuNet finds each face with five landmarks; a similarity transform aligns them to the ArcFace 112×112 "
        "template; the faceplugin 512-d network embeds the crop and its mirror; cosine similarity compares. "
        "Identification (rank-1/rank-5, open-set DIR at FAR 1%) and verification (ROC, EER, TAR@FAR as insightface "
        "interpolates it) on the AT&T/ORL faces (30 people × 10 images; credit AT&T Laboratories Cambridge): people "
        "are split by identity, each evaluation person enrols 5 images and probes with the other 5. The network "
        "cannot be fine-tuned here: fit enrols the gallery. The second part enrols five people from "
        "face_recognition's examples and names every face of its test photos (open set: a stranger is 'unknown'). "
        "The templates are biometric data: the export says so and can encrypt them.",
        [
            ("1 · configure", "Seed (which people are kept for validation) and threads.", "%configure seed=7 threads=2"),
            ("2 · attach_dataset", "One folder per person; the profile counts images and faces per person and "
             "their sizes, and names images with no face, several faces, tiny faces or duplicates.",
             'session().attachDataset(Args.of("path", Assets.data("face/att_faces").toString(), "task", "face"))'),
            ("3 · prepare_data", "Detector score, alignment and flip averaging (the defaults).", "%prepare min_score=0.7 align=true flip=true"),
            ("4 · split", "By identity: 30% of the people for validation (calibrate, tune, open-set non-mated "
             "probes), the rest enrol their first 5 images and probe with the other 5.", "%split validation=0.3 gallery=5"),
            ("5 · build", "YuNet and the 512-d embedding (`embedding=mobilefacenet` or your own ArcFace ONNX by path).",
             "%build spec=face.arcface embedding=fr512 detector=yunet"),
            ("6 · fit", "Enrol the gallery: a template per person (the mean of its normalised embeddings) and the "
             "individual embeddings are the index.", "%fit"),
            ("7 · evaluate", "Rank-1/rank-5, DIR at FAR 1%, EER and TAR@FAR over every genuine/impostor pair of "
             "the evaluation people, the ROC, and the closest impostor and farthest genuine pairs.", "%evaluate gallery=3"),
            ("8 · tune", "Flip averaging on and off on the validation people's pairs, by TAR at FAR 1%; applied "
             "only when it beats the current pipeline.", "%tune strategy=grid trials=2 space=flip=true|false target_far=0.01"),
            ("9 · backtest", "Faces have no time order.", "%backtest"),
            ("10 · calibrate", "The cosine threshold for FAR 1% on validation impostor pairs, to `thresholds.json`.",
             "%calibrate target_far=0.01"),
            ("11 · save_checkpoint", "Save the index, the split and the threshold.",
             'StepReport ck = session().saveCheckpoint(Args.of("tag", "calibrated"));\n'
             'String checkpointId = ck.body().get("checkpoint_id").asText();\n'
             'ck'),
            ("11 · resume", "A fresh session continues from the checkpoint; the models are loaded again on use.",
             RESUME),
            ("12 · export", "Templates, thresholds and the pipeline; the bundle states that it holds biometric data "
             "(`export encrypt=true` encrypts the index with AES-GCM under a key from the environment).", "%export"),
            ("13 · register", "Register the pipeline.",
             "%register name=att-faces stage=staging home=${MODELWORK_HOME:-${run_dir}/registry}"),
            ("14 · artifacts", "The artifact map.", "%artifacts"),
            ("15 · close", "Close the detector and the embedding network.", "%close"),
            ("Group photos · configure", "A second session: five people from face_recognition's examples.",
             "%configure seed=1 threads=2"),
            ("Group photos · attach", "`photos=` names a folder of photos whose faces evaluate finds and names.",
             'session().attachDataset(Args.of("path", Assets.data("face/knn_examples/train").toString(),\n'
             '    "photos", Assets.data("face/knn_examples/test").toString(), "task", "face"))'),
            ("Group photos · prepare, split, build, fit", "Everyone enrols (no validation people; one gallery image each).",
             'session().prepareData(Args.empty());\n'
             'session().split(Args.of("validation", 0.0, "gallery", 1));\n'
             'session().build(Args.of("embedding", "fr512"));\n'
             'session().fit(Args.empty())'),
            ("Group photos · evaluate", "Every face of the test photos with its box, landmarks and the name of the "
             "closest template when the cosine score reaches the threshold, else 'unknown'.", "%evaluate"),
            ("Group photos · close", "Close the session.", "%close"),
        ])


if __name__ == "__main__":
    out = os.path.join(ROOT, "notebooks")
    os.makedirs(out, exist_ok=True)
    nbformat.write(REGRESSION, os.path.join(out, "regression.ipynb"))
    nbformat.write(CLASSIFICATION, os.path.join(out, "classification.ipynb"))
    nbformat.write(RANKING, os.path.join(out, "ranking.ipynb"))
    nbformat.write(OPTIMIZATION, os.path.join(out, "optimization.ipynb"))
    nbformat.write(FORECASTING, os.path.join(out, "forecasting.ipynb"))
    nbformat.write(asr_notebook(), os.path.join(out, "asr.ipynb"))
    nbformat.write(anomaly_notebook(), os.path.join(out, "anomaly.ipynb"))
    nbformat.write(ocr_notebook(), os.path.join(out, "ocr.ipynb"))
    nbformat.write(speaker_notebook(), os.path.join(out, "speaker.ipynb"))
    nbformat.write(tracking_notebook(), os.path.join(out, "tracking.ipynb"))
    nbformat.write(face_notebook(), os.path.join(out, "face.ipynb"))
    print("wrote", out)
