"""fmax/fmin/copysign/signbit/float_power, splitting, distances and products: hand-computed values, gradients
of the compositions (gradcheck in float64) and error messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

NAN = float("nan")


def _leaf(values: list, dtype: object = autograd.float64) -> autograd.Tensor:
    return autograd.tensor(values, dtype=dtype, requires_grad=True)


def test_fmax_fmin_ignore_nan_and_send_ties_to_the_first_operand() -> None:
    a, b = _leaf([1.0, NAN, 2.0, NAN]), _leaf([NAN, 3.0, 2.0, NAN])
    y = autograd.fmax(a, b)
    assert np.array_equal(y._data, [1.0, 3.0, 2.0, NAN], equal_nan=True)
    y.sum().backward()
    assert a.grad.tolist() == [1.0, 0.0, 1.0, 1.0] and b.grad.tolist() == [0.0, 1.0, 0.0, 0.0]
    assert autograd.fmin(autograd.tensor([1, 5]), autograd.tensor([3.0, NAN])).tolist() == [1.0, 5.0]
    assert autograd.tensor([4.0]).fmin(2).tolist() == [2.0]


def test_copysign_signbit_float_power() -> None:
    a = _leaf([2.0, -3.0, 0.0])
    y = autograd.copysign(a, autograd.tensor([-1.0, -0.0, 1.0], dtype=autograd.float64))
    assert y.tolist() == [-2.0, -3.0, 0.0]
    y.sum().backward()
    assert a.grad.tolist() == [-1.0, 1.0, 0.0]
    assert autograd.copysign(autograd.tensor([1, 2]), -1).dtype == autograd.float32
    assert autograd.tensor([-0.0, 0.0, -1.0]).signbit().tolist() == [True, False, True]
    p = autograd.float_power(autograd.tensor([2, 3]), 2)
    assert p.dtype == autograd.float64 and p.tolist() == [4.0, 9.0]
    assert autograd.float_power(2, autograd.tensor([0.5])).tolist() == [math.sqrt(2)]
    with pytest.raises(TypeError, match="float_power"):
        autograd.float_power(2, 3)


def test_tensor_split_sections_and_indices() -> None:
    x = autograd.arange(10)
    assert [t.tolist() for t in autograd.tensor_split(x, 3)] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert [t.tolist() for t in x.tensor_split([2, -3, 20])] == [[0, 1], [2, 3, 4, 5, 6], [7, 8, 9], []]
    assert [t.tolist() for t in autograd.tensor_split(x, [6, 2])] == [[0, 1, 2, 3, 4, 5], [], [2, 3, 4, 5, 6, 7, 8, 9]]
    assert [t.numel() for t in autograd.tensor_split(x, autograd.tensor(4))] == [3, 3, 2, 2]
    m = autograd.zeros(2, 6, 4)
    assert [t.shape for t in m.hsplit([1, 4])] == [(2, 1, 4), (2, 3, 4), (2, 2, 4)]
    assert [t.shape for t in autograd.vsplit(m, 2)] == [(1, 6, 4), (1, 6, 4)]
    assert [t.shape for t in autograd.dsplit(m, 2)] == [(2, 6, 2), (2, 6, 2)]
    with pytest.raises(RuntimeError, match=r"hsplit.*size of the dimension \(6\) is not divisible.*\(4\)"):
        autograd.hsplit(m, 4)
    with pytest.raises(RuntimeError, match="vsplit: requires a tensor with at least 2"):
        autograd.vsplit(x, 2)
    w = _leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert autograd.gradcheck(lambda t: autograd.tensor_split(t, [1], dim=1)[1] * 2, [w])


def test_dist_cdist_hand_values_and_gradients() -> None:
    assert autograd.dist(autograd.tensor([1.0, 2.0]), autograd.tensor([4.0, 6.0])).item() == 5.0
    assert autograd.tensor([1.0, 2.0]).dist(autograd.tensor([4.0, 6.0]), p=1).item() == 7.0
    a = autograd.tensor([[0.0, 0.0], [1.0, 2.0]])
    b = autograd.tensor([[0.0, 0.0], [3.0, -1.0]])
    d = autograd.cdist(a, b)
    assert np.allclose(d._data, [[0.0, math.sqrt(10)], [math.sqrt(5), math.sqrt(13)]])
    assert np.allclose(autograd.cdist(a, b, p=1)._data, [[0.0, 4.0], [3.0, 5.0]])
    x1, x2 = _leaf(np.random.default_rng(0).normal(size=(2, 3, 4))), _leaf(np.random.default_rng(1).normal(size=(5, 4)))
    assert autograd.cdist(x1, x2).shape == (2, 3, 5)
    assert autograd.gradcheck(lambda u, v: autograd.cdist(u, v, p=3.0), [x1, x2])
    assert autograd.gradgradcheck(lambda u, v: autograd.cdist(u, v), [x1, x2])
    with pytest.raises(RuntimeError, match=r"cdist: .*same number of columns.*\(2 != 3\)"):
        autograd.cdist(a, autograd.zeros(4, 3))


def test_cosine_similarity_and_renorm() -> None:
    x = autograd.tensor([[1.0, 0.0], [1.0, 1.0]])
    y = autograd.tensor([[0.0, 2.0], [2.0, 2.0]])
    assert np.allclose(autograd.cosine_similarity(x, y)._data, [0.0, 1.0])
    assert autograd.cosine_similarity(x, autograd.zeros(2, 2)).tolist() == [0.0, 0.0]
    u, v = _leaf(np.random.default_rng(2).normal(size=(3, 4))), _leaf(np.random.default_rng(3).normal(size=(4,)))
    assert autograd.gradgradcheck(lambda a, b: autograd.cosine_similarity(a, b, dim=-1), [u, v])
    r = autograd.renorm(autograd.tensor([[3.0, 4.0], [0.3, 0.4]]), 2, 0, 1.0)
    assert np.allclose(r._data, [[0.6 * 5 / (5 + 1e-7), 0.8 * 5 / (5 + 1e-7)], [0.3, 0.4]])
    w = _leaf([[3.0, 4.0], [0.3, 0.4], [1.0, -2.0]])
    assert autograd.gradgradcheck(lambda t: t.renorm(1, 0, 2.0), [w])
    with pytest.raises(RuntimeError, match="renorm: input needs at least 2 dimensions"):
        autograd.renorm(autograd.tensor([1.0]), 2, 0, 1.0)


def test_vdot_ger_block_diag_cartesian_prod() -> None:
    a, b = autograd.tensor([1.0, 2.0, 3.0]), autograd.tensor([4.0, 5.0, 6.0])
    assert autograd.vdot(a, b).item() == 32.0 and a.vdot(b).item() == 32.0
    assert autograd.ger(a[:2], b[:2]).tolist() == [[4.0, 5.0], [8.0, 10.0]]
    blocks = autograd.block_diag(autograd.tensor(1), autograd.tensor([2.0, 3.0]), autograd.tensor([[4], [5]]))
    assert blocks.dtype == autograd.float32
    assert blocks.tolist() == [[1, 0, 0, 0], [0, 2, 3, 0], [0, 0, 0, 4], [0, 0, 0, 5]]
    assert autograd.block_diag().shape == (1, 0)
    with pytest.raises(RuntimeError, match="block_diag: Input tensors must have 2 or fewer dimensions. Input 1"):
        autograd.block_diag(a, autograd.zeros(1, 1, 1))
    p = autograd.cartesian_prod(autograd.tensor([1, 2]), autograd.tensor([3, 4, 5]))
    assert p.tolist() == [[1, 3], [1, 4], [1, 5], [2, 3], [2, 4], [2, 5]]
    s, t = _leaf([1.0, 2.0]), _leaf([3.0, 4.0, 5.0])
    assert autograd.gradcheck(lambda u, v: autograd.block_diag(u, v.reshape(3, 1)), [s, t])
    assert autograd.gradcheck(lambda u, v: autograd.cartesian_prod(u, v) ** 2, [s, t])
