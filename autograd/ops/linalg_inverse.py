"""Determinants, inverses and linear solves of (batches of) square matrices: ``det``, ``slogdet``, ``logdet``,
``inv`` (``inverse``), ``solve`` and ``matrix_power``.

Every backward is written with these ops and ``matmul``, so derivatives of any order work. The gradient of det is
the cofactor matrix, also at a singular matrix, where it comes from the SVD (autograd/ops/linalg_svd.py).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops.basic import Where
from autograd.ops.linalg import Matmul
from autograd.ops.linalg_svd import factors
from autograd.ops.registry import Sample, register_op
from autograd.ops.shape import stack

# The functional forms PyTorch also offers at top level (``torch.det``), re-exported by ``autograd``; ``inv`` and
# ``solve`` are public through ``autograd.linalg``.
__all__ = ["det", "slogdet", "logdet", "inverse", "matrix_power"]

# ``torch.return_types.linalg_slogdet``: a tuple with the fields ``sign`` and ``logabsdet``.
SlogdetResult = namedtuple("slogdet", ["sign", "logabsdet"])

_SQUARE = [Sample((3, 3)), Sample((2, 2, 2)), Sample((1, 1)), Sample((2, 1, 4, 4))]


def _ill_conditioned(a: np.ndarray) -> bool:
    """Whether some matrix of ``a`` is too close to singular for its inverse to be trusted."""
    if a.size == 0:
        return False
    with np.errstate(all="ignore"):
        return bool(np.any(~(np.linalg.cond(a) < 1e8)))


def _singular_error(op: str, a: np.ndarray) -> RuntimeError:
    """PyTorch's error for a singular input, naming the first singular matrix of the batch."""
    flat = a.reshape((-1,) + a.shape[-2:])
    bad = next((i for i, m in enumerate(flat) if np.linalg.matrix_rank(m) < m.shape[-1]), 0)
    where = f" (batch element {bad})" if a.ndim > 2 else ""  # the flat batch index, as PyTorch's
    return RuntimeError(f"{op}: the input matrix{where} is singular, so it has no inverse")


def _cofactor(a: Any) -> Any:
    """The cofactor matrix of each square matrix of ``a`` (the gradient of det), differentiable, from the SVD:
    det(U V^T) U diag(prod of the other singular values) V^T."""
    u, s, v = factors(a)
    k = s.shape[-1]
    ones = wrap(np.ones(s.shape[:-1], dtype=s.dtype))
    prefix, suffix = [ones], [ones]  # products of the first i and of the last i singular values
    for i in range(k - 1):
        prefix.append(prefix[-1] * s[..., i])
        suffix.append(suffix[-1] * s[..., k - 1 - i])
    others = stack([prefix[i] * suffix[k - 1 - i] for i in range(k)], -1)
    orientation = np.sign(np.linalg.det(u._data) * np.linalg.det(v._data))[..., None, None]
    return Matmul.apply(u * others.unsqueeze(-2), v.mT) * wrap(orientation.astype(s.dtype))


@register_op("det", samples=_SQUARE + [Sample((0, 0))])
class Det(Function):
    """y = det(x);  dy/dx = the cofactor matrix of x, det(x) x^-T where x is well conditioned (from the SVD
    elsewhere)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.linalg.det(x)

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        if x.shape[-1] == 0:
            return wrap(np.zeros(x.shape, dtype=x.dtype))
        scale = grad.unsqueeze(-1).unsqueeze(-1)
        if _ill_conditioned(x._data):
            return scale * _cofactor(x)
        return scale * ctx.output.unsqueeze(-1).unsqueeze(-1) * Inv.apply(x).mT


@register_op("logabsdet", samples=_SQUARE)
class LogAbsDet(Function):
    """y = log |det(x)|;  dy/dx = x^-T (infinite where x is singular and y = -inf)."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        return np.linalg.slogdet(x)[1]

    @staticmethod
    def backward(ctx, grad):
        x = ctx.input(0)
        scale = grad.unsqueeze(-1).unsqueeze(-1)
        if _ill_conditioned(x._data):  # cofactor / det: large or infinite, as x^-T would be
            with np.errstate(divide="ignore", invalid="ignore"):
                return scale * (_cofactor(x) / wrap(np.linalg.det(x._data)[..., None, None]))
        return scale * Inv.apply(x).mT


@register_op("inv", samples=_SQUARE)
class Inv(Function):
    """y = x^-1;  dL/dx = -y^T g y^T."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        try:
            return np.linalg.inv(x)
        except np.linalg.LinAlgError:
            raise _singular_error("linalg.inv", x) from None

    @staticmethod
    def backward(ctx, grad):
        y_t = ctx.output.mT
        return -Matmul.apply(Matmul.apply(y_t, grad), y_t)


@register_op("solve", samples=[Sample((3, 3), (3, 2)), Sample((2, 3, 3), (3, 1)), Sample((2, 1, 2, 2), (3, 2, 4))])
class Solve(Function):
    """y = a^-1 b for square a (*, n, n) and b (*, n, k), batch dims broadcast;
    dL/db = a^-T g (a solve), dL/da = -(dL/db) y^T."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            return np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise _singular_error("linalg.solve", a) from None

    @staticmethod
    def backward(ctx, grad):
        a = ctx.input(0)
        grad_b = Solve.apply(a.mT, grad)
        need_a, need_b = ctx.needs_input_grad
        return (-Matmul.apply(grad_b, ctx.output.mT) if need_a else None), (grad_b if need_b else None)


def _square(op: str, A: Any) -> None:  # noqa: N803
    if not hasattr(A, "_data"):
        raise TypeError(f"{op}(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating point tensor as input, got {A.dtype}")
    if A.ndim < 2:
        raise RuntimeError(f"{op}: the input must have at least 2 dimensions, got shape {list(A.shape)}")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")


def det(A: Any) -> Any:  # noqa: N803  (PyTorch's name)
    """The determinant of each square matrix of ``A`` (*, n, n), shape (*); 1 for 0 x 0 matrices."""
    _square("linalg.det", A)
    return Det.apply(A)


def slogdet(A: Any) -> SlogdetResult:  # noqa: N803
    """``(sign, logabsdet)`` with det(A) = sign * exp(logabsdet), computed without overflow; sign (-1, 0 or 1) is
    a constant, logabsdet is differentiable (-inf for a singular matrix)."""
    _square("linalg.slogdet", A)
    sign = np.linalg.slogdet(A._data)[0]
    return SlogdetResult(wrap(np.asarray(sign, dtype=A.dtype)), LogAbsDet.apply(A))


def logdet(A: Any) -> Any:  # noqa: N803
    """log(det(A)): NaN where det(A) < 0 (gradient 0 there, as in PyTorch), -inf where A is singular."""
    sign, logabs = slogdet(A)
    return Where.apply(sign._data < 0, np.asarray(np.nan, dtype=A.dtype), logabs)


def inv(A: Any) -> Any:  # noqa: N803
    """The inverse of each square matrix of ``A``; RuntimeError naming the batch element when one is singular."""
    _square("linalg.inv", A)
    return Inv.apply(A)


inverse = inv


def solve(A: Any, B: Any, *, left: bool = True) -> Any:  # noqa: N803
    """The solution X of A X = B (``left=False``: X A = B) for square A (*, n, n), batch dims broadcast.

    B is a batch of matrices (*, n, k), or of vectors (*, n) when it is 1-D or has exactly A's shape without its
    last dim (PyTorch's rule), and X has B's layout.
    """
    _square("linalg.solve", A)
    if not hasattr(B, "_data"):
        raise TypeError(f"linalg.solve(): argument 'B' must be Tensor, not {type(B).__name__}")
    if B.dtype != A.dtype:
        raise RuntimeError(f"linalg.solve: expected A and B to have the same dtype, got {A.dtype} and {B.dtype}")
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if not left:
        if vector:
            raise RuntimeError("linalg.solve: left=False needs B to be a batch of matrices (*, k, n)")
        return solve(A.mT, B.mT).mT
    rhs = B.unsqueeze(-1) if vector else B
    n = A.shape[-1]
    if rhs.ndim < 2 or rhs.shape[-2] != n:
        raise RuntimeError(f"linalg.solve: incompatible shapes of A and B for the equation AX = B: A "
                           f"{list(A.shape)}, B {list(B.shape)} (expected B (*, {n}, k) or (*, {n}))")
    try:
        np.broadcast_shapes(A.shape[:-2], rhs.shape[:-2])
    except ValueError:
        raise RuntimeError(f"linalg.solve: the batch dims of A {list(A.shape)} and B {list(B.shape)} cannot be "
                           "broadcast") from None
    out = Solve.apply(A, rhs)
    return out.squeeze(-1) if vector else out


def matrix_power(A: Any, n: int) -> Any:  # noqa: N803
    """A multiplied by itself ``n`` times (an int; 0 gives the identity, negative powers invert first), by
    repeated squaring."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"linalg.matrix_power(): argument 'n' must be int, not {type(n).__name__}")
    if not hasattr(A, "_data") or A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        shape = list(A.shape) if hasattr(A, "_data") else type(A).__name__
        raise RuntimeError(f"linalg.matrix_power: expected a batch of square matrices, got {shape}")
    if n == 0:  # the identity, still in A's graph (with gradient 0), as PyTorch's
        identity = np.broadcast_to(np.eye(A.shape[-1], dtype=A.dtype), A.shape)
        return Where.apply(np.ones((), dtype=bool), identity, A)
    base = inv(A) if n < 0 else A
    result, n = None, abs(int(n))
    while n:
        if n & 1:
            result = base if result is None else Matmul.apply(result, base)
        n >>= 1
        if n:
            base = Matmul.apply(base, base)
    return result
