"""Executes the template notebooks with the launcher's run script (nbclient, the real Jupyter client) and checks
their outputs: no error cell, HTML tables, PNG charts, metric values within bounds (read from the evaluate report's
application/vnd.modelwork.report+json output).
    /usr/bin/python3 -m unittest -v test_notebooks     (kernel: MODELWORK_KERNEL_NAME or the notebooks' 'modelwork')
The executed notebooks go to MODELWORK_NOTEBOOKS_OUT when set (JupyterProtocolTest: target/notebooks, which the
browser test then opens), else to a temporary folder.
"""
import os
import subprocess
import tempfile
import unittest

# a report's JSON (never application/json, which JupyterLab shows as a JSON tree instead of the HTML)
REPORT_MIME = "application/vnd.modelwork.report+json"

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../../../.."))
RUN = os.path.join(ROOT, "kernel-extensions/src/main/scripts/run.sh")
KERNEL = os.environ.get("MODELWORK_KERNEL_NAME")
ALL_NOTEBOOKS = ["regression", "classification", "ranking", "optimization", "forecasting", "asr", "anomaly", "ocr", "speaker", "tracking", "face"]
# MODELWORK_NOTEBOOKS_ONLY=ocr,speaker runs just those (the others' tests skip); the suite runs them all
ONLY = [n for n in os.environ.get("MODELWORK_NOTEBOOKS_ONLY", "").split(",") if n]
NOTEBOOKS = [n for n in ALL_NOTEBOOKS if not ONLY or n in ONLY]


def outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            for o in cell.outputs:
                yield cell, o


def step_json(nb, step):
    for _, o in outputs(nb):
        j = o.get("data", {}).get(REPORT_MIME)
        if isinstance(j, dict) and j.get("step") == step:
            return j
    raise AssertionError("no %s report in the notebook" % step)


def step_jsons(nb, step):
    return [o["data"][REPORT_MIME] for _, o in outputs(nb)
            if isinstance(o.get("data", {}).get(REPORT_MIME), dict) and o["data"][REPORT_MIME].get("step") == step]


class TemplateNotebooks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.environ.get("MODELWORK_NOTEBOOKS_OUT") or tempfile.mkdtemp(prefix="modelwork-notebooks-")
        cmd = [RUN] + [os.path.join(ROOT, "notebooks", n + ".ipynb") for n in NOTEBOOKS] + ["--out", cls.out]
        if KERNEL:
            cmd += ["--kernel", KERNEL]
        cls.run_result = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)

    def load(self, name):
        if name not in NOTEBOOKS:
            self.skipTest("not in MODELWORK_NOTEBOOKS_ONLY")
        path = os.path.join(self.out, name + ".ipynb")
        self.assertTrue(os.path.exists(path), self.run_result.stdout + self.run_result.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.out, name + ".html")))
        return nbformat.read(path, as_version=4)

    def test_run_succeeded(self):
        self.assertEqual(self.run_result.returncode, 0, self.run_result.stdout + self.run_result.stderr)

    def check_common(self, nb, min_tables=5, min_pngs=4):
        errors = [(c.source, o.get("ename"), o.get("evalue")) for c, o in outputs(nb) if o.output_type == "error"]
        self.assertEqual(errors, [])
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        self.assertTrue(all(c.execution_count for c in code_cells), "every cell ran")
        html = [o["data"]["text/html"] for _, o in outputs(nb) if "text/html" in o.get("data", {})]
        self.assertTrue(sum("<table" in h for h in html) >= min_tables, "HTML tables")
        pngs = [o for _, o in outputs(nb) if "image/png" in o.get("data", {})]
        self.assertGreaterEqual(len(pngs), min_pngs, "PNG charts (learning curve, evaluation, tuning, calibration)")
        for _, o in outputs(nb):
            if "data" in o:
                self.assertIn("text/plain", o["data"])
                self.assertNotIn("application/json", o["data"], "JupyterLab would show a JSON tree")
        # a template registers into its run's own registry unless MODELWORK_HOME names one (not ~/.modelwork)
        registry = step_json(nb, "register").get("registry", "")
        if os.environ.get("MODELWORK_HOME"):
            self.assertEqual(registry, os.environ["MODELWORK_HOME"])
        else:
            self.assertRegex(registry, r"/run-[^/]+/registry$")
        # display(...) cells show their displays, not the display id as an Out
        for c, o in outputs(nb):
            if o.output_type == "execute_result" and c.source.strip().startswith("display("):
                self.fail("display(...) echoed its id: %r" % o["data"].get("text/plain"))

    def test_regression(self):
        nb = self.load("regression")
        self.check_common(nb)
        metrics = step_json(nb, "evaluate")["metrics"]["test"]
        self.assertGreaterEqual(metrics["r2"], 0.85, metrics)
        self.assertLess(metrics["rmse"], 8.0, metrics)
        # %compare specs=regression.lightgbm: both specs on the same split, ranked by test RMSE, curves overlaid
        cmp = step_json(nb, "compare")
        self.assertEqual({r["spec"] for r in cmp["runs"]}, {"regression.xgboost", "regression.lightgbm"}, cmp["runs"])
        rmses = [r["metrics"]["rmse"] for r in cmp["runs"]]
        self.assertEqual(rmses, sorted(rmses), "ranked, lower RMSE first")
        self.assertTrue(all(v < 8.0 for v in rmses), rmses)
        self.assertIn("overlay_learning_curve", [c["name"] for c in cmp.get("charts", [])])

    def test_classification(self):
        nb = self.load("classification")
        self.check_common(nb)
        metrics = step_json(nb, "evaluate")["metrics"]["test"]
        self.assertGreaterEqual(metrics["roc_auc"], 0.97, metrics)

    def test_ranking(self):
        nb = self.load("ranking")
        self.check_common(nb, min_pngs=3)
        metrics = step_json(nb, "evaluate")["metrics"]["test"]
        self.assertGreater(metrics["ndcg@1"], 0.5674, metrics)
        self.assertGreater(metrics["ndcg@3"], 0.578, metrics)

    def test_optimization(self):
        nb = self.load("optimization")
        self.check_common(nb, min_tables=4, min_pngs=2)
        metrics = step_json(nb, "evaluate")["metrics"]
        self.assertEqual(metrics["violations"], 0, metrics)
        self.assertEqual(metrics["objective"], 7542, "berlin52 reaches its optimum: %s" % metrics)
        # the second part: ft06 written as a CP-SAT model in a Java cell (optimization.cpsat)
        builds = step_jsons(nb, "build")
        self.assertEqual(builds[-1]["spec"], "optimization.cpsat", builds[-1])
        cpsat = step_jsons(nb, "evaluate")[-1]
        self.assertEqual(cpsat["metrics"]["violations"], 0, cpsat["metrics"])
        self.assertEqual(cpsat["metrics"]["objective"], 55, "ft06 by hand reaches its optimum: %s" % cpsat["metrics"])
        self.assertEqual(cpsat["reported"]["makespan"], 55)

    def test_forecasting(self):
        nb = self.load("forecasting")
        self.check_common(nb, min_pngs=2)
        self.assertIn("ARIMA(0,1,1)(0,1,1)[12]", str(step_json(nb, "fit")), "the airline model, as R's auto.arima")
        metrics = step_json(nb, "evaluate")["metrics"]["test"]
        self.assertAlmostEqual(metrics["mape"], 8.52, delta=0.05)

    def test_anomaly(self):
        nb = self.load("anomaly")
        self.check_common(nb, min_pngs=2)
        metrics = step_json(nb, "evaluate")["metrics"]["test"]
        self.assertGreater(metrics["image_auroc"], 0.85, "far above the 0.827 thumbnail-kNN floor: %s" % metrics)
        self.assertGreater(metrics["pixel_auroc"], 0.85, metrics)

    def test_ocr(self):
        nb = self.load("ocr")
        self.check_common(nb, min_pngs=1)
        metrics = step_json(nb, "evaluate")["metrics"]
        self.assertLess(metrics["cer"], 0.05, "PP-OCRv4 on the shared pages: %s" % metrics)

    def test_speaker(self):
        nb = self.load("speaker")
        self.check_common(nb, min_pngs=1)
        report = step_json(nb, "evaluate")
        self.assertLess(report["der"], 0.25, "pyannote's sample, threshold fitted on the synthetic mix: %s" % report)
        self.assertLess(report["jer"], 0.35, report)

    def test_tracking(self):
        nb = self.load("tracking")
        self.check_common(nb, min_pngs=2)
        metrics = step_json(nb, "evaluate")["metrics"]["test"]
        # PETS2009 S2.L1 frames 161-240 (the test segment), YOLOX-Nano + ByteTrack at the reference's defaults;
        # measured HOTA 0.620, MOTA 0.714, IDF1 0.848 (the greedy IoU tracker on the same detections: HOTA 0.595, IDF1 0.792)
        self.assertGreater(metrics["hota"], 0.60, metrics)
        self.assertGreater(metrics["mota"], 0.69, metrics)
        self.assertGreater(metrics["idf1"], 0.82, metrics)
        self.assertGreater(metrics["idf1"], step_json(nb, "evaluate")["greedy_iou_baseline_test"]["idf1"], "ByteTrack beats greedy IoU")
        # the annotated test segment plays inline (an H.264 MP4 as a data URI in a <video> element)
        html = "".join(o["data"]["text/html"] for _, o in outputs(nb) if "text/html" in o.get("data", {}))
        self.assertIn("<video", html)
        self.assertIn("data:video/mp4;base64,", html)

    def test_face(self):
        nb = self.load("face")
        self.check_common(nb, min_pngs=1)
        evaluations = step_jsons(nb, "evaluate")
        m = evaluations[0]["metrics"]
        # AT&T, 21 evaluation people × 5 probes (FaceCategoryTest measured rank-1 1.0, EER 0.003, TAR@FAR=0.001 0.99)
        self.assertGreaterEqual(m["rank1"], 0.98, m)
        self.assertGreaterEqual(m["tar@far=0.01"], 0.97, m)
        self.assertLessEqual(m["eer"], 0.03, m)
        # the group photos: both people named, the child in the corner unknown
        names = evaluations[-1]["metrics"]["names_per_photo"]
        self.assertEqual(sorted(names["obama_and_biden.jpg"]), ["biden", "obama", "unknown"], names)
        self.assertEqual(sorted(names["kit_with_rose.jpg"]), ["kit_harington", "rose_leslie"], names)


if __name__ == "__main__":
    unittest.main()
