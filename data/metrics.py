"""Classification and regression metrics on numpy arrays (Tensors are accepted and converted).

Argument order follows scikit-learn: ``metric(y_true, y_pred)``. For binary metrics the positive class is 1.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._convert import to_numpy

_AVERAGES = (None, "macro", "binary")


def _labels(values: Any, name: str) -> np.ndarray:
    array = to_numpy(values)
    if array.ndim != 1:
        raise ValueError(f"{name} should be one-dimensional (N,), got shape {array.shape}")
    return array


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    true, pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(f"y_true and y_pred should have the same length, "
                         f"got {true.shape[0]} and {pred.shape[0]}")
    return true, pred


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Fraction of correct predictions, ``mean(y_true == y_pred)``.

    Parameters
    ----------
    y_true : (N,) integer labels
    y_pred : (N,) predicted labels, or (N, C) scores (logits or probabilities), reduced by argmax over C
    """
    pred = to_numpy(y_pred)
    if pred.ndim == 2:
        pred = pred.argmax(axis=1)
    true, pred = _pair(y_true, pred)
    return float(np.mean(true == pred))


def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None) -> np.ndarray:
    """Counts of (true, predicted) label pairs.

    Returns
    -------
    ndarray of int64, shape (C, C)
        Entry [i, j] counts the samples of true class i predicted as class j (rows true, columns predicted).
        C is ``num_classes``, or one more than the largest label seen.
    """
    true, pred = _pair(y_true, y_pred)
    true, pred = true.astype(np.int64), pred.astype(np.int64)
    if true.size and min(true.min(), pred.min()) < 0:
        raise ValueError("confusion_matrix: labels should be non-negative integers")
    seen = int(max(true.max(), pred.max())) + 1 if true.size else 0
    if num_classes is None:
        num_classes = seen
    elif seen > num_classes:
        raise ValueError(f"confusion_matrix: label {seen - 1} is out of range for num_classes={num_classes}")
    counts = np.bincount(true * num_classes + pred, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).astype(np.int64)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, with 0 where the denominator is 0."""
    out = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _averaged(per_class: np.ndarray, average: str | None, name: str) -> np.ndarray | float:
    if average is None:
        return per_class
    if average == "macro":
        return float(per_class.mean())
    if average == "binary":
        if per_class.shape[0] > 2:
            raise ValueError(f"{name}: average='binary' needs two classes, got {per_class.shape[0]}")
        return float(per_class[1])
    raise ValueError(f"{name}: average should be one of {_AVERAGES}, got {average!r}")


def precision(y_true: Any, y_pred: Any, average: str | None = None,
              num_classes: int | None = None) -> np.ndarray | float:
    """Precision TP / (TP + FP) of each class, i.e. column-normalised diagonal of the confusion matrix.

    Parameters
    ----------
    average : None, "macro" or "binary"
        None: an array (C,) with one value per class. "macro": their unweighted mean. "binary": the value for
        class 1 of a two-class problem.

    A class never predicted has precision 0 (scikit-learn's ``zero_division=0``).
    """
    matrix = confusion_matrix(y_true, y_pred, num_classes)
    return _averaged(_ratio(np.diag(matrix), matrix.sum(axis=0)), average, "precision")


def recall(y_true: Any, y_pred: Any, average: str | None = None,
           num_classes: int | None = None) -> np.ndarray | float:
    """Recall TP / (TP + FN) of each class, i.e. row-normalised diagonal of the confusion matrix.

    ``average`` as in :func:`precision`; a class absent from y_true has recall 0.
    """
    matrix = confusion_matrix(y_true, y_pred, num_classes)
    return _averaged(_ratio(np.diag(matrix), matrix.sum(axis=1)), average, "recall")


def f1_score(y_true: Any, y_pred: Any, average: str | None = None,
             num_classes: int | None = None) -> np.ndarray | float:
    """F1 = 2 P R / (P + R) = 2 TP / (2 TP + FP + FN) of each class: the harmonic mean of P and R.

    ``average`` as in :func:`precision`; "macro" averages the per-class F1 values (scikit-learn's definition).
    """
    matrix = confusion_matrix(y_true, y_pred, num_classes)
    true_positives = np.diag(matrix)
    per_class = _ratio(2 * true_positives, matrix.sum(axis=0) + matrix.sum(axis=1))
    return _averaged(per_class, average, "f1_score")


def _binary_counts(y_true: Any, y_score: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cumulative false and true positives when thresholding at each distinct score, highest first."""
    true, score = _pair(y_true, y_score)
    if not np.isin(true, (0, 1)).all():
        raise ValueError(f"y_true should hold binary labels 0 and 1, got values {np.unique(true)[:10]}")
    order = np.argsort(-score.astype(np.float64), kind="stable")
    score, true = score[order], true[order].astype(np.int64)
    last_of_each = np.r_[np.flatnonzero(np.diff(score)), true.size - 1]
    true_positives = np.cumsum(true)[last_of_each]
    false_positives = last_of_each + 1 - true_positives
    return false_positives, true_positives, score[last_of_each]


def roc_curve(y_true: Any, y_score: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Receiver operating characteristic: rates of the classifier ``score >= threshold`` for every threshold.

    Parameters
    ----------
    y_true : (N,) labels in {0, 1}
    y_score : (N,) scores, higher meaning more likely positive

    Returns
    -------
    fpr, tpr : ndarray (T + 1,)
        False positive rate FP / (FP + TN) and true positive rate TP / (TP + FN), non-decreasing, from (0, 0).
    thresholds : ndarray (T + 1,)
        Decreasing: ``inf`` (nothing predicted positive), then each of the T distinct scores. Unlike
        scikit-learn's default, no intermediate point is dropped.
    """
    false_positives, true_positives, thresholds = _binary_counts(y_true, y_score)
    if true_positives[-1] == 0 or false_positives[-1] == 0:
        raise ValueError("roc_curve: y_true should contain both classes 0 and 1")
    fpr = np.r_[0.0, false_positives / false_positives[-1]]
    tpr = np.r_[0.0, true_positives / true_positives[-1]]
    return fpr, tpr, np.r_[np.inf, thresholds.astype(np.float64)]


def auc(x: Any, y: Any) -> float:
    """Area under the curve through the points (x, y), by the trapezoidal rule; x must be monotonic."""
    x, y = _pair(x, y)
    x, y = x.astype(np.float64), y.astype(np.float64)
    steps = np.diff(x)
    if np.any(steps < 0) and np.any(steps > 0):
        raise ValueError("auc: x should be monotonically increasing or decreasing")
    area = float(np.sum(steps * (y[1:] + y[:-1]) / 2))
    return -area if np.all(steps <= 0) and np.any(steps < 0) else area


def roc_auc(y_true: Any, y_score: Any) -> float:
    """Area under the ROC curve: the probability that a random positive scores above a random negative
    (ties counting one half)."""
    fpr, tpr, _ = roc_curve(y_true, y_score)
    return auc(fpr, tpr)


def precision_recall_curve(y_true: Any, y_score: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall of the classifier ``score >= threshold`` at every distinct score (as sklearn).

    Returns
    -------
    precision : ndarray (T + 1,)
        ``precision[i]`` is that of threshold ``thresholds[i]``; the last entry is 1.
    recall : ndarray (T + 1,)
        Non-increasing; the last entry is 0.
    thresholds : ndarray (T,)
        The distinct scores, increasing.
    """
    false_positives, true_positives, thresholds = _binary_counts(y_true, y_score)
    if true_positives[-1] == 0:
        raise ValueError("precision_recall_curve: y_true contains no positive sample")
    precision_values = true_positives / (true_positives + false_positives)
    recall_values = true_positives / true_positives[-1]
    return np.r_[precision_values[::-1], 1.0], np.r_[recall_values[::-1], 0.0], thresholds[::-1]


def _regression_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    true, pred = to_numpy(y_true).astype(np.float64), to_numpy(y_pred).astype(np.float64)
    if true.shape != pred.shape:
        raise ValueError(f"y_true and y_pred should have the same shape, got {true.shape} and {pred.shape}")
    return true, pred


def mse(y_true: Any, y_pred: Any) -> float:
    """Mean squared error, ``mean((y_true - y_pred)^2)`` over all elements."""
    true, pred = _regression_pair(y_true, y_pred)
    return float(np.mean((true - pred) ** 2))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error, ``sqrt(mse)``."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error, ``mean(|y_true - y_pred|)`` over all elements."""
    true, pred = _regression_pair(y_true, y_pred)
    return float(np.mean(np.abs(true - pred)))
