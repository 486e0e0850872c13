"""Property tests (hypothesis): broadcasting of binary ops and reductions over random dims, against numpy."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import autograd

# op name -> (numpy forward, d out / d a, d out / d b), all on broadcast arrays
BINARY = {
    "add": (np.add, lambda a, b: np.ones_like(a + b), lambda a, b: np.ones_like(a + b)),
    "sub": (np.subtract, lambda a, b: np.ones_like(a + b), lambda a, b: -np.ones_like(a + b)),
    "mul": (np.multiply, lambda a, b: b + 0 * a, lambda a, b: a + 0 * b),
    "div": (np.divide, lambda a, b: 1 / b + 0 * a, lambda a, b: -a / b**2),
    "pow": (np.power, lambda a, b: b * a ** (b - 1), lambda a, b: a**b * np.log(a)),
    "maximum": (np.maximum, lambda a, b: (a > b) + 0.0 * b, lambda a, b: (b > a) + 0.0 * a),
    "lerp": (lambda a, b: a + 0.3 * (b - a), lambda a, b: 0.7 + 0 * (a + b), lambda a, b: 0.3 + 0 * (a + b)),
}


def _sum_to(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Independent undo of broadcasting: sum the leading axes, then the stretched ones."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _call(name: str, a, b):
    return autograd.lerp(a, b, 0.3) if name == "lerp" else getattr(autograd, name)(a, b)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(sorted(BINARY)),
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4),
    seed=st.integers(0, 2**16),
)
def test_binary_broadcasting(name: str, shapes, seed: int) -> None:
    (shape_a, shape_b), out_shape = shapes
    rng = np.random.default_rng(seed)
    a_data, b_data = rng.uniform(0.5, 2.0, shape_a), rng.uniform(0.5, 2.0, shape_b)
    if name == "maximum":  # keep away from ties, where the gradient is split
        b_data = b_data + 0.01
    forward, d_a, d_b = BINARY[name]
    a = autograd.tensor(a_data, requires_grad=True)
    b = autograd.tensor(b_data, requires_grad=True)
    out = _call(name, a, b)
    assert out.shape == np.broadcast_shapes(shape_a, shape_b) == out_shape
    np.testing.assert_allclose(out.detach().numpy(), forward(a_data, b_data), rtol=1e-12)
    out.sum().backward()
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    a_full, b_full = np.broadcast_to(a_data, out_shape), np.broadcast_to(b_data, out_shape)
    np.testing.assert_allclose(a.grad.numpy(), _sum_to(d_a(a_full, b_full), shape_a), rtol=1e-10)
    np.testing.assert_allclose(b.grad.numpy(), _sum_to(d_b(a_full, b_full), shape_b), rtol=1e-10)


@st.composite
def _shape_and_dims(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    axes = draw(st.lists(st.integers(0, len(shape) - 1), min_size=1, max_size=len(shape), unique=True))
    negative = draw(st.lists(st.booleans(), min_size=len(axes), max_size=len(axes)))
    dims = tuple(d - len(shape) if neg else d for d, neg in zip(axes, negative))
    return shape, dims, draw(st.booleans())


REDUCTIONS = {
    "sum": (lambda t, d, k: t.sum(d, k), lambda a, d, k: np.sum(a, axis=d, keepdims=k)),
    "mean": (lambda t, d, k: t.mean(d, k), lambda a, d, k: np.mean(a, axis=d, keepdims=k)),
    "prod": (lambda t, d, k: t.prod(d, k), lambda a, d, k: np.prod(a, axis=d, keepdims=k)),
    "amax": (lambda t, d, k: t.amax(d, k), lambda a, d, k: np.max(a, axis=d, keepdims=k)),
    "amin": (lambda t, d, k: t.amin(d, k), lambda a, d, k: np.min(a, axis=d, keepdims=k)),
    "var": (lambda t, d, k: t.var(d, keepdim=k, correction=0), lambda a, d, k: np.var(a, axis=d, keepdims=k)),
    "std": (lambda t, d, k: t.std(d, keepdim=k, correction=0), lambda a, d, k: np.std(a, axis=d, keepdims=k)),
    "logsumexp": (lambda t, d, k: t.logsumexp(d, k),
                  lambda a, d, k: np.log(np.sum(np.exp(a), axis=d, keepdims=k))),
    "norm": (lambda t, d, k: t.norm(dim=d, keepdim=k), lambda a, d, k: np.sqrt(np.sum(a * a, axis=d, keepdims=k))),
}


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(sorted(REDUCTIONS)), case=_shape_and_dims(), seed=st.integers(0, 2**16))
def test_reductions_over_random_dims(name: str, case, seed: int) -> None:
    shape, dims, keepdim = case
    data = np.random.default_rng(seed).uniform(0.5, 2.0, shape)
    ours, reference = REDUCTIONS[name]
    x = autograd.tensor(data, requires_grad=True)
    out = ours(x, dims, keepdim)
    expected = reference(data, dims, keepdim)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-10)
    out.sum().backward()
    assert x.grad.shape == shape
    if name == "sum":
        assert (x.grad.numpy() == 1).all()
    if name == "mean":
        np.testing.assert_allclose(x.grad.numpy(), 1 / (data.size / expected.size))
