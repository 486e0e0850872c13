"""Registry-driven checks: every registered op is gradchecked and gradgradchecked on every sample."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import autograd
from autograd import ops
from autograd.function import Function
from autograd.ops.registry import REGISTRY

CASES = [(name, i) for name, cls in sorted(REGISTRY.items()) if cls.has_derivative for i in range(len(cls.samples))]
# Ops PyTorch records but cannot differentiate (heaviside): their samples must run forward, and backward must raise.
UNDIFFERENTIABLE = [(name, i) for name, cls in sorted(REGISTRY.items()) if not cls.has_derivative
                    for i in range(len(cls.samples))]


def _inputs(name: str, index: int, seed: int = 0) -> tuple[list, dict]:
    sample = REGISTRY[name].samples[index]
    arrays, kwargs = sample.build(np.random.default_rng(seed))
    args = [
        autograd.tensor(a, requires_grad=True) if isinstance(a, np.ndarray) and a.dtype == np.float64
        and isinstance(sample.args[i], tuple) else a
        for i, a in enumerate(arrays)
    ]
    return args, kwargs


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_gradcheck(name: str, index: int) -> None:
    args, kwargs = _inputs(name, index)
    op = REGISTRY[name]
    assert autograd.gradcheck(lambda *a: op.apply(*a, **kwargs), args)


@pytest.mark.parametrize(("name", "index"), CASES, ids=[f"{n}-{i}" for n, i in CASES])
def test_gradgradcheck(name: str, index: int) -> None:
    args, kwargs = _inputs(name, index)
    op = REGISTRY[name]
    assert autograd.gradgradcheck(lambda *a: op.apply(*a, **kwargs), args)


@pytest.mark.parametrize(("name", "index"), UNDIFFERENTIABLE, ids=[f"{n}-{i}" for n, i in UNDIFFERENTIABLE])
def test_ops_without_derivative_record_and_refuse_backward(name: str, index: int) -> None:
    args, kwargs = _inputs(name, index)
    out = REGISTRY[name].apply(*args, **kwargs)
    assert out.requires_grad and out.grad_fn is not None
    with pytest.raises(RuntimeError, match=f"{name}: the derivative is not implemented"):
        out.sum().backward()


def test_every_registered_op_has_samples() -> None:
    missing = [name for name, cls in REGISTRY.items() if not cls.samples]
    assert not missing, f"ops registered without samples: {missing}"


def test_every_op_class_is_registered() -> None:
    """A Function defined in autograd.ops but not registered would escape the gradcheck."""
    unregistered = []
    for module_name in dir(ops):
        module = getattr(ops, module_name)
        if not inspect.ismodule(module):
            continue
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Function) and obj is not Function and obj.__module__ == module.__name__:
                if getattr(obj, "op_name", None) not in REGISTRY or REGISTRY[obj.op_name] is not obj:
                    unregistered.append(obj.__qualname__)
    assert not unregistered, f"op classes without register_op: {unregistered}"
