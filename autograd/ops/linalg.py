"""Products: ``matmul`` (and ``mm``, ``bmm``, ``dot``, ``outer`` built on it), ``einsum``, ``linear``, and the
vector products ``cross`` and ``vecdot`` (built from ``roll``, ``mul`` and ``sum``).

Forward passes are single numpy/BLAS calls on the given arrays; backward passes are matmuls (or einsums) of
the gradient with the inputs, written with Tensor ops so second derivatives are exact.
"""

from __future__ import annotations

import string
import warnings
from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops.registry import Sample, register_op

# The functional forms, re-exported by ``autograd`` (``autograd.matmul``).
# (``linalg_cross`` and ``vecdot`` are public through autograd.linalg.)
__all__ = ["matmul", "mm", "bmm", "dot", "inner", "outer", "einsum", "linear", "cross"]


def _shapes_error(op: str, a: tuple, b: tuple) -> RuntimeError:
    """Why ``a @ b`` fails: a 0-d operand, an inner-size mismatch or batch dims that do not broadcast."""
    if not a or not b:
        return RuntimeError(f"{op}: both arguments need to be at least 1-D, but got shapes {a} and {b}")
    inner = b[-2] if len(b) > 1 else b[0]
    if a[-1] != inner:
        return RuntimeError(f"{op}: shapes {a} and {b} cannot be multiplied ({a[-1]} != {inner})")
    return RuntimeError(f"{op}: batch dimensions of shapes {a} and {b} cannot be broadcast ({a[:-2]} and {b[:-2]})")


@register_op("matmul", samples=[
    Sample((3, 4), (4, 5)), Sample((4,), (4,)), Sample((4,), (4, 5)), Sample((3, 4), (4,)), Sample((2, 3, 4), (4, 5)),
    Sample((2, 1, 3, 4), (3, 4, 2)), Sample((3,), (2, 3, 4)), Sample((2, 3, 4), (4,)), Sample((2, 0), (0, 3)),
])
class Matmul(Function):
    """y = a @ b (numpy/PyTorch matmul: 1-D operands act as a row/column vector, batch dims broadcast);
    da = grad @ b^T, db = a^T @ grad (the engine sums over broadcast batch dims)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.matmul(a, b)
        except ValueError:
            raise _shapes_error("matmul", a.shape, b.shape) from None

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:
            return (grad * b if need_a else None), (grad * a if need_b else None)
        b_vector = b.ndim == 1
        if a.ndim == 1:  # a acts as a (1, k) matrix; the engine sums grad_a (..., 1, k) down to (k,)
            a, grad = a.unsqueeze(0), grad.unsqueeze(-2)
        if b_vector:  # b acts as a (k, 1) matrix
            b, grad = b.unsqueeze(-1), grad.unsqueeze(-1)
        grad_a = Matmul.apply(grad, b.mT) if need_a else None
        grad_b = None
        if need_b:
            if b.ndim == 2 and a.ndim > 2:  # one GEMM over the flattened batch instead of a batch of them, summed
                a, grad = a.reshape(-1, a.shape[-1]), grad.reshape(-1, grad.shape[-1])
            grad_b = Matmul.apply(a.mT, grad)
            if b_vector:
                grad_b = grad_b.squeeze(-1)
        return grad_a, grad_b


@register_op("linear", samples=[
    Sample((3, 4), (5, 4), (5,)), Sample((3, 4), (5, 4), None), Sample((4,), (5, 4), (5,)),
    Sample((2, 3, 4), (5, 4), (5,)), Sample((0, 4), (5, 4), (5,)), Sample((3, 4), (5, 4), ()),
])
class Linear(Function):
    """y = x @ W^T + b for x (*, in), W (out, in), b (out,) or None;
    dx = grad @ W, dW = grad^T @ x (leading dims flattened), db = grad summed over leading dims."""

    @staticmethod
    def forward(ctx, x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
        if x.ndim == 2:
            out = np.matmul(x, w.T)
        else:
            out = np.matmul(x.reshape(-1, x.shape[-1]), w.T).reshape(x.shape[:-1] + w.shape[:1])
        if b is not None:
            out += b
        return out

    @staticmethod
    def backward(ctx, grad):
        x, w, _ = ctx.inputs
        need_x, need_w, need_b = ctx.needs_input_grad
        grad_x = Matmul.apply(grad, w) if need_x else None
        grad_w = None
        if need_w:
            if x.ndim != 2:
                x, grad = x.reshape(-1, x.shape[-1]), grad.reshape(-1, grad.shape[-1])
            grad_w = Matmul.apply(grad.mT, x)
        grad_b = None
        if need_b:  # summed here in one op (the engine would sum with keepdim, then reshape)
            grad_b = grad.sum(tuple(range(grad.ndim - 1))) if grad.ndim > 1 and ctx.input_meta()[2][0] else grad
        return grad_x, grad_w, grad_b


def _operand(op: str, x: Any) -> Any:
    if hasattr(x, "_data"):
        return x
    raise TypeError(f"{op}: expected Tensor operands, got {type(x).__name__}")


def _same_dtype(op: str, a: Any, b: Any) -> None:
    if a.dtype != b.dtype:
        raise RuntimeError(f"{op}: expected both operands to have the same dtype, but got {a.dtype} and {b.dtype}")


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    lead = len(target) - len(shape)
    return lead >= 0 and all(n in (1, m) for n, m in zip(shape, target[lead:]))


def matmul(input: Any, other: Any) -> Any:
    """Matrix product with PyTorch's rules: 1-D·1-D is a dot product, a 1-D operand is a vector on that side,
    N-D operands are batches of matrices whose batch dims broadcast."""
    a, b = _operand("matmul", input), _operand("matmul", other)
    _same_dtype("matmul", a, b)
    return Matmul.apply(a, b)


def mm(input: Any, mat2: Any) -> Any:
    """Product of two matrices (n, k) @ (k, m) -> (n, m); no broadcasting."""
    a, b = _operand("mm", input), _operand("mm", mat2)
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError(f"mm: expected two 2-D matrices, but got shapes {a.shape} and {b.shape}")
    if a.shape[1] != b.shape[0]:
        raise _shapes_error("mm", a.shape, b.shape)
    _same_dtype("mm", a, b)
    return Matmul.apply(a, b)


def bmm(input: Any, mat2: Any) -> Any:
    """Batched product (B, n, k) @ (B, k, m) -> (B, n, m); no broadcasting."""
    a, b = _operand("bmm", input), _operand("bmm", mat2)
    if a.ndim != 3 or b.ndim != 3:
        raise RuntimeError(f"bmm: expected two 3-D tensors (batches of matrices), got shapes {a.shape} and {b.shape}")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"bmm: batch sizes differ: shapes {a.shape} and {b.shape} ({a.shape[0]} != {b.shape[0]})")
    if a.shape[2] != b.shape[1]:
        raise _shapes_error("bmm", a.shape, b.shape)
    _same_dtype("bmm", a, b)
    return Matmul.apply(a, b)


def dot(input: Any, tensor: Any) -> Any:
    """Inner product of two 1-D tensors of the same size (a 0-d result)."""
    a, b = _operand("dot", input), _operand("dot", tensor)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"dot: 1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape != b.shape:
        raise RuntimeError(f"dot: inconsistent tensor sizes: {a.shape[0]} and {b.shape[0]} elements")
    _same_dtype("dot", a, b)
    return Matmul.apply(a, b)


def inner(input: Any, other: Any) -> Any:
    """Sum of products over the last dims: out[i.., j..] = sum_k input[i.., k] * other[j.., k] (0-d: a product)."""
    a, b = _operand("inner", input), _operand("inner", other)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner: last dimensions of shapes {a.shape} and {b.shape} differ")
    left, right = string.ascii_lowercase[:a.ndim - 1], string.ascii_uppercase[:b.ndim - 1]
    return einsum(f"{left}z,{right}z->{left}{right}", a, b)


def outer(input: Any, vec2: Any) -> Any:
    """Outer product of two 1-D tensors: out[i, j] = input[i] * vec2[j]."""
    a, b = _operand("outer", input), _operand("outer", vec2)
    for name, x in (("input", a), ("vec2", b)):
        if x.ndim != 1:
            raise RuntimeError(f"outer: expected 1-D argument {name}, but got {x.ndim}-D (shape {x.shape})")
    return a.reshape(-1, 1) * b


def linear(input: Any, weight: Any, bias: Any = None) -> Any:
    """``input @ weight.T + bias`` for input (*, in), weight (out, in), bias (out,): one op, one BLAS call."""
    x, w = _operand("linear", input), _operand("linear", weight)
    if w.ndim == 1:
        out = matmul(x, w)
        return out if bias is None else out + bias
    if w.ndim != 2 or x.ndim == 0 or x.shape[-1] != w.shape[1]:
        raise RuntimeError(
            f"linear: input of shape {x.shape} and weight of shape {w.shape} cannot be multiplied (expected input "
            f"(*, {w.shape[-1]}) for weight (out_features, in_features))"
        )
    _same_dtype("linear", x, w)
    if bias is not None:
        _same_dtype("linear", x, _operand("linear", bias))
        out_shape = x.shape[:-1] + w.shape[:1]
        if bias.shape != w.shape[:1] and not _broadcasts_to(bias.shape, out_shape):
            raise RuntimeError(f"linear: bias of shape {bias.shape} does not broadcast to the output shape {out_shape}")
    return Linear.apply(x, w, bias)


def linalg_cross(input: Any, other: Any, *, dim: int = -1) -> Any:
    """The cross product of 3-vectors along ``dim`` (size 3 in both; other dims broadcast, the numbers of dims
    must agree): out_0 = a_1 b_2 - a_2 b_1 and so on cyclically."""
    a, b = _operand("linalg.cross", input), _operand("linalg.cross", other)
    if a.ndim != b.ndim:
        raise RuntimeError(f"linalg.cross: inputs must have the same number of dimensions, got shapes {a.shape} "
                           f"and {b.shape}")
    _same_dtype("linalg.cross", a, b)
    d = dim % a.ndim if a.ndim and -a.ndim <= dim < a.ndim else None
    if d is None or a.shape[d] != 3 or b.shape[d] != 3:
        sizes = (a.shape[d], b.shape[d]) if d is not None else "no such dim"
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3 (shapes {a.shape} and "
                           f"{b.shape}; got {sizes})")
    # roll by -1 puts (a_1, a_2, a_0) at positions 0, 1, 2; roll by 1 puts (a_2, a_0, a_1)
    return a.roll(-1, d) * b.roll(1, d) - a.roll(1, d) * b.roll(-1, d)


def cross(input: Any, other: Any, dim: int | None = None) -> Any:
    """``linalg_cross`` along ``dim``; without ``dim`` (deprecated in PyTorch, which warns, as here), along the
    first dim of size 3 of ``input``."""
    if dim is None:
        warnings.warn("cross: using cross without specifying dim is deprecated (as in PyTorch); pass dim, or use "
                      "linalg.cross, which defaults to the last dim", UserWarning, stacklevel=2)
        dim = next((k for k, n in enumerate(_operand("cross", input).shape) if n == 3), None)
        if dim is None:
            raise RuntimeError(f"cross: no dimension of size 3 in input (shape {input.shape})")
    return linalg_cross(input, other, dim=dim)


def vecdot(x: Any, y: Any, *, dim: int = -1) -> Any:
    """sum(x * y) along ``dim`` (x and y broadcast; floating dtypes only, as in PyTorch)."""
    a, b = _operand("linalg.vecdot", x), _operand("linalg.vecdot", y)
    if a.dtype.kind != "f":
        raise RuntimeError(f"linalg.vecdot: expected a floating point tensor as input, got {a.dtype}")
    _same_dtype("linalg.vecdot", a, b)
    return (a * b).sum(dim)


# -- einsum ---------------------------------------------------------------------------------------------------
def _parse(equation: str) -> tuple[list[str], str]:
    inputs, _, output = equation.partition("->")
    return inputs.split(","), output


@register_op("einsum", samples=[
    Sample((3, 4), (4, 5), equation="ij,jk->ik"), Sample((3,), (4,), equation="i,j->ij"),
    Sample((2, 3, 4), (2, 4, 5), equation="bij,bjk->bik"), Sample((3, 3), equation="ii->"),
    Sample((3, 3), equation="ii->i"), Sample((3, 4), equation="ij->"), Sample((3, 4), equation="ij->ji"),
    Sample((2, 3), (3, 4), (4, 2), equation="ij,jk,kl->il"), Sample((), (3,), equation=",i->i"),
    Sample((2, 2, 3), equation="iij->j"),
])
class Einsum(Function):
    """y = einsum(equation, *xs) for an explicit equation of letters only ("ij,jk->ik");
    dy/dx_i = einsum of grad with the other operands, producing x_i's subscripts (repeated subscripts of x_i are
    restored through identity matrices, subscripts only x_i carries through vectors of ones)."""

    @staticmethod
    def forward(ctx, *xs: np.ndarray) -> np.ndarray:
        # Contraction-order optimisation (and BLAS) pays off on large operands only; it costs ~10 us to plan.
        return np.einsum(ctx.equation, *xs, optimize=len(xs) > 1 and sum(x.size for x in xs) > 4096)

    @staticmethod
    def backward(ctx, grad):
        subs, output = _parse(ctx.equation)
        xs = ctx.inputs
        sizes = {c: n for s, (shape, _) in zip(subs, ctx.input_meta()) for c, n in zip(s, shape) if n != 1}
        sizes.update({c: 1 for s in subs for c in s if c not in sizes})
        spare = iter(c for c in string.ascii_letters if c not in ctx.equation)
        grads = []
        for i, need in enumerate(ctx.needs_input_grad):
            if not need:
                grads.append(None)
                continue
            terms = [output] + subs[:i] + subs[i + 1:]
            operands = [grad, *xs[:i], *xs[i + 1:]]
            target = ""
            for c in subs[i]:
                if c in target:  # a repeated subscript: a fresh letter tied to c by an identity matrix
                    fresh = next(spare)
                    terms.append(c + fresh)
                    operands.append(wrap(np.eye(sizes[c], dtype=grad.dtype)))
                    c = fresh
                elif not any(c in t for t in terms):  # summed away in x_i alone: broadcast back with ones
                    terms.append(c)
                    operands.append(wrap(np.ones(sizes[c], dtype=grad.dtype)))
                target += c
            grads.append(Einsum.apply(*operands, equation=",".join(terms) + "->" + target))
        return tuple(grads)


def _expand_ellipsis(subs: list[str], output: str | None, operands: tuple) -> tuple[list[str], str]:
    """Replace ``...`` by explicit letters (right-aligned across operands, as broadcasting does) and make an
    implicit output explicit (letters used once, sorted, after the ellipsis dims)."""
    used = set("".join(subs) + (output or ""))
    spare = [c for c in string.ascii_letters if c not in used]
    counts = [x.ndim - (len(s) - 3) if "..." in s else 0 for s, x in zip(subs, operands)]
    width = max(counts, default=0)
    letters = "".join(spare[:width])
    subs = [s.replace("...", letters[width - n:]) for s, n in zip(subs, counts)]
    if output is None:
        flat = "".join(s for s in subs)
        singles = sorted(c for c in set(flat) if flat.count(c) == 1 and c not in letters)
        output = letters + "".join(singles)
    else:
        output = output.replace("...", letters)
    return subs, output


def einsum(equation: str, *operands: Any) -> Any:
    """Einstein summation: ``einsum("ij,jk->ik", a, b)`` is ``a @ b``; letters repeated across operands are
    multiplied, letters missing from the output are summed. Supports ``...`` and implicit outputs; operands may
    also be given as one list."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    subs = lhs.split(",")
    if len(subs) != len(operands):
        more = "more" if len(operands) > len(subs) else "fewer"
        raise RuntimeError(f"einsum(): {more} operands were provided than specified in the equation {equation!r}")
    for i, (s, x) in enumerate(zip(subs, operands)):
        _operand("einsum", x)
        bad = [c for c in s.replace("...", "") if c not in string.ascii_letters]
        count = len(s.replace("...", ""))
        if bad or (count != x.ndim if "..." not in s else count > x.ndim):
            raise RuntimeError(
                f"einsum(): operand {i} has shape {x.shape} but its subscripts are {s!r} in {equation!r} "
                "(expected one letter per dimension, or '...' for the rest)"
            )
    subs, output = _expand_ellipsis(subs, rhs if arrow else None, operands)
    seen: dict[str, int] = {}
    for i, (s, x) in enumerate(zip(subs, operands)):
        for c, n in zip(s, x.shape):
            if seen.setdefault(c, n) != n and 1 not in (n, seen[c]):
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {i} which does not broadcast with previously "
                    f"seen size {seen[c]}"
                )
            seen[c] = max(seen[c], n) if 1 in (n, seen[c]) else n
    unknown = [c for c in output if c not in seen]
    if unknown or len(set(output)) != len(output):
        raise RuntimeError(f"einsum(): output subscripts {output!r} must be distinct letters that appear in the inputs")
    dtype = operands[0].dtype
    if any(x.dtype != dtype for x in operands):
        names = [str(x.dtype) for x in operands]
        raise RuntimeError(f"einsum(): expected all operands to have the same dtype, got {names}")
    return Einsum.apply(*operands, equation=",".join(subs) + "->" + output)
