"""autograd.linalg's norms, svdvals, cross and vecdot: hand-computed values, gradients at ties and edges,
identities, dispatch and errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import autograd
from autograd import linalg

RNG = np.random.default_rng(6)
A = [[1.0, -2.0], [3.0, 4.0]]  # A^T A = [[10, 10], [10, 20]]: singular values sqrt(15 +- 5 sqrt 5)
SIGMA = (math.sqrt(15 + 5 * math.sqrt(5)), math.sqrt(15 - 5 * math.sqrt(5)))


def leaf(values) -> autograd.Tensor:
    return autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


@pytest.mark.parametrize(("ord_", "expected"), [
    (2, 5.0), (1, 7.0), (math.inf, 4.0), (-math.inf, 3.0), (0, 2.0), (0.5, (math.sqrt(3) + 2) ** 2),
    (-1, 1 / (1 / 3 + 1 / 4)),
])
def test_vector_norm_values(ord_: float, expected: float) -> None:
    assert linalg.vector_norm(autograd.tensor([3.0, -4.0]), ord_).item() == pytest.approx(expected)


def test_vector_norm_gradients_at_ties_zero_and_nan() -> None:
    x = leaf([3.0, -3.0, 1.0])
    linalg.vector_norm(x, math.inf).backward()
    assert x.grad.tolist() == [0.5, -0.5, 0.0]  # ties share, with the sign of each entry
    zero = leaf([0.0, 0.0])
    linalg.vector_norm(zero).backward()
    assert zero.grad.tolist() == [0.0, 0.0]  # no NaN at the origin
    with_nan = leaf([math.nan, 2.0])
    linalg.vector_norm(with_nan, 1).backward()
    assert with_nan.grad.tolist() == [0.0, 1.0]  # sign(NaN) = 0, as PyTorch
    y = linalg.vector_norm(autograd.ones(2, 3), 2, dim=(0, 1), keepdim=True)
    assert y.shape == (1, 1) and y.item() == pytest.approx(math.sqrt(6))


@pytest.mark.parametrize(("ord_", "expected"), [
    ("fro", math.sqrt(30)), (math.inf, 7.0), (-math.inf, 3.0), (1, 6.0), (-1, 4.0), ("nuc", sum(SIGMA)),
    (2, SIGMA[0]), (-2, SIGMA[1]),
])
def test_matrix_norm_values(ord_, expected: float) -> None:
    assert linalg.matrix_norm(autograd.tensor(A, dtype=autograd.float64), ord_).item() == pytest.approx(expected)
    assert linalg.norm(autograd.tensor(A, dtype=autograd.float64), ord_).item() == pytest.approx(expected)


def test_matrix_norm_gradients_and_dims() -> None:
    a = leaf(A)
    linalg.matrix_norm(a, math.inf).backward()  # the row |3| + |4| wins: sign of its entries
    assert a.grad.tolist() == [[0.0, 0.0], [1.0, 1.0]]
    batch = leaf(RNG.normal(size=(3, 2, 4)))
    out = linalg.matrix_norm(batch, "nuc", dim=(0, 2), keepdim=True)
    assert out.shape == (1, 2, 1)
    np.testing.assert_allclose(out.detach().numpy().ravel(),
                               [np.linalg.svd(batch.detach().numpy()[:, j, :], compute_uv=False).sum() for j in (0, 1)])
    assert autograd.gradgradcheck(lambda t: linalg.matrix_norm(t, 2), [leaf(RNG.normal(size=(3, 2)))])
    assert linalg.matrix_norm(autograd.ones(0, 3), math.inf).item() == 0.0  # an empty matrix has norm 0


def test_svdvals_values_and_gradient() -> None:
    q1, _ = np.linalg.qr(RNG.normal(size=(4, 4)))
    q2, _ = np.linalg.qr(RNG.normal(size=(3, 3)))
    m = leaf(q1[:, :3] @ np.diag([3.0, 2.0, 1.0]) @ q2.T)
    s = linalg.svdvals(m)
    np.testing.assert_allclose(s.detach().numpy(), [3.0, 2.0, 1.0])
    s.sum().backward()  # d(sum of singular values) = U V^T
    np.testing.assert_allclose(m.grad.numpy(), q1[:, :3] @ q2.T, atol=1e-12)
    product = linalg.svdvals(leaf(A)).prod()
    assert product.item() == pytest.approx(10.0)  # |det A|


def test_norm_dispatch_and_errors() -> None:
    x = autograd.tensor(RNG.normal(size=(2, 3, 4)))
    assert linalg.norm(x).item() == pytest.approx(np.sqrt((x.numpy() ** 2).sum()))
    np.testing.assert_allclose(linalg.norm(x, 1, dim=2).numpy(), np.abs(x.numpy()).sum(2))
    with pytest.raises(RuntimeError, match="linalg.norm: if dim is not given but ord is, the input must be 1-D or 2-D"):
        linalg.norm(x, 2)
    with pytest.raises(RuntimeError, match="linalg.matrix_norm: order 3 is not supported"):
        linalg.matrix_norm(x, 3)
    with pytest.raises(RuntimeError, match="linalg.vector_norm: cannot compute the inf norm over an empty dimension"):
        linalg.vector_norm(autograd.ones(2, 0), math.inf, dim=1)
    with pytest.raises(RuntimeError, match="linalg.vector_norm: expected a floating point tensor as input, got int64"):
        linalg.vector_norm(autograd.tensor([1, 2]))


def test_cross_and_vecdot() -> None:
    a, b = leaf([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]]), leaf([0.0, 1.0, 0.0]).reshape(1, 3)
    c = linalg.cross(a, b)
    assert c.tolist() == [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    w = autograd.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=autograd.float64)
    (ga,) = autograd.grad((c * w).sum(), a)
    np.testing.assert_allclose(ga.numpy(), np.cross(np.broadcast_to([0.0, 1.0, 0.0], (2, 3)), w.numpy()))  # b x w
    with pytest.warns(UserWarning, match="without specifying dim is deprecated"):
        assert autograd.cross(autograd.ones(3, 2), autograd.ones(3, 2)).shape == (3, 2)  # the first dim of size 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert a.detach().cross(b.detach(), dim=1).tolist() == c.tolist()
    with pytest.raises(RuntimeError, match="linalg.cross: inputs dimension -1 must have length 3"):
        linalg.cross(autograd.ones(2, 4), autograd.ones(2, 4))
    assert linalg.vecdot(autograd.ones(2, 3), autograd.tensor([1.0, 2.0, 3.0])).tolist() == [6.0, 6.0]
    with pytest.raises(RuntimeError, match="linalg.vecdot: expected a floating point tensor"):
        linalg.vecdot(autograd.tensor([1, 2]), autograd.tensor([1, 2]))
