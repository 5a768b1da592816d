#!/usr/bin/python3
"""Regenerates sklearn_reference.json: fixed inputs and the values scikit-learn computes for them.

Run with Debian's interpreter and scikit-learn (apt-get install python3-sklearn):

    /usr/bin/python3 library/src/test/resources/metrics/sklearn_reference.py

MetricsSklearnReferenceTest checks every io.modelwork.metrics function against this file to 1e-9.
The inputs are deterministic (seeded numpy); rerunning with the same sklearn/numpy yields the same file.
"""
import json
import os
import sys

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.calibration import calibration_curve
from sklearn.preprocessing import label_binarize

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sklearn_reference.json")


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


# ---------------------------------------------------------------- regression
def regression_case(name, y, p):
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    return {
        "name": name,
        "y": floats(y),
        "p": floats(p),
        "expected": {
            "rmse": float(metrics.mean_squared_error(y, p, squared=False)),
            "mse": float(metrics.mean_squared_error(y, p)),
            "mae": float(metrics.mean_absolute_error(y, p)),
            "r2": float(metrics.r2_score(y, p)),
            "mape": float(metrics.mean_absolute_percentage_error(y, p)),
            "median_absolute_error": float(metrics.median_absolute_error(y, p)),
            "residuals": floats(y - p),  # y_true - y_pred (sklearn has no function for this)
        },
    }


def regression_cases(rng):
    n = 120
    y = np.round(rng.normal(10.0, 4.0, n), 3)
    y[[3, 40, 77]] = 0.0  # zeros in y: MAPE divides by eps there
    p = y + rng.normal(0.0, 1.5, n)
    yield regression_case("regression_noisy_with_zero_y", y, p)
    y2 = np.round(rng.uniform(1.0, 50.0, 61), 2)
    yield regression_case("regression_constant_prediction", y2, np.full(61, float(np.mean(y2))))
    yield regression_case("regression_constant_y", np.full(9, 3.5), np.linspace(2.0, 5.0, 9))
    yield regression_case("regression_constant_y_perfect", np.full(5, -2.0), np.full(5, -2.0))
    yield regression_case("regression_even_n_median", [1.0, 2.0, 3.0, 4.0], [1.5, 1.0, 3.25, 6.0])


# ------------------------------------------------------------ classification
def classification_case(name, y, proba, n_bins=(5, 10)):
    y = np.asarray(y, dtype=np.int64)
    proba = np.asarray(proba, dtype=np.float64)
    k = proba.shape[1]
    pred = np.argmax(proba, axis=1)
    average = "binary" if k == 2 else "macro"
    exp = {
        "argmax": ints(pred),
        "accuracy": float(metrics.accuracy_score(y, pred)),
        "f1": float(metrics.f1_score(y, pred, average=average, zero_division="warn")),
        "precision": float(metrics.precision_score(y, pred, average=average)),
        "recall": float(metrics.recall_score(y, pred, average=average)),
        "log_loss": float(metrics.log_loss(y, proba, labels=list(range(k)))),
        "confusion_matrix": [ints(r) for r in metrics.confusion_matrix(y, pred, labels=list(range(k)))],
    }
    if k == 2:
        s = proba[:, 1]
        exp["roc_auc"] = float(metrics.roc_auc_score(y, s))
        exp["pr_auc"] = float(metrics.average_precision_score(y, s))
        exp["brier"] = float(metrics.brier_score_loss(y, s))
        fpr, tpr, thr = metrics.roc_curve(y, s)  # drop_intermediate=True
        exp["roc_curve"] = {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thr)}
        prec, rec, thr = metrics.precision_recall_curve(y, s)
        exp["pr_curve"] = {"precision": floats(prec), "recall": floats(rec), "thresholds": floats(thr)}
        exp["calibration_curves"] = []
        for b in n_bins:
            pt, pp = calibration_curve(y, s, n_bins=b, strategy="uniform")
            exp["calibration_curves"].append({"n_bins": b, "prob_true": floats(pt), "prob_pred": floats(pp)})
        thr_pred = (s > 0.3).astype(np.int64)  # predictAtThreshold(proba, 0.3)
        exp["threshold_0_3"] = {
            "pred": ints(thr_pred),
            "f1": float(metrics.f1_score(y, thr_pred)),
            "precision": float(metrics.precision_score(y, thr_pred)),
            "recall": float(metrics.recall_score(y, thr_pred)),
        }
    else:
        exp["roc_auc"] = float(metrics.roc_auc_score(y, proba, multi_class="ovr", average="macro"))
        exp["pr_auc"] = float(metrics.average_precision_score(
            label_binarize(y, classes=list(range(k))), proba, average="macro"))
        # sklearn 1.2 has no multiclass Brier score: mean over samples of the squared distance to one-hot
        onehot = np.eye(k)[y]
        exp["brier"] = float(np.mean(np.sum((proba - onehot) ** 2, axis=1)))
    return {"name": name, "k": int(k), "y": ints(y), "proba": [floats(r) for r in proba], "expected": exp}


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def classification_cases(rng):
    # binary: scores rounded to 2 decimals (many ties), some exactly 0, 1, 0.5 and on calibration bin edges
    n = 200
    y = rng.binomial(1, 0.4, n)
    s = np.clip(np.round(0.35 * y + rng.uniform(0.0, 0.65, n), 2), 0.0, 1.0)
    s[[0, 1]] = 0.0
    s[[2, 3]] = 1.0
    s[[4, 5, 6]] = 0.5
    s[[7, 8, 9, 10]] = [0.2, 0.4, 0.6, 0.8]
    yield classification_case("binary_ties", y, np.column_stack([1.0 - s, s]))

    # small hand-made binary case, heavy ties across both classes
    y = [0, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1]
    s = np.array([0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1, 0.1, 0.65, 0.8, 0.35])
    yield classification_case("binary_small_ties", y, np.column_stack([1.0 - s, s]), n_bins=(3, 4))

    # constant prediction: every row is [0.6, 0.4] -> argmax predicts 0 everywhere (zero division in f1)
    y = rng.binomial(1, 0.3, 40)
    y[:2] = [0, 1]
    yield classification_case("binary_constant_prediction", y, np.tile([0.6, 0.4], (40, 1)))

    # 3 classes: softmax of logits rounded to 1 decimal (ties inside columns), one column hit by 0 and 1
    n = 150
    y = rng.integers(0, 3, n)
    z = np.round(rng.normal(0.0, 1.0, (n, 3)) + 1.2 * np.eye(3)[y], 1)
    proba = softmax(z)
    proba[0] = [1.0, 0.0, 0.0]
    proba[1] = [0.0, 0.5, 0.5]
    yield classification_case("multiclass_3", y, proba)

    # 4 classes where class 3 is never the argmax (zero division in macro precision)
    n = 60
    y = rng.integers(0, 4, n)
    z = np.round(rng.normal(0.0, 1.0, (n, 4)) + 1.0 * np.eye(4)[y], 1)
    z[:, 3] -= 5.0
    yield classification_case("multiclass_4_never_predicts_3", y, softmax(z))


# ------------------------------------------------- label-only metrics (int predictions)
def label_case(name, y, pred, k):
    y = np.asarray(y, dtype=np.int64)
    pred = np.asarray(pred, dtype=np.int64)
    average = "binary" if k == 2 else "macro"  # macro averages over labels present in y or pred
    return {
        "name": name, "k": int(k), "y": ints(y), "pred": ints(pred),
        "expected": {
            "accuracy": float(metrics.accuracy_score(y, pred)),
            "f1": float(metrics.f1_score(y, pred, average=average)),
            "precision": float(metrics.precision_score(y, pred, average=average)),
            "recall": float(metrics.recall_score(y, pred, average=average)),
            "confusion_matrix": [ints(r) for r in metrics.confusion_matrix(y, pred, labels=list(range(k)))],
        },
    }


def label_cases():
    yield label_case("k3_label_2_absent", [0, 1, 1, 0, 1, 0, 0], [0, 1, 0, 0, 1, 1, 1], 3)
    yield label_case("k2_all_negative_truth", [0, 0, 0, 0], [0, 1, 0, 0], 2)
    yield label_case("k2_nothing_positive", [0, 0, 0], [0, 0, 0], 2)
    yield label_case("k4_mixed", [0, 1, 2, 3, 3, 2, 1, 0, 2, 2], [0, 2, 2, 3, 1, 2, 1, 3, 0, 2], 4)


def main():
    rng = np.random.default_rng(20230121)
    doc = {
        "generator": "library/src/test/resources/metrics/sklearn_reference.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": sys.version.split()[0],
        "regression": list(regression_cases(rng)),
        "classification": list(classification_cases(rng)),
        "labels": list(label_cases()),
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
