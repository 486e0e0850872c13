"""F.relu_, elu_, leaky_relu_, hardtanh_, selu_, celu_, rrelu_, threshold_: they write into their input, bump its
version, return it, keep gradients exact and refuse what PyTorch refuses."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn.functional as F

CASES = [
    ("relu_", (), lambda x: np.maximum(x, 0)),
    ("elu_", (0.5,), lambda x: np.where(x > 0, x, 0.5 * np.expm1(x))),
    ("leaky_relu_", (0.2,), lambda x: np.where(x > 0, x, 0.2 * x)),
    ("hardtanh_", (-0.5, 0.8), lambda x: np.clip(x, -0.5, 0.8)),
    ("selu_", (), lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x))),
    ("celu_", (2.0,), lambda x: np.where(x > 0, x, 2.0 * np.expm1(x / 2.0))),
    ("rrelu_", (0.1, 0.3, False), lambda x: np.where(x > 0, x, 0.2 * x)),
    ("threshold_", (0.1, 2.0), lambda x: np.where(x > 0.1, x, 2.0)),
]
VALUES = np.array([-2.0, -0.7, 0.05, 0.3, 1.5])


@pytest.mark.parametrize(("name", "args", "formula"), CASES, ids=[c[0] for c in CASES])
def test_changes_the_input_and_bumps_its_version(name, args, formula) -> None:
    x = autograd.tensor(VALUES.copy())
    version = x._version
    out = getattr(F, name)(x, *args)
    assert out is x
    assert x._version == version + 1
    np.testing.assert_allclose(x.numpy(), formula(VALUES), rtol=1e-15)


@pytest.mark.parametrize(("name", "args", "formula"), CASES, ids=[c[0] for c in CASES])
def test_gradient_through_the_in_place_op_equals_the_out_of_place_one(name, args, formula) -> None:
    leaf = autograd.tensor(VALUES, requires_grad=True)
    y = leaf * 1
    getattr(F, name)(y, *args)
    (y * autograd.tensor([1.0, 2.0, 3.0, 4.0, 5.0])).sum().backward()
    reference = autograd.tensor(VALUES, requires_grad=True)
    out = getattr(F, name[:-1])(reference, *args)
    (out * autograd.tensor([1.0, 2.0, 3.0, 4.0, 5.0])).sum().backward()
    np.testing.assert_allclose(leaf.grad.numpy(), reference.grad.numpy(), rtol=1e-15)


@pytest.mark.parametrize(("name", "args", "formula"), CASES, ids=[c[0] for c in CASES])
def test_refuses_a_leaf_that_requires_grad(name, args, formula) -> None:
    with pytest.raises(RuntimeError, match=f"{name}: a leaf Variable that requires grad"):
        getattr(F, name)(autograd.tensor(VALUES, requires_grad=True), *args)


def test_integer_input_follows_pytorch() -> None:
    x = autograd.tensor([-1, 0, 2])
    np.testing.assert_array_equal(F.relu_(x).numpy(), [0, 0, 2])
    assert x.dtype == autograd.int64
    with pytest.raises(NotImplementedError, match="elu_: not implemented for int64"):
        F.elu_(autograd.tensor([-1, 0, 2]))
