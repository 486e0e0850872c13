"""Inverse trigonometric and hyperbolic functions, logarithms in other bases, erfc/erfinv, logit, sinc, sgn, frac,
nan_to_num: values worked out by hand or from identities, derivatives at the edges of their domains (PyTorch's,
checked by hand against it), dtype promotion and error messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(7)
UNIT = RNG.uniform(-0.95, 0.95, size=(3, 4))
WIDE = RNG.uniform(-3, 3, size=(3, 4))


def _grad(fn, values, **kwargs):
    x = autograd.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)
    y = fn(x, **kwargs)
    y.backward(autograd.ones_like(y))  # not y.sum(): values such as inf + -inf are fine here
    return x.grad.numpy()


@pytest.mark.parametrize(("name", "data", "reference"), [
    ("asin", UNIT, np.arcsin), ("acos", UNIT, np.arccos), ("atan", WIDE, np.arctan), ("sinh", WIDE, np.sinh),
    ("cosh", WIDE, np.cosh), ("asinh", WIDE, np.arcsinh), ("acosh", 1 + np.abs(WIDE), np.arccosh),
    ("atanh", UNIT, np.arctanh), ("log2", np.abs(WIDE), np.log2), ("log10", np.abs(WIDE), np.log10),
    ("exp2", WIDE, np.exp2), ("deg2rad", WIDE * 100, np.deg2rad), ("rad2deg", WIDE, np.rad2deg),
])
def test_forward_matches_numpy_and_the_method(name: str, data: np.ndarray, reference) -> None:
    x = autograd.tensor(data)
    out = getattr(autograd, name)(x)
    np.testing.assert_allclose(out.numpy(), reference(data), rtol=1e-14)
    np.testing.assert_array_equal(getattr(x, name)().numpy(), out.numpy())
    assert out.dtype == np.float64


def test_inverse_functions_undo_their_forward_functions() -> None:
    x = autograd.tensor(UNIT)
    np.testing.assert_allclose(autograd.sin(autograd.asin(x)).numpy(), UNIT, rtol=1e-13)
    np.testing.assert_allclose(autograd.cos(autograd.acos(x)).numpy(), UNIT, rtol=1e-13)
    np.testing.assert_allclose(autograd.tanh(autograd.atanh(x)).numpy(), UNIT, rtol=1e-13)
    np.testing.assert_allclose(autograd.asinh(autograd.sinh(autograd.tensor(WIDE))).numpy(), WIDE, rtol=1e-13)
    np.testing.assert_allclose(autograd.erf(autograd.erfinv(x)).numpy(), UNIT, rtol=1e-15, atol=1e-16)
    # cosh^2 - sinh^2 = 1
    w = autograd.tensor(WIDE)
    np.testing.assert_allclose((w.cosh() ** 2 - w.sinh() ** 2).numpy(), 1.0, rtol=1e-12)


def test_aliases_are_the_same_functions() -> None:
    assert autograd.arcsin is autograd.asin and autograd.arccosh is autograd.acosh
    assert autograd.arctan2 is autograd.atan2
    x = autograd.tensor([0.5])
    assert x.arctanh().tolist() == x.atanh().tolist()


def test_base_two_and_ten_are_exact_on_powers() -> None:
    # A quotient log(x) / log(10) gives 2.9999999999999996 for 1000; log10 gives 3 exactly, as PyTorch does.
    assert autograd.log10(autograd.tensor([1000.0, 1e-5], dtype=autograd.float64)).tolist() == [3.0, -5.0]
    assert autograd.log2(autograd.tensor([1024.0, 0.125])).tolist() == [10.0, -3.0]
    assert autograd.exp2(autograd.tensor([10.0, -1.0, 0.0])).tolist() == [1024.0, 0.5, 1.0]


@pytest.mark.parametrize(("name", "values", "expected"), [
    ("asin", [0.0, 0.6], [1.0, 1.25]),                    # 1 / sqrt(1 - x^2): 1 / 0.8
    ("acos", [0.6], [-1.25]),
    ("atan", [2.0], [0.2]),                               # 1 / (1 + x^2)
    ("asinh", [0.75], [0.8]),                             # 1 / sqrt(x^2 + 1) = 1 / 1.25
    ("acosh", [1.25], [1 / 0.75]),                        # 1 / sqrt(x^2 - 1)
    ("atanh", [0.5], [4 / 3]),                            # 1 / (1 - x^2)
    ("log2", [2.0], [1 / (2 * math.log(2))]),
    ("log10", [10.0], [1 / (10 * math.log(10))]),
    ("exp2", [3.0], [8 * math.log(2)]),
    ("erfc", [0.0], [-2 / math.sqrt(math.pi)]),
    ("erfinv", [0.0], [math.sqrt(math.pi) / 2]),
    ("deg2rad", [7.0], [math.pi / 180]),
    ("rad2deg", [7.0], [180 / math.pi]),
    ("frac", [-2.5, 3.75], [1.0, 1.0]),
    ("sgn", [-2.0, 0.0, 3.0], [0.0, 0.0, 0.0]),
])
def test_derivatives_by_hand(name: str, values: list, expected: list) -> None:
    np.testing.assert_allclose(_grad(getattr(autograd, name), values), expected, rtol=1e-14)


def test_edge_derivatives_are_pytorchs() -> None:
    # inf at the ends of the domain, NaN beyond (PyTorch: asin'(1) = inf, acosh'(1) = inf, atanh'(1) = inf).
    assert _grad(autograd.asin, [1.0, -1.0]).tolist() == [math.inf, math.inf]
    assert np.isnan(_grad(autograd.asin, [1.5])).all()
    assert _grad(autograd.acosh, [1.0]).tolist() == [math.inf]
    assert _grad(autograd.atanh, [1.0, -1.0]).tolist() == [math.inf, math.inf]
    assert _grad(autograd.erfinv, [1.0]).tolist() == [math.inf]
    # acosh' = 1 / sqrt(x^2 - 1) is real below -1, though acosh itself is NaN there (as PyTorch)
    np.testing.assert_allclose(_grad(autograd.acosh, [-2.0]), [1 / math.sqrt(3)])
    assert _grad(autograd.asinh, [1e200]).tolist() == [0.0]


def test_erfc_keeps_precision_in_the_tail() -> None:
    x = autograd.tensor([5.0, 10.0, 26.0], dtype=autograd.float64)
    np.testing.assert_allclose(autograd.erfc(x).numpy(), [math.erfc(5.0), math.erfc(10.0), math.erfc(26.0)],
                               rtol=1e-15)
    assert autograd.erfc(x).numpy()[1] > 0  # 1 - erf(10) would be exactly 0


def test_erfinv_at_and_beyond_the_ends() -> None:
    out = autograd.erfinv(autograd.tensor([-1.0, 1.0, 1.5, math.nan, 0.0]))
    assert out.tolist()[:2] == [-math.inf, math.inf]
    assert np.isnan(out.numpy()[2:4]).all() and out.tolist()[4] == 0.0
    # near 1 the inverse is resolved from 1 - x, which is exact: erfc(erfinv(1 - 1e-15)) = 1e-15
    y = autograd.erfinv(autograd.tensor([1 - 1e-15], dtype=autograd.float64)).item()
    assert math.erfc(y) == pytest.approx(1 - (1 - 1e-15), rel=1e-12)
    assert autograd.erfinv(autograd.tensor([0.5], dtype=autograd.float32)).dtype == np.float32


def test_sinc_value_and_derivatives_at_zero() -> None:
    x = autograd.tensor([0.0, 0.5, 1.0, -2.5], dtype=autograd.float64, requires_grad=True)
    y = autograd.sinc(x)
    np.testing.assert_allclose(y.detach().numpy(), [1.0, 2 / math.pi, 0.0, 2 / (5 * math.pi)], atol=1e-16)
    (g,) = autograd.grad(y.sum(), x, create_graph=True)
    # (cos(pi x) - sinc(x)) / x: 0 at 0, -4/pi at 1/2, -1 at 1
    np.testing.assert_allclose(g.detach().numpy()[:3], [0.0, -4 / math.pi, -1.0], atol=1e-15)
    (h,) = autograd.grad(g.sum(), x)
    assert h.numpy()[0] == pytest.approx(-math.pi**2 / 3)  # the Taylor series 1 - (pi x)^2 / 6 + ...


def test_logit_inverts_sigmoid_and_clamps_with_eps() -> None:
    p = autograd.tensor([0.1, 0.5, 0.8], dtype=autograd.float64)
    np.testing.assert_allclose(autograd.sigmoid(autograd.logit(p)).numpy(), p.numpy(), rtol=1e-15)
    assert autograd.logit(autograd.tensor([0.0, 1.0])).tolist() == [-math.inf, math.inf]
    clamped = autograd.logit(autograd.tensor([0.0, 0.05, 1.0], dtype=autograd.float64), eps=0.1)
    np.testing.assert_allclose(clamped.numpy(), [-math.log(9), -math.log(9), math.log(9)], rtol=1e-15)
    assert autograd.tensor([0.2]).logit(0.1).tolist() == autograd.logit(autograd.tensor([0.2]), eps=0.1).tolist()


def test_logit_gradients_at_the_clamp_and_outside_the_domain() -> None:
    # 1 / (x (1 - x)): 0 where eps clamped the input (the bound itself still counts as inside), NaN outside
    # [0, 1] without eps, inf at 0 and 1.
    np.testing.assert_allclose(_grad(autograd.logit, [0.05, 0.1, 0.5, 0.95], eps=0.1), [0.0, 1 / 0.09, 4.0, 0.0])
    no_eps = _grad(autograd.logit, [0.0, 0.5, -1.0, 2.0])
    assert no_eps[0] == math.inf and no_eps[1] == 4.0 and np.isnan(no_eps[2:]).all()
    # a negative eps means no eps, as in PyTorch
    assert np.isnan(_grad(autograd.logit, [-1.0], eps=-0.5)).all()


def test_sgn_is_sign_with_nan_and_bool_as_pytorch() -> None:
    out = autograd.sgn(autograd.tensor([-2.0, -0.0, 0.0, 3.0, math.nan]))
    assert out.tolist() == [-1.0, 0.0, 0.0, 1.0, 0.0]  # NaN has sign 0, as in PyTorch
    assert autograd.sgn(autograd.tensor([-3, 0, 5])).tolist() == [-1, 0, 1]
    assert autograd.tensor([True, False]).sgn().tolist() == [True, False]


def test_frac_keeps_the_sign_and_refuses_integers() -> None:
    np.testing.assert_allclose(autograd.frac(autograd.tensor([2.75, -2.75, 3.0])).numpy(), [0.75, -0.75, 0.0])
    assert np.isnan(autograd.frac(autograd.tensor([math.inf])).numpy()).all()
    with pytest.raises(RuntimeError, match="frac: not implemented for int64"):
        autograd.frac(autograd.tensor([1, 2]))


def test_nan_to_num_replaces_and_passes_gradient_only_where_finite() -> None:
    x = autograd.tensor([math.nan, math.inf, -math.inf, 1.5], dtype=autograd.float64, requires_grad=True)
    y = autograd.nan_to_num(x)
    big = np.finfo(np.float64).max
    assert y.tolist() == [0.0, big, -big, 1.5]
    y.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0, 1.0]
    assert autograd.nan_to_num(x, nan=2.0, posinf=3.0, neginf=-4.0).tolist() == [2.0, 3.0, -4.0, 1.5]
    half = autograd.tensor([math.inf], dtype=autograd.float16).nan_to_num()
    assert half.tolist() == [65504.0] and half.dtype == np.float16
    ints = autograd.tensor([1, 2])
    assert autograd.nan_to_num(ints).tolist() == [1, 2] and autograd.nan_to_num(ints) is not ints


def test_integer_inputs_become_float32() -> None:
    ints = autograd.tensor([1, 2, 3])
    for name in ("asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log2", "log10", "exp2", "erfc",
                 "erfinv", "deg2rad", "rad2deg", "sinc", "logit"):
        assert getattr(autograd, name)(ints).dtype == np.float32, name
    assert autograd.deg2rad(autograd.tensor([True])).dtype == np.float32
    assert autograd.sgn(ints).dtype == np.int64


def test_non_tensor_arguments_are_refused_with_the_op_name() -> None:
    with pytest.raises(TypeError, match=r"asin\(\): argument 'input' must be Tensor, not float"):
        autograd.asin(0.5)
