"""slice_scatter, select_scatter, diagonal_scatter (gradients to both input and src), and ldexp, frexp, nextafter,
gcd, lcm: values by hand, PyTorch's edge cases, dtypes and errors (checked by hand against PyTorch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd


def test_slice_scatter() -> None:
    x = autograd.zeros(3, 4)
    np.testing.assert_array_equal(autograd.slice_scatter(x, autograd.ones(3, 2), 1, 0, 4, 2).numpy(),
                                  [[1, 0, 1, 0]] * 3)
    np.testing.assert_array_equal(x.slice_scatter(autograd.ones(1, 4), start=-1).numpy(), [[0] * 4, [0] * 4, [1] * 4])
    full = autograd.slice_scatter(x, autograd.ones(3, 4), dim=-1, start=-10, end=100)
    assert full.numpy().all()
    assert not autograd.slice_scatter(x, autograd.ones(3, 0), dim=1, start=3, end=1).numpy().any()
    assert autograd.slice_scatter(autograd.zeros(3).int(), autograd.ones(3)).dtype == autograd.int32
    with pytest.raises(RuntimeError, match="src size = \\[3, 3\\], slice size = \\[3, 2\\]"):
        autograd.slice_scatter(x, autograd.ones(3, 3), dim=1, step=2)
    with pytest.raises(RuntimeError, match="step must be positive"):
        autograd.slice_scatter(x, autograd.ones(3, 2), 1, 0, 4, 0)
    with pytest.raises(IndexError):
        autograd.slice_scatter(x, autograd.ones(3, 2), 2)
    with pytest.raises(TypeError):
        autograd.slice_scatter(x, 1.0)


def test_select_and_diagonal_scatter() -> None:
    x = autograd.zeros(3, 4)
    np.testing.assert_array_equal(autograd.select_scatter(x, autograd.ones(4), 0, 1).numpy(),
                                  [[0] * 4, [1] * 4, [0] * 4])
    np.testing.assert_array_equal(x.select_scatter(autograd.ones(3), 1, -1).numpy(), [[0, 0, 0, 1]] * 3)
    np.testing.assert_array_equal(autograd.select_scatter(autograd.zeros(3), autograd.tensor(2.0), 0, 1).numpy(),
                                  [0, 2, 0])
    np.testing.assert_array_equal(autograd.diagonal_scatter(x, autograd.ones(3), 1).numpy(),
                                  [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
    np.testing.assert_array_equal(x.diagonal_scatter(autograd.tensor([1.0, 2.0]), -1).numpy(),
                                  [[0, 0, 0, 0], [1, 0, 0, 0], [0, 2, 0, 0]])
    with pytest.raises(IndexError, match="index 4 out of range"):
        autograd.select_scatter(x, autograd.ones(3), 1, 4)
    with pytest.raises(IndexError, match="0-dim"):
        autograd.select_scatter(autograd.zeros(()), autograd.ones(()), 0, 0)
    with pytest.raises(RuntimeError, match="src size = \\[2\\], slice size = \\[3\\]"):
        autograd.diagonal_scatter(x, autograd.ones(2))
    with pytest.raises(RuntimeError, match="cannot be identical"):
        autograd.diagonal_scatter(x, autograd.ones(3), 0, 0, 0)


def test_scatter_gradients_reach_input_and_src() -> None:
    x = autograd.zeros(3, 4, requires_grad=True)
    src = autograd.ones(3, 2, requires_grad=True)
    y = autograd.slice_scatter(x, src, 1, 1, 4, 2)
    (y * autograd.arange(12.0).reshape(3, 4)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 0, 2, 0], [4, 0, 6, 0], [8, 0, 10, 0]])
    np.testing.assert_array_equal(src.grad.numpy(), [[1, 3], [5, 7], [9, 11]])
    x = autograd.zeros(3, 4, requires_grad=True)
    d = autograd.ones(3, requires_grad=True)
    autograd.diagonal_scatter(x, d).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), 1 - np.eye(3, 4))
    np.testing.assert_array_equal(d.grad.numpy(), [1, 1, 1])


def test_ldexp() -> None:
    out = autograd.ldexp(autograd.tensor([1.0, 2.0]), autograd.tensor([2, 3]))
    assert out.dtype == autograd.float32 and out.numpy().tolist() == [4.0, 16.0]
    assert autograd.ldexp(autograd.tensor([3]), autograd.tensor([2])).dtype == autograd.float32
    wide = autograd.ldexp(autograd.tensor([1.0], dtype=autograd.float64), autograd.tensor([200]))
    assert wide.dtype == autograd.float64 and wide.item() == 2.0**200
    assert autograd.ldexp(autograd.tensor([1.0]), autograd.tensor([1100])).item() == np.inf
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    e = autograd.tensor([1.0, 2.0], requires_grad=True)
    x.ldexp(e).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2, 4])
    np.testing.assert_allclose(e.grad.numpy(), [2 * np.log(2), 8 * np.log(2)], rtol=1e-6)
    with pytest.raises(TypeError, match="other"):
        autograd.ldexp(autograd.ones(2), 3)


def test_frexp() -> None:
    x = autograd.tensor([0.0, 1.0, -3.0, 8.0, 0.1, np.inf, -0.0], dtype=autograd.float64)
    mantissa, exponent = autograd.frexp(x)
    np.testing.assert_array_equal(mantissa.numpy(), [0.0, 0.5, -0.75, 0.5, 0.8, np.inf, -0.0])
    assert exponent.dtype == autograd.int32 and exponent.numpy().tolist() == [0, 1, 2, 4, -3, 0, 0]
    np.testing.assert_array_equal((mantissa * 2.0 ** exponent.double()).numpy(), x.numpy())
    result = autograd.tensor([1.5]).frexp()
    assert result.mantissa.dtype == autograd.float32 and result.exponent.item() == 1
    leaf = autograd.tensor([1.0, 3.0, 0.1], requires_grad=True)
    autograd.frexp(leaf).mantissa.sum().backward()
    np.testing.assert_array_equal(leaf.grad.numpy(), [0.5, 0.25, 8.0])
    with pytest.raises(RuntimeError, match="floating-point"):
        autograd.frexp(autograd.tensor([1, 2]))


def test_nextafter() -> None:
    one = np.float64(1.0)
    out = autograd.nextafter(autograd.tensor([1.0, 2.0], dtype=autograd.float64),
                             autograd.tensor([2.0, 1.0], dtype=autograd.float64))
    assert out.numpy().tolist() == [one + np.finfo(np.float64).eps, 2 - np.finfo(np.float64).eps]
    tiny = autograd.nextafter(autograd.tensor([0.0]), autograd.tensor([-1.0]))
    assert tiny.dtype == autograd.float32 and tiny.item() == -np.finfo(np.float32).smallest_subnormal
    assert autograd.nextafter(autograd.tensor([1.0]), autograd.tensor([2.0], dtype=autograd.float64)).dtype == \
        autograd.float64
    x = autograd.tensor([1.0, 3.0], requires_grad=True)
    other = autograd.tensor([2.0, 2.0], requires_grad=True)
    x.nextafter(other).sum().backward()
    assert x.grad.numpy().tolist() == [1, 1] and other.grad.numpy().tolist() == [0, 0]
    with pytest.raises(NotImplementedError):
        autograd.nextafter(autograd.tensor([1, 2]), autograd.tensor([2, 1]))


def test_gcd_and_lcm() -> None:
    a, b = autograd.tensor([4, 6, 0, -4, 7]), autograd.tensor([6, -4, 0, 6, 0])
    assert autograd.gcd(a, b).numpy().tolist() == [2, 2, 0, 2, 7]
    assert a.lcm(b).numpy().tolist() == [12, 12, 0, 12, 0]
    assert autograd.lcm(autograd.tensor([4, 6]), autograd.tensor([[3], [4]])).numpy().tolist() == [[12, 6], [4, 12]]
    narrow = autograd.gcd(autograd.tensor([4], dtype=autograd.int16), autograd.tensor([6], dtype=autograd.int8))
    assert narrow.dtype == autograd.int16 and narrow.item() == 2
    # PyTorch computes 8-bit products in int and narrows: |-3 * 100| = 300 is 44 as int8; int64 wraps at 64 bits
    int8 = autograd.int8
    assert autograd.lcm(autograd.tensor([-3], dtype=int8), autograd.tensor([100], dtype=int8)).item() == 44
    assert autograd.lcm(autograd.tensor([2**62]), autograd.tensor([3])).item() == 2**62
    for fn in (autograd.gcd, autograd.lcm):
        with pytest.raises(NotImplementedError):
            fn(autograd.ones(2), autograd.ones(2))
        with pytest.raises(NotImplementedError):
            fn(autograd.tensor([True]), autograd.tensor([True]))
        with pytest.raises(TypeError):
            fn(autograd.tensor([4]), 6)
