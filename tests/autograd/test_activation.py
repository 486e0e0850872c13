"""Activations against explicit float64 formulas; stability of (log_)softmax; one_hot."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd

RNG = np.random.default_rng(2)
LOGITS = RNG.normal(scale=3.0, size=(4, 5))
X = np.array([-3.0, -1.0, -0.2, 0.3, 1.0, 4.0])
ERF = np.vectorize(math.erf)


def _softmax(a: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(a.astype(np.float64))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_and_log_softmax_match_the_formula(dim: int) -> None:
    x = autograd.tensor(LOGITS)
    np.testing.assert_allclose(autograd.softmax(x, dim).numpy(), _softmax(LOGITS, dim), rtol=1e-12)
    np.testing.assert_allclose(x.log_softmax(dim).numpy(), np.log(_softmax(LOGITS, dim)), rtol=1e-12)


def test_softmax_gradient_matches_the_jacobian() -> None:
    x = autograd.tensor(LOGITS[0], requires_grad=True)
    weights = RNG.normal(size=5)
    (autograd.softmax(x, 0) * autograd.tensor(weights)).sum().backward()
    s = _softmax(LOGITS[0], 0)
    jacobian = np.diag(s) - np.outer(s, s)
    np.testing.assert_allclose(x.grad.numpy(), jacobian @ weights, rtol=1e-10)


def test_log_softmax_at_huge_logits_is_finite_and_exact() -> None:
    x = autograd.tensor([[1e4, 0.0, -1e4], [1e4, 1e4, 1e4]], requires_grad=True)
    y = autograd.log_softmax(x, 1)
    np.testing.assert_allclose(y.detach().numpy(), [[0.0, -1e4, -2e4], [-math.log(3)] * 3], rtol=1e-6)
    (y * autograd.tensor([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()
    # d/dx of y_0 = e_0 - softmax(x): [0, 0, 0] for the first row (softmax is [1, 0, 0]), [2/3, -1/3, -1/3]
    np.testing.assert_allclose(x.grad.numpy(), [[0.0, 0.0, 0.0], [2 / 3, -1 / 3, -1 / 3]], atol=1e-6)
    s = autograd.softmax(autograd.tensor([[1e4, 0.0]]), 1)
    assert s.tolist() == [[1.0, 0.0]]


def test_softmax_without_dim_uses_the_legacy_rule_and_warns() -> None:
    x = autograd.tensor(LOGITS)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = autograd.softmax(x)
    np.testing.assert_allclose(out.numpy(), _softmax(LOGITS, 1), rtol=1e-12)
    with pytest.warns(UserWarning):
        assert autograd.log_softmax(autograd.tensor([0.0, 0.0])).tolist() == pytest.approx([-math.log(2)] * 2)


def test_one_hot() -> None:
    out = autograd.one_hot(autograd.tensor([0, 2]))
    assert out.tolist() == [[1, 0, 0], [0, 0, 1]] and out.dtype == np.int64
    assert autograd.one_hot(autograd.tensor([[1]]), num_classes=4).tolist() == [[[0, 1, 0, 0]]]
    for bad, classes, message in (([0, -1], -1, "non-negative"), ([0, 5], 3, "smaller than num_classes")):
        with pytest.raises(RuntimeError, match=message):
            autograd.one_hot(autograd.tensor(bad), classes)
    with pytest.raises(RuntimeError, match="empty tensor"):
        autograd.one_hot(autograd.zeros(0, dtype=autograd.int64))
    with pytest.raises(RuntimeError, match="LongTensor"):
        autograd.one_hot(autograd.tensor([0.0, 1.0]))


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805
ACTIVATIONS = [
    ("leaky_relu", {}, lambda a: np.where(a > 0, a, 0.01 * a), lambda a: np.where(a > 0, 1.0, 0.01)),
    ("leaky_relu", {"negative_slope": 0.2}, lambda a: np.where(a > 0, a, 0.2 * a), lambda a: np.where(a > 0, 1, 0.2)),
    ("elu", {"alpha": 0.5}, lambda a: np.where(a > 0, a, 0.5 * (np.exp(a) - 1)),
     lambda a: np.where(a > 0, 1.0, 0.5 * np.exp(a))),
    ("selu", {}, lambda a: SELU_SCALE * np.where(a > 0, a, SELU_ALPHA * (np.exp(a) - 1)),
     lambda a: SELU_SCALE * np.where(a > 0, 1.0, SELU_ALPHA * np.exp(a))),
    ("gelu", {}, lambda a: a * 0.5 * (1 + ERF(a / math.sqrt(2))),
     lambda a: 0.5 * (1 + ERF(a / math.sqrt(2))) + a * np.exp(-a * a / 2) / math.sqrt(2 * math.pi)),
    ("gelu", {"approximate": "tanh"},
     lambda a: 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a**3))), None),
    ("softplus", {}, lambda a: np.log(1 + np.exp(a)), lambda a: 1 / (1 + np.exp(-a))),
    ("softplus", {"beta": 2.0, "threshold": 1.0}, lambda a: np.where(2 * a > 1, a, np.log(1 + np.exp(2 * a)) / 2),
     lambda a: np.where(2 * a > 1, 1.0, 1 / (1 + np.exp(-2 * a)))),
    ("hardtanh", {}, lambda a: np.minimum(np.maximum(a, -1), 1), lambda a: ((a > -1) & (a < 1)).astype(float)),
    ("silu", {}, lambda a: a / (1 + np.exp(-a)), lambda a: (1 + np.exp(-a) + a * np.exp(-a)) / (1 + np.exp(-a)) ** 2),
]


@pytest.mark.parametrize(("name", "kwargs", "value", "slope"), ACTIVATIONS,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(ACTIVATIONS)])
def test_activation_values_and_gradients(name: str, kwargs: dict, value, slope) -> None:
    x = autograd.tensor(X, requires_grad=True)
    y = getattr(autograd, name)(x, **kwargs)
    np.testing.assert_allclose(y.detach().numpy(), value(X), rtol=1e-12, atol=1e-15)
    y.sum().backward()
    if slope is not None:
        np.testing.assert_allclose(x.grad.numpy(), slope(X), rtol=1e-10, atol=1e-15)
    else:
        fresh = autograd.tensor(X, requires_grad=True)
        assert autograd.gradcheck(lambda t: getattr(autograd, name)(t, **kwargs), [fresh])


def test_hardtanh_gradient_is_zero_at_the_bounds() -> None:
    # torch: hardtanh(tensor([-1., 0., 1., 2.]), 0, 1) has gradient [0., 0., 0., 0.] (open interval)
    x = autograd.tensor([-1.0, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
    autograd.hardtanh(x, 0.0, 1.0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]


def test_softplus_is_stable_for_large_inputs() -> None:
    big = autograd.tensor([-1000.0, 1000.0], dtype=autograd.float64)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = autograd.softplus(big, threshold=1e6).numpy()
    np.testing.assert_allclose(out, [0.0, 1000.0], atol=1e-300)


def test_inplace_activations_keep_a_valid_history() -> None:
    x = autograd.tensor([-2.0, 3.0], requires_grad=True)
    h = x * 1.0
    assert autograd.leaky_relu(h, 0.1, inplace=True) is h
    assert autograd.elu(h, inplace=True) is h
    h.sum().backward()
    # elu(leaky_relu(x)): at -2: slope 0.1, then elu' at -0.2 = exp(-0.2); at 3: 1
    np.testing.assert_allclose(x.grad.numpy(), [0.1 * math.exp(-0.2), 1.0], rtol=1e-6)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        autograd.hardtanh(x, inplace=True)


def _first_and_second(fn, values: list) -> tuple[np.ndarray, np.ndarray]:
    """dy/dx and d2y/dx2 of an elementwise ``fn`` at ``values`` (float64)."""
    x = autograd.tensor(values, dtype=autograd.float64, requires_grad=True)
    (g,) = autograd.grad(fn(x).sum(), x, create_graph=True)
    (gg,) = autograd.grad(g.sum(), x, allow_unused=True)
    return g.detach().numpy(), np.zeros(len(values)) if gg is None else gg.numpy()


def test_elu_derivatives_at_the_kink_far_left_and_nan() -> None:
    # PyTorch 2.13: elu'(0) = alpha (the left branch) but elu''(0) = 0; elu'(-40) = alpha e^-40, not 0 from y + alpha
    g, gg = _first_and_second(lambda t: autograd.elu(t, 0.5), [0.0, -40.0, -1.0, 2.0, math.nan])
    np.testing.assert_allclose(g[:4], [0.5, 0.5 * math.exp(-40), 0.5 * math.exp(-1), 1.0], rtol=1e-12)
    np.testing.assert_allclose(gg[:4], [0.0, 0.5 * math.exp(-40), 0.5 * math.exp(-1), 0.0], rtol=1e-12)
    assert math.isnan(g[4]) and math.isnan(gg[4])


def test_elu_with_a_negative_alpha_uses_the_input_not_the_output() -> None:
    g, _ = _first_and_second(lambda t: autograd.elu(t, -1.0), [-1.0, 1.0])
    np.testing.assert_allclose(g, [-math.exp(-1), 1.0], rtol=1e-12)


def test_inplace_elu_reads_its_output_and_refuses_a_negative_alpha() -> None:
    x = autograd.tensor([-1.0, 0.0, 3.0], dtype=autograd.float64, requires_grad=True)
    (g,) = autograd.grad(autograd.elu(x * 1, 0.5, inplace=True).sum(), x)
    np.testing.assert_allclose(g.numpy(), [0.5 * math.exp(-1), 0.5, 1.0], rtol=1e-12)
    y = autograd.elu(x * 1, -0.5, inplace=True)
    with pytest.raises(RuntimeError, match=r"elu_: in-place backward with a negative alpha \(-0.5\)"):
        y.sum().backward()


def test_inplace_leaky_relu_with_slope_zero_works_and_a_negative_slope_raises() -> None:
    x = autograd.tensor([-1.0, 0.0, 2.0, math.nan], requires_grad=True)
    autograd.leaky_relu(x * 1, 0.0, inplace=True).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 0.0]
    y = autograd.leaky_relu(x * 1, -0.5, inplace=True)
    with pytest.raises(RuntimeError, match="leaky_relu_: in-place backward with a negative slope"):
        y.sum().backward()


def test_hardtanh_at_nan_and_with_crossed_bounds() -> None:
    x = autograd.tensor([math.nan, 0.0], requires_grad=True)
    autograd.hardtanh(x, 0.0, 6.0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]  # PyTorch's vectorized kernel: NaN is outside the interval
    with pytest.raises(ValueError, match=r"hardtanh: min_val \(1.0\) cannot be greater than max_val \(0.0\)"):
        autograd.hardtanh(x, 1.0, 0.0)


def test_softplus_second_derivative_is_zero_at_the_threshold() -> None:
    # beta x = threshold: the sigmoid branch for the first derivative, 0 for the second (as PyTorch)
    g, gg = _first_and_second(lambda t: autograd.softplus(t, 2.0, 1.0), [0.5, 0.25])
    s = 1 / (1 + math.exp(-0.5))
    np.testing.assert_allclose(g, [1 / (1 + math.exp(-1)), s], rtol=1e-12)
    np.testing.assert_allclose(gg, [0.0, 2 * s * (1 - s)], rtol=1e-12)


def test_softmax_of_a_slice_with_positive_infinity_is_nan() -> None:
    x = autograd.tensor([[math.inf, 1.0], [-math.inf, 1.0]])
    out = autograd.softmax(x, 1).numpy()
    assert np.isnan(out[0]).all() and out[1].tolist() == [0.0, 1.0]
    assert np.isnan(autograd.log_softmax(x, 1).numpy()[0]).all()
