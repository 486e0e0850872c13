"""Adaptive pooling to a fixed output size, with PyTorch's windows: output i along an axis of n inputs covers
inputs floor(i * n / out) .. ceil((i + 1) * n / out) - 1 (windows of varying size, which may overlap).

* average: two matrix products with constant averaging matrices (differentiable through matmul);
* max: the window maxima and their flat positions in each H*W plane, whose backward is max pooling's
  scatter (``max_pool2d_scatter``), so second derivatives work as for ``max_pool2d``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.ops.pooling import MaxPool2dScatter, _pool_input
from autograd.ops.registry import Sample, register_op

__all__ = ["adaptive_avg_pool2d", "adaptive_max_pool2d"]


def _windows(size: int, out: int) -> list[tuple[int, int]]:
    """PyTorch's adaptive windows ``[start, end)`` along one axis of ``size`` inputs and ``out`` outputs."""
    return [((i * size) // out, math.ceil((i + 1) * size / out)) for i in range(out)]


def _output_size(op: str, x: Any, output_size: Any) -> tuple[int, int]:
    """``output_size`` (an int, or two values where None keeps the input's size) as (OH, OW)."""
    size = (output_size, output_size) if isinstance(output_size, (int, np.integer)) else tuple(output_size)
    if len(size) != 2:
        raise RuntimeError(f"{op}: output_size must be an int or 2 values, got {output_size!r}")
    OH, OW = (n if s is None else int(s) for s, n in zip(size, x.shape[-2:]))
    if OH < 1 or OW < 1:
        raise RuntimeError(f"{op}: output_size must be positive, got {output_size!r}")
    return OH, OW


def _averaging_matrix(size: int, out: int, dtype: np.dtype) -> np.ndarray:
    """(out, size) matrix whose row i averages the inputs of window i."""
    matrix = np.zeros((out, size), dtype=dtype)
    for i, (start, end) in enumerate(_windows(size, out)):
        matrix[i, start:end] = 1.0 / (end - start)
    return matrix


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Any:
    """Average pooling of (N, C, H, W) or (C, H, W) to ``output_size`` over PyTorch's adaptive windows."""
    x, unbatched = _pool_input("adaptive_avg_pool2d", input)
    OH, OW = _output_size("adaptive_avg_pool2d", x, output_size)
    H, W = x.shape[2:]
    rows = wrap(_averaging_matrix(H, OH, x.dtype))
    cols = wrap(_averaging_matrix(W, OW, x.dtype).T.copy())
    out = rows @ x @ cols  # (OH, H) @ (N, C, H, W) @ (W, OW)
    return out.reshape(out.shape[1:]) if unbatched else out


def _adaptive_max(x: np.ndarray, out_size: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Window maxima of x (N, C, H, W) and their int64 flat positions in each H*W plane: the first maximum in
    row-major order, or, in a window with NaNs, the last NaN (as PyTorch's kernel, which lets every NaN win)."""
    N, C, H, W = x.shape
    OH, OW = out_size
    out = np.empty((N, C, OH, OW), dtype=x.dtype)
    indices = np.empty((N, C, OH, OW), dtype=np.int64)
    for i, (h0, h1) in enumerate(_windows(H, OH)):
        for j, (w0, w1) in enumerate(_windows(W, OW)):
            window = x[:, :, h0:h1, w0:w1].reshape(N, C, -1)
            nan = np.isnan(window)
            last_nan = window.shape[2] - 1 - np.argmax(nan[..., ::-1], axis=2)
            k = np.where(nan.any(axis=2), last_nan, np.argmax(window, axis=2))
            out[:, :, i, j] = np.take_along_axis(window, k[..., None], axis=2)[..., 0]
            indices[:, :, i, j] = (h0 + k // (w1 - w0)) * W + w0 + k % (w1 - w0)
    return out, indices


@register_op(
    "adaptive_max_pool2d",
    samples=[Sample((2, 2, 5, 7), out_size=(2, 3)), Sample((1, 3, 4, 4), out_size=(3, 1)),
             Sample((1, 1, 3, 2), out_size=(5, 4))],
)
class AdaptiveMaxPool2d(Function):
    """y[n, c, i, j] = max of x over adaptive window (i, j); dy/dx = 1 at the window's maximum (see
    ``_adaptive_max``), else 0 (``max_pool2d_scatter``)."""

    out_size: tuple = ()

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        out, ctx.indices = _adaptive_max(x, ctx.out_size)
        return out

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return MaxPool2dScatter.apply(grad, indices=ctx.indices, size=shape[2:])


def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Max pooling of (N, C, H, W) or (C, H, W) to ``output_size`` over PyTorch's adaptive windows; with
    ``return_indices`` also the int64 flat positions of the maxima within each H*W plane."""
    x, unbatched = _pool_input("adaptive_max_pool2d", input)
    if x.shape[2] == 0 or x.shape[3] == 0:
        raise RuntimeError(f"adaptive_max_pool2d: expected non-empty spatial dims, got input of shape "
                           f"{tuple(input.shape)}")
    out_size = _output_size("adaptive_max_pool2d", x, output_size)
    out = AdaptiveMaxPool2d.apply(x, out_size=out_size)
    indices = None
    if return_indices:  # not recorded under no_grad: recompute them
        indices = out.grad_fn.indices if out.grad_fn is not None else _adaptive_max(x._data, out_size)[1]
        indices = wrap(indices[0] if unbatched else indices)
    if unbatched:
        out = out.reshape(out.shape[1:])
    return (out, indices) if return_indices else out
