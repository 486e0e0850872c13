"""lgamma, digamma, polygamma, mvlgamma, i0 (and the internal i1): values known in closed form, recurrences and
reflection identities, the poles and infinities (PyTorch's conventions), dtypes and errors. The registry
gradchecks and gradgradchecks every op; here the derivatives are checked against each other."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd
from autograd.ops.bessel import i1

EULER = 0.57721566490153286061
RNG = np.random.default_rng(3)


def _values(fn, values, **kwargs) -> np.ndarray:
    return fn(autograd.tensor(np.asarray(values, dtype=np.float64)), **kwargs).numpy()


def test_closed_form_values() -> None:
    np.testing.assert_allclose(_values(autograd.lgamma, [0.5, 1, 2, 3, 10]),
                               [math.log(math.sqrt(math.pi)), 0, 0, math.log(2), math.log(362880)], rtol=1e-15,
                               atol=1e-16)
    np.testing.assert_allclose(_values(autograd.digamma, [1, 0.5, 2]),
                               [-EULER, -EULER - 2 * math.log(2), 1 - EULER], rtol=1e-15)
    trigamma = autograd.polygamma(1, autograd.tensor([1.0, 0.5, 2.0], dtype=autograd.float64)).numpy()
    np.testing.assert_allclose(trigamma, [math.pi**2 / 6, math.pi**2 / 2, math.pi**2 / 6 - 1], rtol=1e-15)
    zeta3 = 1.2020569031595942854
    np.testing.assert_allclose(autograd.polygamma(2, autograd.tensor([1.0], dtype=autograd.float64)).numpy(),
                               [-2 * zeta3], rtol=1e-15)
    np.testing.assert_allclose(autograd.polygamma(3, autograd.tensor([1.0], dtype=autograd.float64)).numpy(),
                               [math.pi**4 / 15], rtol=1e-15)
    np.testing.assert_allclose(_values(autograd.i0, [0.0, 1.0, -1.0]), [1.0, 1.2660658777520082, 1.2660658777520082],
                               rtol=1e-15)
    np.testing.assert_allclose(_values(i1, [0.0, 1.0, -1.0]), [0.0, 0.5651591039924851, -0.5651591039924851],
                               rtol=1e-15)


def test_lgamma_matches_the_factorials_and_the_standard_library() -> None:
    n = np.arange(1, 171, dtype=np.float64)
    expected = [math.log(math.factorial(k - 1)) for k in range(1, 171)]
    np.testing.assert_allclose(_values(autograd.lgamma, n), expected, rtol=1e-14, atol=1e-15)
    x = np.concatenate([RNG.uniform(-30, 30, 500), RNG.uniform(2.6, 200, 200)])
    x = x[np.abs(x - np.round(x)) > 1e-3]
    # math.lgamma is accurate away from the zeros of lgamma (near x = 1 and x = 2 only absolutely)
    np.testing.assert_allclose(_values(autograd.lgamma, x), [math.lgamma(v) for v in x], rtol=1e-12, atol=1e-13)


def test_recurrences_and_reflection() -> None:
    x = RNG.uniform(0.05, 20, 200)
    np.testing.assert_allclose(_values(autograd.lgamma, x + 1) - _values(autograd.lgamma, x), np.log(x),
                               rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(_values(autograd.digamma, x + 1) - _values(autograd.digamma, x), 1 / x, rtol=1e-12)
    for n in (1, 2, 3):
        t = autograd.tensor(x, dtype=autograd.float64)
        difference = autograd.polygamma(n, t + 1).numpy() - autograd.polygamma(n, t).numpy()
        np.testing.assert_allclose(difference, (-1) ** n * math.factorial(n) / x ** (n + 1), rtol=1e-11)
    y = RNG.uniform(0.01, 0.99, 100) + RNG.integers(-5, 5, 100)
    np.testing.assert_allclose(_values(autograd.digamma, 1 - y) - _values(autograd.digamma, y),
                               math.pi / np.tan(math.pi * y), rtol=1e-11, atol=1e-12)
    gamma_product = np.exp(_values(autograd.lgamma, y) + _values(autograd.lgamma, 1 - y))
    np.testing.assert_allclose(gamma_product, math.pi / np.abs(np.sin(math.pi * y)), rtol=1e-12)


def test_mvlgamma_is_a_sum_of_lgammas() -> None:
    x = RNG.uniform(1.6, 9, (3, 4))
    for p in (1, 2, 3, 5):
        expected = p * (p - 1) / 4 * math.log(math.pi) + sum(_values(autograd.lgamma, x - j / 2) for j in range(p))
        np.testing.assert_allclose(_values(autograd.mvlgamma, x, p=p), expected, rtol=1e-14)
        method = autograd.tensor(x).mvlgamma(p).numpy()
        np.testing.assert_allclose(method, _values(autograd.mvlgamma, x, p=p), rtol=1e-6)


def test_i0_matches_its_power_series() -> None:
    x = RNG.uniform(-20, 20, 300)
    series = sum((x / 2) ** (2 * k) / math.factorial(k) ** 2 for k in range(80))
    np.testing.assert_allclose(_values(autograd.i0, x), series, rtol=1e-14)
    series1 = sum((x / 2) ** (2 * k + 1) / (math.factorial(k) * math.factorial(k + 1)) for k in range(80))
    np.testing.assert_allclose(_values(i1, x), series1, rtol=1e-14)


def test_poles_infinities_and_nan() -> None:
    edges = [0.0, -0.0, -1.0, -2.0, math.inf, -math.inf, math.nan]
    np.testing.assert_array_equal(_values(autograd.lgamma, edges), [np.inf] * 6 + [np.nan])
    np.testing.assert_array_equal(_values(autograd.digamma, edges),
                                  [-np.inf, np.inf, np.nan, np.nan, np.inf, np.nan, np.nan])
    for n, sign in ((1, 1), (2, -1), (3, 1)):
        at_poles = autograd.polygamma(n, autograd.tensor(edges[:4], dtype=autograd.float64)).numpy()
        np.testing.assert_array_equal(at_poles, [sign * np.inf] * 4)
    infinities = autograd.tensor([math.inf, -math.inf], dtype=autograd.float64)
    np.testing.assert_array_equal(autograd.polygamma(1, infinities).numpy(), [0.0, np.nan])
    np.testing.assert_array_equal(autograd.polygamma(2, infinities).numpy(), [np.nan, -np.inf])
    np.testing.assert_array_equal(_values(autograd.i0, [math.inf, -math.inf, math.nan, 800.0]),
                                  [np.nan, np.nan, np.nan, np.inf])


def test_derivatives_chain_through_the_family() -> None:
    values = RNG.uniform(0.3, 6, 10)
    x = autograd.tensor(values, dtype=autograd.float64, requires_grad=True)
    (g,) = autograd.grad(autograd.lgamma(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), _values(autograd.digamma, values), rtol=1e-15)
    (h,) = autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), _values(lambda t: autograd.polygamma(1, t), values), rtol=1e-15)
    (g,) = autograd.grad(autograd.i0(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), _values(i1, values), rtol=1e-15)
    (h,) = autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), _values(autograd.i0, values) - _values(i1, values) / values, rtol=1e-14)
    zero = autograd.tensor([0.0], dtype=autograd.float64, requires_grad=True)
    (g,) = autograd.grad(i1(zero).sum(), zero)
    assert g.numpy().tolist() == [0.5]


@pytest.mark.parametrize("name", ["lgamma", "digamma", "i0"])
def test_dtypes_and_methods(name: str) -> None:
    fn = getattr(autograd, name)
    for dtype in (autograd.float32, autograd.float16, autograd.float64):
        x = autograd.tensor([0.5, 1.5, 3.0], dtype=dtype)
        assert fn(x).dtype == dtype
        np.testing.assert_array_equal(getattr(x, name)().numpy(), fn(x).numpy())
    assert fn(autograd.tensor([1, 2, 3])).dtype == autograd.float32
    assert fn(autograd.tensor([True, False])).dtype == autograd.float32
    assert autograd.tensor([1, 2]).polygamma(1).dtype == autograd.float32
    with pytest.raises(TypeError):
        fn(3.0)


def test_argument_errors() -> None:
    x = autograd.ones(2)
    with pytest.raises(RuntimeError, match="negative n"):
        autograd.polygamma(-1, x)
    with pytest.raises(TypeError, match="'n'"):
        autograd.polygamma(1.5, x)
    with pytest.raises(RuntimeError, match="p has to be greater than or equal to 1"):
        autograd.mvlgamma(x, 0)
    with pytest.raises(TypeError, match="'p'"):
        autograd.mvlgamma(x, 2.0)


def test_empty_inputs() -> None:
    for fn in (autograd.lgamma, autograd.digamma, autograd.i0, lambda t: autograd.polygamma(2, t),
               lambda t: autograd.mvlgamma(t, 2)):
        assert fn(autograd.zeros(0, 3)).shape == (0, 3)
