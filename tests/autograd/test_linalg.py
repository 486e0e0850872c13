"""Linear algebra: matmul and friends, einsum and linear against explicit numpy formulas."""

from __future__ import annotations

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(0)


def leaf(*shape: int) -> autograd.Tensor:
    return autograd.tensor(RNG.uniform(-1, 1, shape), requires_grad=True)


def upstream(shape: tuple) -> np.ndarray:
    return np.random.default_rng(1).uniform(-1, 1, shape)


SHAPES = [((3, 4), (4, 5)), ((4,), (4,)), ((4,), (4, 5)), ((3, 4), (4,)), ((2, 3, 4), (4, 5)),
          ((2, 1, 3, 4), (5, 4, 2)), ((3,), (2, 3, 4)), ((2, 3, 4), (4,)), ((2, 0), (0, 3))]


@pytest.mark.parametrize(("sa", "sb"), SHAPES, ids=[f"{a}@{b}" for a, b in SHAPES])
def test_matmul_matches_numpy_and_gradient_shapes(sa: tuple, sb: tuple) -> None:
    a, b = leaf(*sa), leaf(*sb)
    y = a @ b
    np.testing.assert_allclose(y.detach().numpy(), np.matmul(a.detach().numpy(), b.detach().numpy()))
    y.backward(autograd.tensor(upstream(y.shape)))
    assert a.grad.shape == sa and b.grad.shape == sb


def test_matmul_gradient_sums_over_broadcast_batch_dims() -> None:
    a, b = leaf(2, 1, 3, 4), leaf(5, 4, 2)
    y = autograd.matmul(a, b)
    assert y.shape == (2, 5, 3, 2)
    g = upstream(y.shape)
    y.backward(autograd.tensor(g))
    an, bn = a.detach().numpy(), b.detach().numpy()
    np.testing.assert_allclose(a.grad.numpy(), (g @ np.swapaxes(bn, -1, -2)).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(b.grad.numpy(), (np.swapaxes(an, -1, -2) @ g).sum(axis=0))


def test_vector_matrix_gradients() -> None:
    v, m = leaf(3), leaf(3, 4)
    y = v @ m
    g = upstream(y.shape)
    y.backward(autograd.tensor(g))
    np.testing.assert_allclose(v.grad.numpy(), m.detach().numpy() @ g)
    np.testing.assert_allclose(m.grad.numpy(), np.outer(v.detach().numpy(), g))


def test_mm_bmm_dot_outer_inner() -> None:
    a, b, c = leaf(3, 4), leaf(4, 2), leaf(2, 3, 4)
    an, bn, cn = a.detach().numpy(), b.detach().numpy(), c.detach().numpy()
    np.testing.assert_allclose(a.mm(b).detach().numpy(), an @ bn)
    np.testing.assert_allclose(autograd.bmm(c, c.mT).detach().numpy(), np.einsum("bij,bkj->bik", cn, cn))
    assert autograd.dot(a[0], a[1]).item() == pytest.approx(float(an[0] @ an[1]))
    np.testing.assert_allclose(autograd.outer(a[0], b[:, 0]).detach().numpy(), np.outer(an[0], bn[:, 0]))
    np.testing.assert_allclose(autograd.inner(a, c).detach().numpy(), np.inner(an, cn))
    x = leaf(3)
    autograd.dot(x, x).backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy())


def test_matmul_errors_name_both_shapes() -> None:
    with pytest.raises(RuntimeError, match=r"^matmul: shapes \(64, 784\) and \(800, 10\) cannot be multiplied "
                                           r"\(784 != 800\)$"):
        autograd.zeros(64, 784) @ autograd.zeros(800, 10)
    with pytest.raises(RuntimeError, match=r"batch dimensions of shapes \(2, 2, 3\) and \(3, 3, 5\)"):
        autograd.zeros(2, 2, 3) @ autograd.zeros(3, 3, 5)
    with pytest.raises(RuntimeError, match="at least 1-D"):
        autograd.matmul(autograd.tensor(1.0), autograd.zeros(3))
    with pytest.raises(RuntimeError, match="same dtype, but got float32 and float64"):
        autograd.zeros(2, 3) @ autograd.zeros(3, 2, dtype=autograd.float64)
    with pytest.raises(RuntimeError, match=r"bmm: expected two 3-D tensors .* \(2, 3\)"):
        autograd.bmm(autograd.zeros(2, 3), autograd.zeros(3, 4))
    with pytest.raises(RuntimeError, match=r"bmm: batch sizes differ"):
        autograd.bmm(autograd.zeros(2, 2, 3), autograd.zeros(3, 3, 4))
    with pytest.raises(RuntimeError, match=r"mm: expected two 2-D matrices"):
        autograd.mm(autograd.zeros(3), autograd.zeros(3, 4))
    with pytest.raises(RuntimeError, match=r"mm: shapes \(2, 3\) and \(4, 4\) cannot be multiplied \(3 != 4\)"):
        autograd.mm(autograd.zeros(2, 3), autograd.zeros(4, 4))
    with pytest.raises(RuntimeError, match="1D tensors expected, but got 2D and 1D"):
        autograd.dot(autograd.zeros(2, 3), autograd.zeros(3))
    with pytest.raises(RuntimeError, match="expected 1-D argument input"):
        autograd.outer(autograd.zeros(2, 3), autograd.zeros(3))


# -- einsum --------------------------------------------------------------------------------------------------
def test_einsum_matches_explicit_formulas() -> None:
    a, b, c = leaf(3, 4), leaf(4, 5), leaf(2, 3, 4)
    sq = leaf(3, 3)
    an, bn, cn, sqn = (t.detach().numpy() for t in (a, b, c, sq))
    cases = [
        (autograd.einsum("ij,jk->ik", a, b), an @ bn),
        (autograd.einsum("ij,jk", a, b), an @ bn),  # implicit output
        (autograd.einsum("i,j->ij", a[0], b[0]), np.outer(an[0], bn[0])),
        (autograd.einsum("bij,bkj->bik", c, c), cn @ np.swapaxes(cn, 1, 2)),
        (autograd.einsum("...ij,...kj->...ik", c, c), cn @ np.swapaxes(cn, 1, 2)),
        (autograd.einsum("ii", sq), np.trace(sqn)),
        (autograd.einsum("ii->i", sq), np.diag(sqn)),
        (autograd.einsum("ij->j", a), an.sum(axis=0)),
        (autograd.einsum("ij, jk, kl -> il", [sq, a, b]), sqn @ an @ bn),
        (autograd.einsum("b i j -> j b", c), cn.sum(axis=1).T),
    ]
    for got, expected in cases:
        np.testing.assert_allclose(got.detach().numpy(), expected)


def test_einsum_gradients_match_explicit_formulas() -> None:
    sq = leaf(3, 3)
    autograd.einsum("ii->", sq).backward()
    np.testing.assert_array_equal(sq.grad.numpy(), np.eye(3))  # d trace / dX = I
    d = leaf(3, 3)
    g = upstream((3,))
    autograd.einsum("ii->i", d).backward(autograd.tensor(g))
    np.testing.assert_array_equal(d.grad.numpy(), np.diag(g))
    a, b = leaf(3, 4), leaf(4, 5)
    g = upstream((3, 5))
    autograd.einsum("ij,jk->ik", a, b).backward(autograd.tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), g @ b.detach().numpy().T)
    np.testing.assert_allclose(b.grad.numpy(), a.detach().numpy().T @ g)
    s = leaf(2, 3)
    autograd.einsum("ij->i", s).backward(autograd.tensor([1.0, 2.0], dtype=autograd.float64))
    np.testing.assert_array_equal(s.grad.numpy(), [[1.0] * 3, [2.0] * 3])


def test_einsum_second_derivative() -> None:
    a, b = leaf(2, 3), leaf(3, 2)
    assert autograd.gradgradcheck(lambda x, y: autograd.einsum("ij,jk,kj->i", x, y, x), [a, b])


def test_einsum_errors() -> None:
    with pytest.raises(RuntimeError, match="fewer operands"):
        autograd.einsum("ij,jk->ik", autograd.zeros(2, 3))
    with pytest.raises(RuntimeError, match="operand 0 has shape \\(2, 3\\) but its subscripts are 'ijk'"):
        autograd.einsum("ijk,jk->ik", autograd.zeros(2, 3), autograd.zeros(3, 5))
    with pytest.raises(RuntimeError, match="subscript j has size 4 for operand 1 which does not broadcast"):
        autograd.einsum("ij,jk", autograd.zeros(2, 3), autograd.zeros(4, 5))


# -- linear --------------------------------------------------------------------------------------------------
def test_linear_values_and_gradients() -> None:
    x, w, b = leaf(2, 3, 4), leaf(5, 4), leaf(5)
    y = autograd.linear(x, w, b)
    xn, wn, bn = x.detach().numpy(), w.detach().numpy(), b.detach().numpy()
    np.testing.assert_allclose(y.detach().numpy(), xn @ wn.T + bn)
    assert y.grad_fn.name() == "LinearBackward"  # one op, not matmul + add
    g = upstream(y.shape)
    y.backward(autograd.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), g @ wn)
    np.testing.assert_allclose(w.grad.numpy(), g.reshape(-1, 5).T @ xn.reshape(-1, 4))
    np.testing.assert_allclose(b.grad.numpy(), g.sum(axis=(0, 1)))


def test_linear_without_bias_and_vector_input() -> None:
    x, w = leaf(4), leaf(3, 4)
    y = autograd.linear(x, w)
    np.testing.assert_allclose(y.detach().numpy(), w.detach().numpy() @ x.detach().numpy())
    y.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), np.tile(x.detach().numpy(), (3, 1)))
    with pytest.raises(RuntimeError, match=r"linear: input of shape \(2, 3\) and weight of shape \(4, 5\)"):
        autograd.linear(autograd.zeros(2, 3), autograd.zeros(4, 5))
    with pytest.raises(RuntimeError, match=r"bias of shape \(5,\) does not broadcast to the output shape \(2, 4\)"):
        autograd.linear(autograd.zeros(2, 3), autograd.zeros(4, 3), autograd.zeros(5))
