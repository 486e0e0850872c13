"""normalize, cosine_similarity and pairwise_distance (and their modules): hand values, identities, the
gradients at and near the zero vector (PyTorch 2.13 values pasted), broadcasting, errors, gradchecks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F


def t64(values, requires_grad=False):
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_normalize_gives_unit_vectors_and_leaves_zero_vectors():
    x = t64([[3.0, 4.0], [0.0, 0.0]])
    np.testing.assert_allclose(F.normalize(x).numpy(), [[0.6, 0.8], [0.0, 0.0]])
    np.testing.assert_allclose(F.normalize(x, p=1).numpy(), [[3 / 7, 4 / 7], [0, 0]])
    np.testing.assert_allclose(F.normalize(x, p=math.inf, dim=0).numpy(), [[1.0, 1.0], [0, 0]])
    np.testing.assert_allclose(F.normalize(t64([3.0, 4.0]), dim=0).numpy(), [0.6, 0.8])
    rows = autograd.randn(5, 7, dtype=autograd.float64)
    np.testing.assert_allclose(autograd.norm(F.normalize(rows, dim=1), dim=1).numpy(), np.ones(5))


def test_normalize_gradient_at_the_zero_vector_is_one_over_eps():
    x = t64([[0.0, 0.0, 0.0]], requires_grad=True)
    F.normalize(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[1e12] * 3])  # PyTorch 2.13: the norm's gradient is 0 there


def test_normalize_out_and_errors():
    x = t64([[3.0, 4.0]])
    out = autograd.zeros(1, 2, dtype=autograd.float64)
    assert F.normalize(x, out=out) is out
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8]])
    with pytest.raises(RuntimeError, match="out= does not support automatic differentiation"):
        F.normalize(t64([[1.0]], requires_grad=True), out=autograd.zeros(1, 1, dtype=autograd.float64))
    with pytest.raises(IndexError, match=r"normalize: dimension out of range .*\[-1, 0\], but got 1"):
        F.normalize(t64([3.0, 4.0]))


def test_cosine_similarity_values_broadcasting_and_range():
    a = t64([[1.0, 0.0], [1.0, 1.0], [2.0, -1.0]])
    b = t64([[1.0, 1.0], [-2.0, -2.0], [1.0, 2.0]])
    np.testing.assert_allclose(F.cosine_similarity(a, b).numpy(), [1 / math.sqrt(2), -1.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(F.cosine_similarity(a, t64([1.0, 0.0])).numpy(), [1.0, 1 / math.sqrt(2),
                                                                               2 / math.sqrt(5)])
    rows = autograd.randn(4, 6, dtype=autograd.float64)
    assert np.all(np.abs(F.cosine_similarity(rows, rows * 1e6).numpy() - 1) < 1e-12)
    np.testing.assert_allclose(nn.CosineSimilarity(dim=0)(a.t(), b.t()).numpy(),
                               F.cosine_similarity(a, b).numpy())
    assert F.cosine_similarity(t64([1.0, 2.0]), t64([2.0, 4.0]), dim=0).shape == ()
    assert F.cosine_similarity(autograd.zeros(2, 1, 3), autograd.zeros(4, 3), dim=-1).shape == (2, 4)


def test_cosine_similarity_clamps_each_norm_but_keeps_its_gradient():
    # The second row of a is shorter than eps: its norm is clamped to eps in the value, but, as in PyTorch
    # (which clamps in place under no_grad), the norm's gradient still flows.
    a = t64([[1.0, 0.0, 0.0], [1e-10, 0.0, 0.0]], requires_grad=True)
    b = t64([[2.0, 1.0, 0.0], [1.0, 1.0, 0.0]], requires_grad=True)
    cos = F.cosine_similarity(a, b)
    np.testing.assert_allclose(cos.detach().numpy(), [2 / math.sqrt(5), 0.0070710678118654745], rtol=1e-12)
    ga, gb = autograd.grad(cos.sum(), [a, b])
    np.testing.assert_allclose(ga.numpy(), [[0.0, 0.4472135954999579, 0.0],  # PyTorch 2.13
                                            [70003571.33746819, 70710678.11865474, 0.0]], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gb.numpy(), [[0.08944271909999163, -0.17888543819998315, 0.0],
                                            [0.0035355339059327377, -0.003535533905932737, 0.0]], rtol=1e-9)


def test_cosine_similarity_errors():
    with pytest.raises(RuntimeError, match=r"x1 of shape \[2, 3\] and x2 of shape \[2, 4\] cannot be broadcast"):
        F.cosine_similarity(autograd.zeros(2, 3), autograd.zeros(2, 4))
    with pytest.raises(RuntimeError, match="expected floating point tensors, got x1 of dtype int64"):
        F.cosine_similarity(autograd.tensor([1, 2]), autograd.tensor([1, 2]), dim=0)
    with pytest.raises(IndexError, match="cosine_similarity: dimension out of range"):
        F.cosine_similarity(autograd.zeros(3), autograd.zeros(3))


def test_pairwise_distance_adds_eps_to_the_difference():
    x1 = t64([[1.0, 2.0], [0.0, 0.0]])
    x2 = t64([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(F.pairwise_distance(x1, x2).numpy(), [math.sqrt(2) * 1e-6, math.hypot(3 - 1e-6,
                                                                                                    4 - 1e-6)])
    np.testing.assert_allclose(F.pairwise_distance(x1, x2, p=1, eps=0).numpy(), [0.0, 7.0])
    np.testing.assert_allclose(F.pairwise_distance(x1, x2, p=math.inf, eps=0).numpy(), [0.0, 4.0])
    assert F.pairwise_distance(x1, x2, keepdim=True).shape == (2, 1)
    assert F.pairwise_distance(t64([1.0, 2.0]), t64([0.0, 2.0])).item() == pytest.approx(1.0, abs=1e-5)
    assert F.pairwise_distance(t64(1.0), t64(3.0)).item() == pytest.approx(2 - 1e-6)  # 0-d inputs, as PyTorch
    assert F.pairwise_distance(autograd.ones(4, 3), autograd.zeros(3)).shape == (4,)
    module = nn.PairwiseDistance(p=1, eps=0, keepdim=True)
    assert module.norm == 1 and repr(module) == "PairwiseDistance()"
    np.testing.assert_allclose(module(x1, x2).numpy(), [[0.0], [7.0]])
    with pytest.raises(RuntimeError, match=r"pairwise_distance: x1 of shape \[4, 3\], x2 of shape \[4, 2\]"):
        F.pairwise_distance(autograd.zeros(4, 3), autograd.zeros(4, 2))


def test_pairwise_distance_gradient_is_finite_for_equal_inputs():
    x1 = t64([[1.0, 2.0]], requires_grad=True)
    F.pairwise_distance(x1, t64([[1.0, 2.0]])).sum().backward()
    np.testing.assert_allclose(x1.grad.numpy(), [[1 / math.sqrt(2)] * 2])


def test_gradchecks():
    rng = np.random.default_rng(0)
    a = t64(rng.normal(size=(3, 4)), requires_grad=True)
    b = t64(rng.normal(size=(3, 4)), requires_grad=True)
    assert autograd.gradgradcheck(lambda x: F.normalize(x, p=3.0), [a])
    assert autograd.gradgradcheck(F.cosine_similarity, [a, b])
    assert autograd.gradgradcheck(lambda x, y: F.pairwise_distance(x, y, p=1.5), [a, b])
