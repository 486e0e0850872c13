"""Fused linear algebra: ``addmm``, ``addmv``, ``baddbmm`` and ``addbmm`` (beta * input + alpha * a product, one
op each), and ``mv``, ``addcmul``, ``addcdiv``, ``tensordot`` and ``kron`` composed from registered ops.

The four ``add*`` products are ops of their own for one reason: with ``beta=0`` PyTorch ignores ``input``
altogether (NaN or inf in it do not propagate) yet still gives it a zero gradient, which ``0 * input`` cannot
do. Their backward passes are matmuls, so second derivatives are exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import Function
from autograd.ops._dims import wrap_dims
from autograd.ops._operands import tensor_arguments
from autograd.ops.basic import broadcast_error
from autograd.ops.linalg import Matmul
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.addmm``).
__all__ = ["addmm", "addmv", "baddbmm", "addbmm", "mv", "addcmul", "addcdiv", "tensordot", "kron"]


class _AddProduct:
    """Shared body: y = beta * input + alpha * P(a, b), P the op's ``product``;
    d input = beta * grad, d a = alpha * grad @ b^T, d b = alpha * a^T @ grad (batched, or broadcast over the
    batch for addbmm, whose product sums over it). ``beta = 0`` leaves ``input`` out of the forward pass.

    ``alpha`` and ``beta`` are converted to the tensors' dtype first, as PyTorch does (so an integer product
    truncates a fractional ``alpha``).
    """

    alpha = 1
    beta = 1
    product: Any = None

    @classmethod
    def forward(cls, ctx, input: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = cls.product(a, b)
        if ctx.alpha != 1:
            out *= np.asarray(ctx.alpha, dtype=out.dtype)
        if ctx.beta == 0:
            return out
        return out + (input if ctx.beta == 1 else input * np.asarray(ctx.beta, dtype=input.dtype))

    @classmethod
    def backward(cls, ctx, grad):
        need_input, need_a, need_b = ctx.needs_input_grad
        scaled = grad if ctx.alpha == 1 else grad * ctx.alpha
        grad_input = (grad if ctx.beta == 1 else grad * ctx.beta) if need_input else None
        grad_a = cls.grad_a(scaled, ctx.input(2)) if need_a else None
        grad_b = Matmul.apply(ctx.input(1).mT, scaled) if need_b else None
        return grad_input, grad_a, grad_b

    @staticmethod
    def grad_a(scaled: Any, b: Any) -> Any:
        return Matmul.apply(scaled, b.mT)


@register_op("addmm", samples=[Sample((2, 4), (2, 3), (3, 4)), Sample((4,), (2, 3), (3, 4), beta=0.5, alpha=2.0),
                               Sample((), (2, 3), (3, 4), beta=0.0), Sample((2, 1), (2, 0), (0, 4))])
class Addmm(_AddProduct, Function):
    """y = beta * input + alpha * (m1 @ m2) for m1 (n, k), m2 (k, m), input broadcastable to (n, m)."""

    product = staticmethod(np.matmul)


@register_op("addmv", samples=[Sample((2,), (2, 3), (3,)), Sample((), (2, 3), (3,), beta=2.0, alpha=-1.5),
                               Sample((2,), (2, 3), (3,), beta=0.0)])
class Addmv(_AddProduct, Function):
    """y = beta * input + alpha * (mat @ vec) for mat (n, k), vec (k,), input broadcastable to (n,);
    d mat = alpha * outer(grad, vec)."""

    product = staticmethod(np.matmul)

    @staticmethod
    def grad_a(scaled: Any, b: Any) -> Any:
        return Matmul.apply(scaled.unsqueeze(1), b.unsqueeze(0))


@register_op("baddbmm", samples=[Sample((2, 3, 4), (2, 3, 5), (2, 5, 4)),
                                 Sample((3, 1), (2, 3, 5), (2, 5, 4), alpha=0.5),
                                 Sample((2, 3, 4), (2, 3, 5), (2, 5, 4), beta=0.0)])
class Baddbmm(_AddProduct, Function):
    """y[i] = beta * input[i] + alpha * (b1[i] @ b2[i]) for b1 (B, n, k), b2 (B, k, m), input broadcastable to
    (B, n, m)."""

    product = staticmethod(np.matmul)


def _summed_batch_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum over i of a[i] @ b[i] for a (B, n, k), b (B, k, m), as one (n, B k) @ (B k, m) product."""
    count, n, k = a.shape
    return a.transpose(1, 0, 2).reshape(n, count * k) @ b.reshape(count * k, b.shape[2])


@register_op("addbmm", samples=[Sample((3, 4), (2, 3, 5), (2, 5, 4)), Sample((4,), (2, 3, 5), (2, 5, 4), beta=-1.0),
                                Sample((3, 4), (2, 3, 5), (2, 5, 4), beta=0.0, alpha=3.0)])
class Addbmm(_AddProduct, Function):
    """y = beta * input + alpha * sum over i of b1[i] @ b2[i] for b1 (B, n, k), b2 (B, k, m), input broadcastable
    to (n, m); the gradients of b1 and b2 are per batch, the same grad (n, m) for each."""

    product = staticmethod(_summed_batch_product)


def _same_dtypes(op: str, **tensors: Any) -> None:
    (first, reference), *rest = tensors.items()
    for name, x in rest:
        if x.dtype != reference.dtype:
            raise RuntimeError(f"{op}: {first} and {name} must have the same dtype, but got {reference.dtype} and "
                               f"{x.dtype}")


def _check_input(op: str, input: Any, shape: tuple) -> None:
    try:
        if np.broadcast_shapes(input.shape, shape) == shape:
            return
    except ValueError:
        pass
    raise RuntimeError(f"{op}: input of shape {list(input.shape)} cannot be broadcast to the product's shape "
                       f"{list(shape)}")


def _scales(op: str, beta: float, alpha: float) -> dict:
    for name, value in (("beta", beta), ("alpha", alpha)):
        if not isinstance(value, (int, float, np.number)):
            raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__}")
    return {"beta": beta, "alpha": alpha}


def addmm(input: Any, mat1: Any, mat2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta * input + alpha * (mat1 @ mat2)`` for mat1 (n, k) and mat2 (k, m); ``input`` broadcasts to (n, m).
    With ``beta=0``, ``input`` is ignored (NaN and inf in it do not propagate)."""
    tensor_arguments("addmm", input=input, mat1=mat1, mat2=mat2)
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m.ndim != 2:
            raise RuntimeError(f"addmm: {name} must be a matrix, got {m.ndim}-D tensor of shape {list(m.shape)}")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"addmm: mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
                           f"{mat2.shape[0]}x{mat2.shape[1]})")
    _same_dtypes("addmm", mat1=mat1, mat2=mat2, input=input)
    _check_input("addmm", input, (mat1.shape[0], mat2.shape[1]))
    return Addmm.apply(input, mat1, mat2, **_scales("addmm", beta, alpha))


def _check_mv(op: str, mat: Any, vec: Any) -> None:
    if mat.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"{op}: vector + matrix @ vector expected, got a {mat.ndim}-D matrix (shape "
                           f"{list(mat.shape)}) and a {vec.ndim}-D vector (shape {list(vec.shape)})")
    if mat.shape[1] != vec.shape[0]:
        raise RuntimeError(f"{op}: size mismatch, got mat ({mat.shape[0]}x{mat.shape[1]}) and vec ({vec.shape[0]})")


def addmv(input: Any, mat: Any, vec: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta * input + alpha * (mat @ vec)`` for mat (n, k) and vec (k,); ``input`` broadcasts to (n,)."""
    tensor_arguments("addmv", input=input, mat=mat, vec=vec)
    _check_mv("addmv", mat, vec)
    _same_dtypes("addmv", mat=mat, vec=vec, input=input)
    _check_input("addmv", input, (mat.shape[0],))
    return Addmv.apply(input, mat, vec, **_scales("addmv", beta, alpha))


def mv(input: Any, vec: Any) -> Any:
    """The matrix-vector product (n, k) @ (k,) -> (n,)."""
    tensor_arguments("mv", input=input, vec=vec)
    _check_mv("mv", input, vec)
    _same_dtypes("mv", input=input, vec=vec)
    return Matmul.apply(input, vec)


def _check_batches(op: str, batch1: Any, batch2: Any) -> None:
    for name, b in (("batch1", batch1), ("batch2", batch2)):
        if b.ndim != 3:
            raise RuntimeError(f"{op}: {name} must be a 3-D tensor (a batch of matrices), got shape {list(b.shape)}")
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(f"{op}: batch1 and batch2 must have the same number of batches, got {batch1.shape[0]} "
                           f"and {batch2.shape[0]}")
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"{op}: batch1 and batch2 shapes cannot be multiplied ({list(batch1.shape)} and "
                           f"{list(batch2.shape)}: {batch1.shape[2]} != {batch2.shape[1]})")


def baddbmm(input: Any, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta * input + alpha * (batch1 @ batch2)`` per batch, for batch1 (B, n, k) and batch2 (B, k, m);
    ``input`` broadcasts to (B, n, m)."""
    tensor_arguments("baddbmm", input=input, batch1=batch1, batch2=batch2)
    _check_batches("baddbmm", batch1, batch2)
    _same_dtypes("baddbmm", batch1=batch1, batch2=batch2, input=input)
    _check_input("baddbmm", input, batch1.shape[:2] + batch2.shape[2:])
    return Baddbmm.apply(input, batch1, batch2, **_scales("baddbmm", beta, alpha))


def addbmm(input: Any, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta * input + alpha * sum_i batch1[i] @ batch2[i]`` for batch1 (B, n, k) and batch2 (B, k, m);
    ``input`` broadcasts to (n, m)."""
    tensor_arguments("addbmm", input=input, batch1=batch1, batch2=batch2)
    _check_batches("addbmm", batch1, batch2)
    _same_dtypes("addbmm", batch1=batch1, batch2=batch2, input=input)
    _check_input("addbmm", input, (batch1.shape[1], batch2.shape[2]))
    return Addbmm.apply(input, batch1, batch2, **_scales("addbmm", beta, alpha))


def _pointwise_operands(op: str, input: Any, tensor1: Any, tensor2: Any) -> tuple[Any, Any, Any]:
    """The three tensors of addcmul/addcdiv in their promoted dtype, after checking that they broadcast."""
    tensor_arguments(op, input=input, tensor1=tensor1, tensor2=tensor2)
    tensors = (input, tensor1, tensor2)
    try:
        np.broadcast_shapes(*(x.shape for x in tensors))
    except ValueError:
        raise broadcast_error(op, *(x._data for x in tensors)) from None
    dtype = dtypes.promote([(x.dtype, 2 if x.ndim else 1) for x in tensors])
    if dtype.kind == "b":
        raise RuntimeError(f"{op}: not implemented for bool tensors")
    return tuple(x if x.dtype == dtype else x.to(dtype) for x in tensors)


def _value(value: float, dtype: np.dtype) -> float:
    """``value`` as PyTorch applies it: converted to the tensors' dtype (an integer result truncates it)."""
    return int(value) if dtype.kind in "iu" else value


def addcmul(input: Any, tensor1: Any, tensor2: Any, *, value: float = 1) -> Any:
    """``input + value * tensor1 * tensor2`` elementwise, all three broadcast and promoted to one dtype."""
    x, a, b = _pointwise_operands("addcmul", input, tensor1, tensor2)
    value = _value(value, x.dtype)
    return x + (a if value == 1 else a * value) * b


def addcdiv(input: Any, tensor1: Any, tensor2: Any, *, value: float = 1) -> Any:
    """``input + value * tensor1 / tensor2`` elementwise, all three broadcast and promoted to one dtype; the
    division is true division, so ``tensor1`` and ``tensor2`` may not both be integers (as in PyTorch)."""
    if all(getattr(t, "dtype", np.dtype(float)).kind in "biu" for t in (tensor1, tensor2)):
        raise RuntimeError(
            f"addcdiv: integer division of tensor1 ({tensor1.dtype}) by tensor2 ({tensor2.dtype}) is not supported; "
            "write (input + value * trunc(tensor1 / tensor2)).to(input.dtype) for the truncating quotient, or "
            "convert one of them to a floating dtype for true division"
        )
    x, a, b = _pointwise_operands("addcdiv", input, tensor1, tensor2)
    return x + (a if value == 1 else a * value) / b


def _tensordot_dims(a: Any, b: Any, dims: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if hasattr(dims, "_data"):  # PyTorch also takes dims as a tensor: 0-d (a count) or two rows of dims
        dims = dims._data.tolist()
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot: cannot contract {dims} dims of tensors with {a.ndim} and {b.ndim} dims")
        return tuple(range(a.ndim - dims, a.ndim)), tuple(range(dims))
    if not (isinstance(dims, Sequence) and len(dims) == 2 and all(isinstance(d, Sequence) for d in dims)):
        raise TypeError(f"tensordot: dims must be an int or a pair of lists of dims such as ([1], [0]), got {dims!r}")
    dims_a, dims_b = wrap_dims("tensordot", dims[0], a.ndim), wrap_dims("tensordot", dims[1], b.ndim)
    if len(dims_a) != len(dims_b):
        raise RuntimeError(f"tensordot: both dimension lists should have same length, got {list(dims[0])} and "
                           f"{list(dims[1])}")
    return dims_a, dims_b


def tensordot(a: Any, b: Any, dims: Any = 2) -> Any:
    """Sum of products over the dims ``dims`` pairs up: an int n contracts the last n dims of ``a`` with the first
    n of ``b``; a pair of lists names the dims of each. The result has a's free dims, then b's (in order).

    Computed as one matrix product of the two tensors permuted and flattened to (free, contracted) and
    (contracted, free).
    """
    tensor_arguments("tensordot", a=a, b=b)
    dims_a, dims_b = _tensordot_dims(a, b, dims)
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(f"tensordot: contracted dimensions need to match, but a has size {a.shape[da]} in dim "
                               f"{da} and b has size {b.shape[db]} in dim {db} (shapes {list(a.shape)} and "
                               f"{list(b.shape)})")
    if a.dtype != b.dtype:
        raise RuntimeError(f"tensordot: both inputs should have the same dtype, got {a.dtype} and {b.dtype}")
    free_a = [d for d in range(a.ndim) if d not in dims_a]
    free_b = [d for d in range(b.ndim) if d not in dims_b]
    inner = math.prod(a.shape[d] for d in dims_a)
    left = a.permute(free_a + list(dims_a)).reshape(math.prod(a.shape[d] for d in free_a), inner)
    right = b.permute(list(dims_b) + free_b).reshape(inner, math.prod(b.shape[d] for d in free_b))
    out_shape = tuple(a.shape[d] for d in free_a) + tuple(b.shape[d] for d in free_b)
    return Matmul.apply(left, right).reshape(out_shape)


def kron(input: Any, other: Any) -> Any:
    """The Kronecker product: for shapes (a0, a1, ...) and (b0, b1, ...) (the shorter padded with leading 1s),
    out[i0 * b0 + j0, ...] = input[i0, ...] * other[j0, ...], of shape (a0 b0, a1 b1, ...)."""
    tensor_arguments("kron", input=input, other=other)
    ndim = max(input.ndim, other.ndim)
    shape_a = (1,) * (ndim - input.ndim) + input.shape
    shape_b = (1,) * (ndim - other.ndim) + other.shape
    spread_a = input.reshape(tuple(n for size in shape_a for n in (size, 1)))
    spread_b = other.reshape(tuple(n for size in shape_b for n in (1, size)))
    return (spread_a * spread_b).reshape(tuple(m * n for m, n in zip(shape_a, shape_b)))
