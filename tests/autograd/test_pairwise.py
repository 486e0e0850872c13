"""Binary elementwise maths: atan2, hypot, logaddexp(2), xlogy, true_divide, heaviside, logical_xor. Values by
hand, PyTorch's gradients at the edges (checked by hand against it), promotion, broadcasting, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd


def _pair(a, b):
    return (autograd.tensor(np.asarray(a, dtype=np.float64), requires_grad=True),
            autograd.tensor(np.asarray(b, dtype=np.float64), requires_grad=True))


def _grads(fn, a, b):
    x, y = _pair(a, b)
    out = fn(x, y)
    out.backward(autograd.ones_like(out))
    return x.grad.numpy(), y.grad.numpy()


def test_atan2_quadrants_and_gradient() -> None:
    out = autograd.atan2(autograd.tensor([1.0, 1.0, -1.0, 0.0]), autograd.tensor([1.0, -1.0, -1.0, -1.0]))
    np.testing.assert_allclose(out.numpy(), [math.pi / 4, 3 * math.pi / 4, -3 * math.pi / 4, math.pi], rtol=1e-6)
    # d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2): at (3, 4) that is 4/25 and -3/25
    ga, gb = _grads(autograd.atan2, [3.0], [4.0])
    np.testing.assert_allclose([ga[0], gb[0]], [4 / 25, -3 / 25], rtol=1e-15)
    # at the origin PyTorch gives 0 for both (not 0/0)
    ga, gb = _grads(autograd.atan2, [0.0], [0.0])
    assert ga.tolist() == [0.0] and gb.tolist() == [0.0]


def test_hypot_is_overflow_free_and_nan_at_the_origin() -> None:
    assert autograd.hypot(autograd.tensor([3.0]), autograd.tensor([4.0])).tolist() == [5.0]
    big = autograd.hypot(autograd.tensor([1e200], dtype=autograd.float64), autograd.tensor([1e200],
                                                                                            dtype=autograd.float64))
    assert big.item() == pytest.approx(math.sqrt(2) * 1e200)
    ga, gb = _grads(autograd.hypot, [3.0, 0.0], [4.0, 0.0])
    np.testing.assert_allclose([ga[0], gb[0]], [0.6, 0.8])
    assert np.isnan([ga[1], gb[1]]).all()  # a / hypot(a, b) = 0 / 0, as in PyTorch


def test_logaddexp_is_stable_and_its_gradient_is_a_sigmoid() -> None:
    out = autograd.logaddexp(autograd.tensor([1000.0, -1000.0, 0.0], dtype=autograd.float64),
                             autograd.tensor([1000.0, -1000.0, math.log(3)], dtype=autograd.float64))
    np.testing.assert_allclose(out.numpy(), [1000 + math.log(2), -1000 + math.log(2), math.log(4)], rtol=1e-15)
    ga, gb = _grads(autograd.logaddexp, [0.0], [math.log(3)])  # exp(a) / (exp(a) + exp(b)) = 1/4
    np.testing.assert_allclose([ga[0], gb[0]], [0.25, 0.75])
    assert autograd.logaddexp2(autograd.tensor([3.0]), autograd.tensor([3.0])).tolist() == [4.0]
    ga, gb = _grads(autograd.logaddexp2, [1.0], [2.0])  # 2 / (2 + 4), 4 / (2 + 4)
    np.testing.assert_allclose([ga[0], gb[0]], [1 / 3, 2 / 3])
    ga, _ = _grads(autograd.logaddexp, [math.inf], [math.inf])
    assert np.isnan(ga).all()  # inf - inf inside the sigmoid, as PyTorch's 1 / (1 + exp(b - a))


def test_xlogy_is_zero_where_x_is_zero() -> None:
    x = autograd.tensor([0.0, 0.0, 0.0, 2.0, 0.0])
    y = autograd.tensor([0.0, math.inf, -1.0, math.e, math.nan])
    out = autograd.xlogy(x, y).tolist()
    assert out[:4] == [0.0, 0.0, 0.0, pytest.approx(2.0)] and math.isnan(out[4])
    assert autograd.xlogy(2, autograd.tensor([1.0])).tolist() == [0.0]
    assert autograd.tensor([3.0]).xlogy(1.0).tolist() == [0.0]


def test_xlogy_gradients_follow_pytorch_at_zero() -> None:
    # d/dx = log(y), except 0 where x = 0 and y <= 0; d/dy = x / y (NaN at 0 / 0)
    gx, gy = _grads(autograd.xlogy, [0.0, 0.0, 0.0, 2.0], [2.0, 0.0, -1.0, 4.0])
    np.testing.assert_allclose(gx, [math.log(2), 0.0, 0.0, math.log(4)])
    assert gy[0] == 0.0 and np.isnan(gy[1]) and gy[2] == 0.0 and gy[3] == 0.5
    x, y = _pair([0.0, 1.5], [0.0, 2.0])
    (g,) = autograd.grad(autograd.xlogy(x, y).sum(), x, create_graph=True)
    (h,) = autograd.grad(g.sum(), y)
    assert h.tolist() == [0.0, 0.5]  # d/dy log(y) = 1/y; no 0/0 where the gradient was set to 0


def test_promotion_of_the_real_valued_pairs() -> None:
    i, f = autograd.tensor([1, 2]), autograd.tensor([1.0, 2.0])
    d = autograd.tensor([1.0, 2.0], dtype=autograd.float64)
    assert autograd.atan2(i, i).dtype == np.float32
    assert autograd.atan2(f, d).dtype == np.float64
    assert autograd.atan2(d, autograd.tensor(1.0)).dtype == np.float64
    assert autograd.xlogy(i, 2).dtype == np.float32
    assert autograd.hypot(i, f).dtype == np.float32
    assert autograd.true_divide(i, i).tolist() == [1.0, 1.0] and i.true_divide(2).dtype == np.float32
    # an integer 0-d tensor meeting a uint8 one keeps its sign: atan2 goes to float from the original values
    neg = autograd.atan2(autograd.tensor(-1), autograd.tensor([1], dtype=autograd.uint8))
    assert neg.item() == pytest.approx(-math.pi / 4)


def test_integer_only_pairs_and_numbers_are_refused() -> None:
    i = autograd.tensor([1, 2])
    with pytest.raises(RuntimeError, match="hypot: not implemented for int64 tensors"):
        autograd.hypot(i, i)
    with pytest.raises(RuntimeError, match="logaddexp: not implemented for int64"):
        autograd.logaddexp(i, i)
    with pytest.raises(TypeError, match=r"atan2\(\): argument 'other' \(position 2\) must be Tensor, not float"):
        autograd.atan2(autograd.tensor([1.0]), 2.0)
    with pytest.raises(TypeError, match="xlogy"):
        autograd.xlogy(1.0, 2.0)


def test_shape_errors_name_the_op() -> None:
    with pytest.raises(RuntimeError, match=r"atan2: The size of tensor a \(2\) must match the size of tensor b \(3\)"):
        autograd.atan2(autograd.ones(2), autograd.ones(3))
    with pytest.raises(RuntimeError, match="logical_xor: The size of tensor a"):
        autograd.logical_xor(autograd.ones(2), autograd.ones(3))


def test_heaviside_takes_values_at_zero_and_has_no_derivative() -> None:
    x = autograd.tensor([-1.5, 0.0, -0.0, 2.0, math.nan], requires_grad=True)
    out = autograd.heaviside(x, autograd.tensor([0.5]))
    assert out.tolist() == [0.0, 0.5, 0.5, 1.0, 0.0]
    assert out.requires_grad  # as in PyTorch: recorded, but backward raises
    with pytest.raises(RuntimeError, match="heaviside: the derivative is not implemented"):
        out.sum().backward()
    ints = autograd.heaviside(autograd.tensor([-2, 0, 3]), autograd.tensor([7]))
    assert ints.tolist() == [0, 7, 1] and ints.dtype == np.int64
    with pytest.raises(RuntimeError, match="different dtypes"):
        autograd.heaviside(autograd.tensor([1.0]), autograd.tensor([1]))
    with pytest.raises(TypeError, match="argument 'values'"):
        autograd.tensor([1.0]).heaviside(0.5)


def test_logical_xor_of_any_dtypes_is_bool_and_never_requires_grad() -> None:
    x = autograd.tensor([0.0, 1.0, 2.0, 0.0], requires_grad=True)
    out = autograd.logical_xor(x, autograd.tensor([0, 0, 3, 5]))
    assert out.tolist() == [False, True, False, True] and out.dtype == np.bool_
    assert not out.requires_grad and out.grad_fn is None
    assert x.logical_xor(x).tolist() == [False] * 4
    with pytest.raises(TypeError, match="logical_xor"):
        autograd.logical_xor(x, 1)
