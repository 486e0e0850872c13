"""Elementwise maths, selection ops and in-place methods against independent numpy formulas and hand-checked
PyTorch values (those are pasted in with a comment)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(0)
X = RNG.uniform(-2, 2, size=(3, 4))
POS = RNG.uniform(0.1, 3, size=(3, 4))

UNARY = [
    ("exp", X, np.exp),
    ("log", POS, np.log),
    ("log1p", POS, lambda a: np.log(1 + a)),
    ("expm1", X, lambda a: np.exp(a) - 1),
    ("sqrt", POS, lambda a: a**0.5),
    ("rsqrt", POS, lambda a: a**-0.5),
    ("square", X, lambda a: a * a),
    ("reciprocal", POS, lambda a: 1 / a),
    ("abs", X, lambda a: np.where(a < 0, -a, a)),
    ("sign", X, lambda a: (a > 0).astype(float) - (a < 0)),
    ("sin", X, np.sin),
    ("cos", X, np.cos),
    ("tan", X, np.tan),
    ("tanh", X, lambda a: (np.exp(2 * a) - 1) / (np.exp(2 * a) + 1)),
    ("sigmoid", X, lambda a: 1 / (1 + np.exp(-a))),
    ("relu", X, lambda a: a * (a > 0)),
    ("erf", X, np.vectorize(math.erf)),
    ("floor", X, np.floor),
    ("ceil", X, np.ceil),
    ("trunc", X, lambda a: np.sign(a) * np.floor(np.abs(a))),
]


@pytest.mark.parametrize(("name", "data", "reference"), UNARY, ids=[u[0] for u in UNARY])
def test_unary_forward_matches_numpy(name: str, data: np.ndarray, reference) -> None:
    x = autograd.tensor(data)
    out = getattr(autograd, name)(x)
    np.testing.assert_allclose(out.numpy(), reference(data), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(getattr(x, name)().numpy(), out.numpy())
    assert out.dtype == np.float64


def test_float_valued_ops_promote_integers_to_float32() -> None:
    ints = autograd.tensor([1, 2, 3])
    for name in ("exp", "log", "sqrt", "sin", "sigmoid", "erf", "tanh"):
        assert getattr(autograd, name)(ints).dtype == np.float32, name
    assert autograd.abs(autograd.tensor([-3, 2])).tolist() == [3, 2]
    assert autograd.abs(autograd.tensor([-3, 2])).dtype == np.int64
    assert (-autograd.tensor([1, -2])).dtype == np.int64
    assert autograd.sign(autograd.tensor([-4, 0, 7])).tolist() == [-1, 0, 1]
    assert autograd.sign(autograd.tensor([-4, 0, 7])).dtype == np.int64
    assert abs(autograd.tensor([-1.5])).tolist() == [1.5]


def test_sigmoid_is_exact_far_in_the_tails() -> None:
    x = autograd.tensor([-100.0, -30.0, 0.0, 30.0, 100.0], dtype=autograd.float64)
    with np.errstate(all="raise"):
        y = autograd.sigmoid(x).numpy()
    np.testing.assert_allclose(y, [math.exp(-100), 1 / (1 + math.exp(30)), 0.5, 1 / (1 + math.exp(-30)), 1.0],
                               rtol=1e-14)


def test_round_is_half_to_even_and_takes_decimals() -> None:
    # torch.round(tensor([0.5, 1.5, 2.5, -0.5])) -> [0., 2., 2., -0.]
    assert autograd.round(autograd.tensor([0.5, 1.5, 2.5, -0.5])).tolist() == [0.0, 2.0, 2.0, -0.0]
    np.testing.assert_allclose(autograd.tensor([1.2345, 2.5551]).round(decimals=2).numpy(), [1.23, 2.56], rtol=1e-6)
    assert autograd.floor(autograd.tensor([3, -2])).dtype == np.int64


def test_rounding_ops_have_zero_gradient() -> None:
    x = autograd.tensor([0.3, -1.7, 2.5], requires_grad=True)
    (x.floor() + x.ceil() + x.round() + x.trunc() + x.sign()).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_abs_gradient_is_zero_at_zero() -> None:
    x = autograd.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    x.abs().sum().backward()
    assert x.grad.tolist() == [-1.0, 0.0, 1.0]


def test_clamp_gradient_passes_on_the_closed_interval() -> None:
    # torch: tensor([0., 1., 2., 3.]).clamp(1, 2) gives the gradient [0., 1., 1., 0.]
    x = autograd.tensor([0.0, 1.0, 2.0, 3.0], requires_grad=True)
    y = x.clamp(1, 2)
    assert y.tolist() == [1.0, 1.0, 2.0, 2.0]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 0.0]
    assert autograd.clip(autograd.tensor([-5.0, 5.0]), max=1.0).tolist() == [-5.0, 1.0]


def test_clamp_with_tensor_bounds_routes_gradients_like_pytorch() -> None:
    x = autograd.tensor([0.0, 1.0, 2.0, 3.0], requires_grad=True)
    lo = autograd.tensor([1.0, 1.0, 1.0, 1.0], requires_grad=True)
    hi = autograd.tensor([2.0, 2.0, 2.0, 2.0], requires_grad=True)
    autograd.clamp(x, lo, hi).sum().backward()
    assert (x.grad.tolist(), lo.grad.tolist(), hi.grad.tolist()) == ([0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 1])
    # min > max: the result is max everywhere; torch gives x: 0, min: 0, max: 1
    x = autograd.tensor([0.0, 1.0, 2.0, 3.0], requires_grad=True)
    lo = autograd.full((4,), 3.0, requires_grad=True)
    hi = autograd.full((4,), 1.0, requires_grad=True)
    out = autograd.clamp(x, lo, hi)
    assert out.tolist() == [1.0] * 4
    out.sum().backward()
    assert (x.grad.tolist(), lo.grad.tolist(), hi.grad.tolist()) == ([0] * 4, [0] * 4, [1] * 4)


def test_clamp_needs_a_bound_and_promotes_integers() -> None:
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        autograd.clamp(autograd.tensor([1.0]))
    out = autograd.tensor([0, 5]).clamp(0.5, 3)
    assert out.dtype == np.float32 and out.tolist() == [0.5, 3.0]


def test_maximum_and_minimum_split_ties_equally() -> None:
    # torch.maximum(tensor([2., 2.]), tensor([2., 1.])): grads [0.5, 1.0] and [0.5, 0.0]
    a = autograd.tensor([2.0, 2.0], requires_grad=True)
    b = autograd.tensor([2.0, 1.0], requires_grad=True)
    autograd.maximum(a, b).sum().backward()
    assert (a.grad.tolist(), b.grad.tolist()) == ([0.5, 1.0], [0.5, 0.0])
    a.grad = b.grad = None
    autograd.minimum(a, b).sum().backward()
    assert (a.grad.tolist(), b.grad.tolist()) == ([0.5, 0.0], [0.5, 1.0])
    assert autograd.maximum(autograd.tensor([1.0, float("nan")]), autograd.tensor([2.0, 0.0])).isnan().tolist() == [
        False, True]


def test_where_selects_broadcasts_and_routes_gradients() -> None:
    cond = autograd.tensor([[True], [False]])
    a = autograd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = autograd.tensor(10.0, requires_grad=True)
    out = autograd.where(cond, a, b)
    assert out.tolist() == [[1.0, 2.0, 3.0], [10.0, 10.0, 10.0]]
    out.sum().backward()
    assert a.grad.tolist() == [1.0, 1.0, 1.0] and b.grad.item() == 3.0
    assert a.where(autograd.tensor([True, False, True]), 0.0).tolist() == [1.0, 0.0, 3.0]
    assert autograd.where(autograd.tensor([True, False]), autograd.tensor([1, 2]), 0.5).dtype == np.float32
    rows, cols = autograd.where(autograd.tensor([[False, True], [True, False]]))
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 0]
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        autograd.where(autograd.tensor([1, 0]), a[:2], a[:2])


def test_pow_with_tensor_exponent_and_number_base() -> None:
    x = autograd.tensor([0.0, 2.0], requires_grad=True)
    (2**x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [math.log(2), 4 * math.log(2)], rtol=1e-6)
    # torch: base [0., 2.] ** exponent [1., 2.] -> base grad [1., 4.], exponent grad [0., 2.7726] (0 at base 0)
    base = autograd.tensor([0.0, 2.0], requires_grad=True)
    exponent = autograd.tensor([1.0, 2.0], requires_grad=True)
    (base**exponent).sum().backward()
    assert base.grad.tolist() == [1.0, 4.0]
    np.testing.assert_allclose(exponent.grad.numpy(), [0.0, 4 * math.log(2)], rtol=1e-6)


def test_pow_dtypes_for_integers() -> None:
    ints = autograd.tensor([1, 2, 3])
    assert (2**ints).dtype == np.int64 and (2**ints).tolist() == [2, 4, 8]
    assert (2.5**ints).dtype == np.float32
    assert (ints**2).tolist() == [1, 4, 9] and (ints**2).dtype == np.int64
    assert (ints**0.5).dtype == np.float32
    assert (ints ** autograd.tensor([2, 2, 2])).tolist() == [1, 4, 9]
    with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
        ints**-1
    with pytest.raises(RuntimeError, match="Integers to negative integer powers"):
        ints ** autograd.tensor([-1, 1, 1])


def test_floor_divide_remainder_fmod_follow_python_and_c_signs() -> None:
    # torch: [5, -5] // [3, 3] -> [1, -2]; [5., -5.] % [-3., 3.] -> [-1., 1.]; fmod -> [2., -2.]
    assert (autograd.tensor([5, -5]) // autograd.tensor([3, 3])).tolist() == [1, -2]
    assert (autograd.tensor([5.0, -5.0]) % autograd.tensor([-3.0, 3.0])).tolist() == [-1.0, 1.0]
    assert autograd.fmod(autograd.tensor([5.0, -5.0]), autograd.tensor([-3.0, 3.0])).tolist() == [2.0, -2.0]
    assert (7 % autograd.tensor([3, -3])).tolist() == [1, -2]
    assert (7 // autograd.tensor([2.0])).tolist() == [3.0]
    assert autograd.div(autograd.tensor([5, -5]), 3, rounding_mode="trunc").tolist() == [1, -1]
    assert autograd.div(autograd.tensor([5.0, -5.0]), 3, rounding_mode="floor").tolist() == [1.0, -2.0]
    assert autograd.div(autograd.tensor([5.0, -5.0]), 3, rounding_mode="trunc").tolist() == [1.0, -1.0]
    assert (autograd.tensor([1, 2]) / autograd.tensor([2, 2])).dtype == np.float32
    with pytest.raises(ValueError, match="rounding_mode"):
        autograd.div(autograd.tensor([1.0]), 2, rounding_mode="round")
    for op in (autograd.floor_divide, autograd.remainder, autograd.fmod):
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            op(autograd.tensor([1]), autograd.tensor([0]))


def test_remainder_and_fmod_gradients() -> None:
    a = autograd.tensor([5.0, -5.0], requires_grad=True)
    b = autograd.tensor([3.0, 3.0], requires_grad=True)
    (a % b).sum().backward()
    assert a.grad.tolist() == [1.0, 1.0] and b.grad.tolist() == [-1.0, 2.0]  # -floor(a / b)
    a.grad = b.grad = None
    autograd.fmod(a, b).sum().backward()
    assert a.grad.tolist() == [1.0, 1.0] and b.grad.tolist() == [-1.0, 1.0]  # -trunc(a / b)
    a.grad = None
    (a // b).sum().backward()
    assert a.grad.tolist() == [0.0, 0.0]


def test_lerp_values_gradients_and_dtype_check() -> None:
    start = autograd.tensor([0.0, 10.0], requires_grad=True)
    end = autograd.tensor([4.0, 20.0], requires_grad=True)
    weight = autograd.tensor([0.25, 1.0], requires_grad=True)
    out = autograd.lerp(start, end, weight)
    assert out.tolist() == [1.0, 20.0]
    out.sum().backward()
    assert start.grad.tolist() == [0.75, 0.0] and end.grad.tolist() == [0.25, 1.0]
    assert weight.grad.tolist() == [4.0, 10.0]
    assert start.lerp(end, 0.5).tolist() == [2.0, 15.0]
    with pytest.raises(RuntimeError, match="expected dtype float32 for `end`"):
        autograd.lerp(start, end.double(), 0.5)


def test_binary_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(RuntimeError, match=r"size of tensor a \(3\) must match the size of tensor b \(4\) at "
                                           r"non-singleton dimension 1 \(shapes \[2, 3\] and \[2, 4\]\)"):
        autograd.ones(2, 3) + autograd.ones(2, 4)
    for op in (autograd.mul, autograd.maximum, autograd.remainder, autograd.pow, autograd.lt):
        with pytest.raises(RuntimeError, match="must match the size of tensor b"):
            op(autograd.ones(3), autograd.ones(4))


def test_clamp_inplace_continues_history_and_checks_leaves() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    version = y._version
    assert y.clamp_(0, 3) is y and y._version == version + 1
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0]  # torch gives the same
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.clamp_(0, 1)
    with autograd.no_grad():
        x.clamp_(0, 1.5)
    assert x.tolist() == [1.0, 1.5]
    with pytest.raises(RuntimeError, match="can't be cast"):
        autograd.tensor([1, 2]).exp_()


def test_trivial_inplace_ops_and_fill() -> None:
    t = autograd.tensor([-1.0, 0.5])
    assert t.relu_().tolist() == [0.0, 0.5]
    np.testing.assert_allclose(autograd.tensor([0.0]).exp_().numpy(), [1.0])
    np.testing.assert_allclose(autograd.tensor([0.0]).sigmoid_().numpy(), [0.5])
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.fill_(5.0)
    y.sum().backward()
    assert y.tolist() == [5.0, 5.0] and x.grad.tolist() == [0.0, 0.0]  # torch: FillBackward sends zeros
    z = autograd.zeros(2, 3, dtype=autograd.int64)
    z.copy_(autograd.tensor([1.7, 2.2, 3.9]))
    assert z.tolist() == [[1, 2, 3], [1, 2, 3]]


def test_random_inplace_fills_use_the_generator() -> None:
    a = autograd.empty(1000).uniform_(2.0, 3.0, generator=autograd.Generator().manual_seed(3))
    b = autograd.empty(1000).uniform_(2.0, 3.0, generator=autograd.Generator().manual_seed(3))
    assert a.equal(b) and 2.0 <= a.min().item() and a.max().item() < 3.0
    n = autograd.empty(20000).normal_(1.0, 2.0, generator=autograd.Generator().manual_seed(0))
    assert abs(n.mean().item() - 1.0) < 0.05 and abs(n.std().item() - 2.0) < 0.05


def test_relu_passes_the_gradient_at_nan_and_pow_has_zero_gradient_at_zero_exponent() -> None:
    """PyTorch's conventions: relu's mask is x <= 0 (a NaN is not), and d(a**b)/da is 0 where b = 0, also at
    a = 0 (where b * a**(b - 1) would be 0 * inf)."""
    x = autograd.tensor([float("nan"), -1.0, 2.0], requires_grad=True)
    autograd.relu(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1, 0, 1])
    base = autograd.tensor([0.0, 0.0, 2.0], requires_grad=True)
    exponent = autograd.tensor([0.0, 2.0, 0.0], requires_grad=True)
    (base**exponent).sum().backward()
    np.testing.assert_array_equal(base.grad.numpy(), [0, 0, 0])
