"""pdist (order, p-norms, the gradient at zero distance and p = inf ties) and gumbel_softmax (its noise from
autograd's generator, the straight-through hard sample, dtypes, errors)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd
import nn.functional as F


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_pdist_order_and_norms():
    x = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, -1.0], [3.0, 4.0]])
    pairs = [(i, j) for i in range(4) for j in range(i + 1, 4)]  # (0, 1), (0, 2), ..., (2, 3)
    for p in (0, 0.5, 1, 2, 3, np.inf):
        expected = [np.linalg.norm(x[i] - x[j], ord=p) if p else np.count_nonzero(x[i] - x[j]) for i, j in pairs]
        np.testing.assert_allclose(F.pdist(t64(x), p).numpy(), expected, rtol=1e-14)
    assert F.pdist(t64(x)).numpy()[:3].tolist() == [5.0, np.sqrt(2), 5.0]
    assert F.pdist(t64(np.zeros((1, 3)))).shape == (0,) and F.pdist(t64(np.zeros((0, 3)))).shape == (0,)
    assert F.pdist(t64(np.zeros((3, 0)))).numpy().tolist() == [0.0, 0.0, 0.0]
    assert F.pdist(autograd.tensor(x.astype(np.float32))).dtype == np.float32


def test_pdist_gradient_at_zero_distance_and_ties():
    # rows 0 and 1 coincide: their distance has gradient 0 for every p (PyTorch 2.13 agrees)
    x = t64([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [0.0, 2.0, 5.0]], True)
    for p in (0.5, 1, 2, 3, np.inf):
        (g,) = autograd.grad(F.pdist(x, p), x, t64([1.0, 0.0, 0.0]))
        np.testing.assert_array_equal(g.numpy(), np.zeros((3, 3)))
    # p = 1: sign(x_i - x_j) per pair, times the output gradient; the 0 component gets 0
    (g,) = autograd.grad(F.pdist(x, 1), x, t64([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(g.numpy(), [[2, 0, -2], [3, 0, -3], [-5, 0, 5]])
    # p = inf with a tie |1 - 0| = |0 - 1|: each tied component gets the full gradient, as PyTorch's pdist
    y = t64([[1.0, 0.0], [0.0, 1.0]], True)
    (g,) = autograd.grad(F.pdist(y, np.inf), y)
    np.testing.assert_array_equal(g.numpy(), [[1.0, -1.0], [-1.0, 1.0]])


def test_pdist_errors_and_gradchecks():
    with pytest.raises(RuntimeError, match=r"pdist: only supports 2-D input \(N, M\), got shape \[3\]"):
        F.pdist(t64([1.0, 2.0, 3.0]))
    with pytest.raises(RuntimeError, match="pdist: only supports floating-point dtypes, got int64"):
        F.pdist(autograd.tensor([[1, 2], [3, 4]]))
    with pytest.raises(RuntimeError, match="non-negative p values, got p=-1"):
        F.pdist(t64(np.zeros((2, 2))), -1)
    x = t64(np.random.default_rng(0).standard_normal((4, 3)), True)
    for p in (1.5, 2, 3, np.inf):
        assert autograd.gradcheck(lambda u, p=p: F.pdist(u, p), [x])
    assert autograd.gradgradcheck(lambda u: F.pdist(u), [x])


def test_gumbel_softmax_uses_autograd_generator():
    logits = t64([[1.0, 0.5, -2.0], [0.0, 0.0, 3.0]], True)
    autograd.manual_seed(7)
    out = F.gumbel_softmax(logits, tau=0.5)
    autograd.manual_seed(7)
    u = autograd.rand((2, 3), dtype=autograd.float64).numpy()
    z = (logits.detach().numpy() - np.log(-np.log(u))) / 0.5
    expected = np.exp(z - z.max(1, keepdims=True))
    np.testing.assert_allclose(out.detach().numpy(), expected / expected.sum(1, keepdims=True), rtol=1e-13)
    np.testing.assert_allclose(out.detach().numpy().sum(1), [1.0, 1.0])


def test_gumbel_softmax_hard_is_straight_through():
    logits = t64(np.random.default_rng(2).standard_normal((4, 5)), True)
    autograd.manual_seed(3)
    hard = F.gumbel_softmax(logits, hard=True, dim=0)
    autograd.manual_seed(3)
    soft = F.gumbel_softmax(logits, dim=0)
    values = hard.detach().numpy()
    assert set(np.unique(values)) == {0.0, 1.0} and values.sum(0).tolist() == [1.0] * 5
    np.testing.assert_array_equal(values.argmax(0), soft.detach().numpy().argmax(0))
    weights = t64(np.random.default_rng(4).standard_normal((4, 5)))
    (g_hard,) = autograd.grad((hard * weights).sum(), logits)
    (g_soft,) = autograd.grad((soft * weights).sum(), logits)
    np.testing.assert_allclose(g_hard.numpy(), g_soft.numpy(), atol=1e-15)


def test_gumbel_softmax_sampling_frequencies_follow_softmax():
    logits = np.array([1.0, 0.2, -1.0, 0.5])
    autograd.manual_seed(0)
    samples = F.gumbel_softmax(t64(np.tile(logits, (40000, 1))), hard=True).numpy()
    probabilities = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(samples.mean(0), probabilities, atol=0.01)


def test_gumbel_softmax_dtypes_and_errors():
    assert F.gumbel_softmax(autograd.zeros(2, 3)).dtype == np.float32
    assert F.gumbel_softmax(autograd.zeros(2, 3, dtype=autograd.float64), hard=True).dtype == np.float64
    assert F.gumbel_softmax(t64(1.5)).item() == 1.0 and F.gumbel_softmax(autograd.zeros(0, 3)).shape == (0, 3)
    with pytest.warns(UserWarning, match="`eps` parameter is deprecated"):
        F.gumbel_softmax(autograd.zeros(3), eps=1e-5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.gumbel_softmax(autograd.zeros(3))
    with pytest.raises(RuntimeError, match="gumbel_softmax: .*floating dtype, got int64"):
        F.gumbel_softmax(autograd.tensor([1, 2]))
    assert np.isnan(F.gumbel_softmax(autograd.zeros(3), tau=0).numpy()).all()  # as PyTorch: tau is not checked
