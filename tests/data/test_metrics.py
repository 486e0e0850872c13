"""Metrics against hand-computed values and the classic MNIST '5'-detector confusion counts."""

import math

import numpy as np
import pytest

import autograd
from data import metrics

# The '5' detector: TP = 1091, FN = 206, FP = 105, TN = 12598 (14,000 samples).
TP, FN, FP, TN = 1091, 206, 105, 12598


def five_detector_labels():
    y_true = np.array([1] * TP + [1] * FN + [0] * FP + [0] * TN)
    y_pred = np.array([1] * TP + [0] * FN + [1] * FP + [0] * TN)
    return y_true, y_pred


def ten_class_labels_with_the_same_counts_for_five():
    """Ten-class labels in which digit 5 has the detector's counts; the other digits' errors are spread out."""
    true, pred = [], []

    def add(t, p, count):
        true.extend([t] * count)
        pred.extend([p] * count)

    add(5, 5, TP)
    add(5, 3, 150)
    add(5, 8, FN - 150)  # the 206 missed fives
    add(3, 5, 60)
    add(8, 5, 30)
    add(6, 5, FP - 90)  # the 105 false alarms
    others = [d for d in range(10) if d != 5]
    remaining = TN
    for digit in others:
        add(digit, (digit + 1) % 10 if digit != 4 else 7, 40)  # confusions that involve no 5
        remaining -= 40
    for i, digit in enumerate(others):
        add(digit, digit, remaining // 9 + (1 if i < remaining % 9 else 0))
    return np.array(true), np.array(pred)


def test_five_detector_binary():
    y_true, y_pred = five_detector_labels()
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred), [[TN, FP], [FN, TP]])
    assert metrics.recall(y_true, y_pred, average="binary") == pytest.approx(0.841, abs=5e-4)
    assert metrics.precision(y_true, y_pred, average="binary") == pytest.approx(0.912, abs=5e-4)
    assert metrics.f1_score(y_true, y_pred, average="binary") == pytest.approx(0.875, abs=5e-4)
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(0.978, abs=5e-4)
    assert metrics.recall(y_true, y_pred, average="binary") == pytest.approx(1091 / 1297)
    assert metrics.precision(y_true, y_pred, average="binary") == pytest.approx(1091 / 1196)


def test_five_detector_inside_a_ten_class_confusion_matrix():
    y_true, y_pred = ten_class_labels_with_the_same_counts_for_five()
    assert y_true.size == TP + FN + FP + TN
    matrix = metrics.confusion_matrix(y_true, y_pred)
    assert matrix.shape == (10, 10) and matrix.sum() == 14_000
    assert matrix[5, 5] == TP
    assert matrix[5].sum() - TP == FN  # row: true fives predicted as something else
    assert matrix[:, 5].sum() - TP == FP  # column: other digits predicted as five
    assert metrics.recall(y_true, y_pred)[5] == pytest.approx(0.841, abs=5e-4)
    assert metrics.precision(y_true, y_pred)[5] == pytest.approx(0.912, abs=5e-4)
    assert metrics.f1_score(y_true, y_pred)[5] == pytest.approx(0.875, abs=5e-4)
    binary_accuracy = metrics.accuracy(y_true == 5, y_pred == 5)
    assert binary_accuracy == pytest.approx(0.978, abs=5e-4)


def test_small_multiclass_by_hand():
    y_true = [0, 0, 1, 1, 2, 2]
    y_pred = [0, 1, 1, 1, 2, 0]
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred), [[1, 1, 0], [0, 2, 0], [1, 0, 1]])
    np.testing.assert_allclose(metrics.precision(y_true, y_pred), [1 / 2, 2 / 3, 1])
    np.testing.assert_allclose(metrics.recall(y_true, y_pred), [1 / 2, 1, 1 / 2])
    np.testing.assert_allclose(metrics.f1_score(y_true, y_pred), [1 / 2, 4 / 5, 2 / 3])
    assert metrics.f1_score(y_true, y_pred, average="macro") == pytest.approx((1 / 2 + 4 / 5 + 2 / 3) / 3)
    assert metrics.precision(y_true, y_pred, average="macro") == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(4 / 6)


def test_confusion_matrix_num_classes_and_never_predicted_class():
    matrix = metrics.confusion_matrix([0, 1], [0, 0], num_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 0, 0], [1, 0, 0], [0, 0, 0]])
    np.testing.assert_allclose(metrics.precision([0, 1], [0, 0]), [0.5, 0.0])
    with pytest.raises(ValueError, match="out of range"):
        metrics.confusion_matrix([0, 3], [0, 0], num_classes=3)
    with pytest.raises(ValueError, match="average"):
        metrics.recall([0, 1], [0, 1], average="micro")


def test_accuracy_accepts_tensors_and_scores():
    logits = autograd.tensor([[2.0, 1.0], [0.1, 0.3], [5.0, -1.0]])
    assert metrics.accuracy(autograd.tensor([0, 1, 1]), logits) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="same length"):
        metrics.accuracy([0, 1], [0, 1, 1])


def test_roc_curve_and_auc_by_hand():
    y_true = [0, 0, 1, 1]
    scores = [0.1, 0.4, 0.35, 0.8]
    fpr, tpr, thresholds = metrics.roc_curve(y_true, scores)
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 0.5, 1, 1])
    np.testing.assert_allclose(thresholds, [np.inf, 0.8, 0.4, 0.35, 0.1])
    # Of the 4 (positive, negative) pairs only (0.35, 0.4) is ordered wrongly: AUC = 3/4.
    assert metrics.roc_auc(y_true, scores) == pytest.approx(0.75)
    assert metrics.auc(fpr, tpr) == pytest.approx(0.75)


def test_roc_auc_counts_ties_as_half():
    # Pairs (pos, neg): (0.9, 0.5) 1, (0.9, 0.2) 1, (0.5, 0.5) 1/2, (0.5, 0.2) 1 -> 3.5 / 4.
    fpr, tpr, thresholds = metrics.roc_curve([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 1, 1])
    assert metrics.roc_auc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]) == pytest.approx(0.875)
    with pytest.raises(ValueError, match="both classes"):
        metrics.roc_curve([1, 1], [0.2, 0.3])


def test_precision_recall_curve_by_hand():
    precision, recall, thresholds = metrics.precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    np.testing.assert_allclose(precision, [1 / 2, 2 / 3, 1 / 2, 1, 1])
    np.testing.assert_allclose(recall, [1, 1, 1 / 2, 1 / 2, 0])
    np.testing.assert_allclose(thresholds, [0.1, 0.35, 0.4, 0.8])


def test_auc_trapezoids_and_direction():
    assert metrics.auc([0, 1, 2], [0, 1, 0]) == pytest.approx(1.0)
    assert metrics.auc([2, 1, 0], [0, 1, 1]) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="monotonic"):
        metrics.auc([0, 2, 1], [0, 1, 0])


def test_regression_metrics_by_hand():
    y_true, y_pred = [1.0, 2.0, 3.0], autograd.tensor([1.0, 4.0, 0.0])  # errors 0, -2, 3
    assert metrics.mse(y_true, y_pred) == pytest.approx(13 / 3)
    assert metrics.rmse(y_true, y_pred) == pytest.approx(math.sqrt(13 / 3))
    assert metrics.mae(y_true, y_pred) == pytest.approx(5 / 3)
    with pytest.raises(ValueError, match="same shape"):
        metrics.mse([1.0], [1.0, 2.0])
