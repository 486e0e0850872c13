"""Pooling as closed families of ops, so second derivatives work through them:

* max pooling: ``max_pool2d`` picks the window maxima and remembers where they were (flat positions into each
  H*W plane); its backward is ``max_pool2d_scatter`` (gradients added at those positions), whose backward is
  ``max_pool2d_gather`` (values read at those positions), whose backward is the scatter again.
* average pooling: ``avg_pool2d`` and ``avg_pool2d_backward`` are each other's adjoint.
* adaptive pooling (``autograd.ops.adaptive_pooling``) reuses max pooling's scatter and gather.

Layout (N, C, H, W). The work is done by the numba kernels in ``autograd.kernels.pool``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function, wrap
from autograd.kernels.pool import (
    avg_pool2d_backward,
    avg_pool2d_forward,
    max_pool2d_backward,
    max_pool2d_forward,
)
from autograd.ops._dims import c_contiguous, pair_arg
from autograd.ops.registry import Sample, register_op

__all__ = ["avg_pool1d", "avg_pool2d", "max_pool1d", "max_pool2d", "max_unpool2d"]



def _sample_indices(out_shape: tuple, plane: int, seed: int) -> np.ndarray:
    """Valid (repeating) flat positions for the gradcheck samples of the scatter/gather ops."""
    return np.random.default_rng(seed).integers(0, plane, size=out_shape).astype(np.int64)


@register_op(
    "max_pool2d",
    samples=[
        Sample((2, 2, 4, 4), kernel=(2, 2), stride=(2, 2)),
        Sample((1, 2, 5, 5), kernel=(3, 3), stride=(2, 2), padding=(1, 1)),
        Sample((1, 1, 5, 6), kernel=(2, 2), stride=(1, 2), dilation=(2, 1), out_size=(3, 3)),
    ],
)
class MaxPool2d(Function):
    """y[n, c, i, j] = max of x over window (i, j); dy/dx = 1 at the window's (first) maximum, else 0."""

    stride = (1, 1)
    padding = (0, 0)
    dilation = (1, 1)
    out_size: tuple = ()

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        N, C, H, W = x.shape
        OH, OW = ctx.out_size or _pool_size((H, W), ctx.kernel, ctx.stride, ctx.padding, ctx.dilation, False)
        out = np.empty((N, C, OH, OW), dtype=x.dtype)
        ctx.indices = np.empty((N, C, OH, OW), dtype=np.int64)
        max_pool2d_forward(c_contiguous(x), out, ctx.indices, ctx.kernel, ctx.stride, ctx.padding, ctx.dilation)
        return out

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return MaxPool2dScatter.apply(grad, indices=ctx.indices, size=shape[2:])


@register_op(
    "max_pool2d_scatter",
    samples=[Sample((2, 2, 2, 2), indices=_sample_indices((2, 2, 2, 2), 16, 0), size=(4, 4)),
             Sample((1, 3, 2, 3), indices=_sample_indices((1, 3, 2, 3), 6, 1), size=(2, 3))],
)
class MaxPool2dScatter(Function):
    """y (N, C, *size) = zeros with g[n, c, i, j] added at flat position indices[n, c, i, j] of plane (n, c);
    dy/dg = the upstream gradient read back at those positions (``max_pool2d_gather``)."""

    @staticmethod
    def forward(ctx, g: np.ndarray) -> np.ndarray:
        N, C = g.shape[:2]
        grad_x = np.empty((N, C, *ctx.size), dtype=g.dtype)
        max_pool2d_backward(c_contiguous(g), ctx.indices, grad_x)
        return grad_x

    @staticmethod
    def backward(ctx, grad):
        return MaxPool2dGather.apply(grad, indices=ctx.indices)


@register_op(
    "max_pool2d_gather",
    samples=[Sample((2, 2, 4, 4), indices=_sample_indices((2, 2, 2, 2), 16, 2)),
             Sample((1, 3, 2, 3), indices=_sample_indices((1, 3, 2, 3), 6, 3))],
)
class MaxPool2dGather(Function):
    """y[n, c, i, j] = u[n, c] flattened at indices[n, c, i, j];  dy/du = scatter-add (``max_pool2d_scatter``)."""

    @staticmethod
    def forward(ctx, u: np.ndarray) -> np.ndarray:
        N, C = u.shape[:2]
        flat = u.reshape(N, C, -1)
        return np.take_along_axis(flat, ctx.indices.reshape(N, C, -1), axis=2).reshape(ctx.indices.shape)

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return MaxPool2dScatter.apply(grad, indices=ctx.indices, size=shape[2:])


def _distinct_indices(out_shape: tuple, plane: int, seed: int) -> np.ndarray:
    """Flat positions, distinct within each plane, for the gradcheck samples of ``max_unpool2d``."""
    rng = np.random.default_rng(seed)
    N, C, *rest = out_shape
    count = int(np.prod(rest))
    planes = [rng.permutation(plane)[:count] for _ in range(N * C)]
    return np.stack(planes).reshape(out_shape).astype(np.int64)


@register_op(
    "max_unpool2d",
    samples=[Sample((2, 2, 2, 2), indices=_distinct_indices((2, 2, 2, 2), 16, 4), size=(4, 4)),
             Sample((1, 3, 2, 3), indices=_distinct_indices((1, 3, 2, 3), 6, 5), size=(2, 3))],
)
class MaxUnpool2d(Function):
    """y (N, C, *size) = zeros with g[n, c, i, j] written at flat position indices[n, c, i, j] of plane (n, c);
    dy/dg = the upstream gradient read at each position (``max_pool2d_gather``).

    Written, not added, as in PyTorch: overlapping max-pool windows repeat a position with the same value.
    Of repeated positions one value stays, and each still reads the gradient there, as PyTorch's backward does.
    """

    @staticmethod
    def forward(ctx, g: np.ndarray) -> np.ndarray:
        N, C = g.shape[:2]
        out = np.zeros((N, C, ctx.size[0] * ctx.size[1]), dtype=g.dtype)
        np.put_along_axis(out, ctx.indices.reshape(N, C, -1), g.reshape(N, C, -1), axis=2)
        return out.reshape(N, C, *ctx.size)

    @staticmethod
    def backward(ctx, grad):
        return MaxPool2dGather.apply(grad, indices=ctx.indices)


class _AvgGeometry:
    stride = (1, 1)
    padding = (0, 0)
    count_include_pad = True


@register_op(
    "avg_pool2d",
    samples=[
        Sample((2, 2, 4, 4), kernel=(2, 2), stride=(2, 2)),
        Sample((1, 2, 5, 5), kernel=(3, 3), stride=(2, 2), padding=(1, 1), count_include_pad=False),
        Sample((1, 1, 5, 5), kernel=(2, 2), stride=(2, 2), out_size=(3, 3)),
    ],
)
class AvgPool2d(_AvgGeometry, Function):
    """y = mean of x over each window (divisor per PyTorch's count_include_pad rule);
    dy/dx = the gradient spread evenly over each window (``avg_pool2d_backward``)."""

    out_size: tuple = ()

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        N, C, H, W = x.shape
        OH, OW = ctx.out_size or _pool_size((H, W), ctx.kernel, ctx.stride, ctx.padding, (1, 1), False)
        out = np.empty((N, C, OH, OW), dtype=x.dtype)
        avg_pool2d_forward(c_contiguous(x), out, ctx.kernel, ctx.stride, ctx.padding, ctx.count_include_pad)
        return out

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return AvgPool2dBackward.apply(grad, size=shape[2:], kernel=ctx.kernel, stride=ctx.stride,
                                       padding=ctx.padding, count_include_pad=ctx.count_include_pad)


@register_op(
    "avg_pool2d_backward",
    samples=[
        Sample((2, 2, 2, 2), size=(4, 4), kernel=(2, 2), stride=(2, 2)),
        Sample((1, 2, 3, 3), size=(5, 5), kernel=(3, 3), stride=(2, 2), padding=(1, 1), count_include_pad=False),
    ],
)
class AvgPool2dBackward(_AvgGeometry, Function):
    """y (N, C, *size) = each g[n, c, i, j] / divisor added over its window; dy/dg = ``avg_pool2d`` of the
    upstream gradient (the two are adjoint)."""

    @staticmethod
    def forward(ctx, g: np.ndarray) -> np.ndarray:
        grad_x = np.empty((*g.shape[:2], *ctx.size), dtype=g.dtype)
        avg_pool2d_backward(c_contiguous(g), grad_x, ctx.kernel, ctx.stride, ctx.padding, ctx.count_include_pad)
        return grad_x

    @staticmethod
    def backward(ctx, grad):
        (shape, _), = ctx.input_meta()
        return AvgPool2d.apply(grad, kernel=ctx.kernel, stride=ctx.stride, padding=ctx.padding,
                               count_include_pad=ctx.count_include_pad, out_size=shape[2:])


# -- functional forms ---------------------------------------------------------------------------------------


def _pool_size(size: tuple, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple, ceil_mode: bool) -> tuple:
    """PyTorch's pooling output size; with ceil_mode the last window must start inside the input or left pad."""
    out = []
    for n, k, s, p, d in zip(size, kernel, stride, padding, dilation):
        span = n + 2 * p - d * (k - 1) - 1
        length = (span + (s - 1 if ceil_mode else 0)) // s + 1
        if ceil_mode and (length - 1) * s >= n + p:
            length -= 1
        out.append(length)
    return tuple(out)


def _pool_input(op: str, input: Any) -> tuple[Any, bool]:
    if input.ndim == 3:
        return input.reshape(1, *input.shape), True
    if input.ndim != 4:
        raise RuntimeError(f"{op}: expected 3-D (unbatched) or 4-D (batched) input, got shape {tuple(input.shape)}")
    return input, False


def _pool_geometry(op: str, input: Any, kernel_size: Any, stride: Any, padding: Any, dilation: Any,
                   ceil_mode: bool) -> tuple:
    kernel = pair_arg(op, "kernel_size", kernel_size, 1)
    stride = kernel if stride is None or stride == [] or stride == () else pair_arg(op, "stride", stride, 1)
    padding = pair_arg(op, "padding", padding, 0)
    dilation = pair_arg(op, "dilation", dilation, 1)
    if any(p > k // 2 for p, k in zip(padding, kernel)):  # PyTorch's rule: the kernel size, not the dilated one
        raise RuntimeError(f"{op}: padding should be at most half of kernel size, but got padding={padding} and "
                           f"kernel_size={kernel}")
    out = _pool_size(input.shape[2:], kernel, stride, padding, dilation, ceil_mode)
    if min(out) < 1:
        raise RuntimeError(
            f"{op}: given input size {tuple(input.shape[1:])}, the calculated output size {(input.shape[1], *out)} "
            f"is too small (kernel {kernel}, stride {stride}, padding {padding})"
        )
    return kernel, stride, padding, dilation, out


def max_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """2-D max pooling of (N, C, H, W); with ``return_indices`` also the int64 flat positions of the maxima
    within each H*W plane (what ``max_unpool2d`` takes)."""
    x, unbatched = _pool_input("max_pool2d", input)
    kernel, stride, padding, dilation, out_size = _pool_geometry("max_pool2d", x, kernel_size, stride, padding,
                                                                 dilation, ceil_mode)
    out = MaxPool2d.apply(x, kernel=kernel, stride=stride, padding=padding, dilation=dilation, out_size=out_size)
    if unbatched:
        out = out.reshape(out.shape[1:])
    if not return_indices:
        return out
    indices = out.grad_fn.indices if out.grad_fn is not None and hasattr(out.grad_fn, "indices") else None
    if indices is None:  # not recorded: recompute the positions (cheap next to the convolution around it)
        indices = _max_indices(x, kernel, stride, padding, dilation, out_size)
    indices = wrap(indices)
    return out, indices.reshape(indices.shape[1:]) if unbatched else indices


def _max_indices(x: Any, kernel: tuple, stride: tuple, padding: tuple, dilation: tuple, out_size: tuple) -> np.ndarray:
    data = c_contiguous(x._data)
    out = np.empty((*data.shape[:2], *out_size), dtype=data.dtype)
    indices = np.empty(out.shape, dtype=np.int64)
    max_pool2d_forward(data, out, indices, kernel, stride, padding, dilation)
    return indices


def max_pool1d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """1-D max pooling of (N, C, L), as a 2-D one with height 1."""
    first = lambda v: v if v is None or isinstance(v, (int, np.integer)) else v[0]  # noqa: E731
    x = input.reshape(*input.shape[:-1], 1, input.shape[-1])
    result = max_pool2d(x, (1, first(kernel_size)), None if stride is None else (1, first(stride)),
                        (0, first(padding)), (1, first(dilation)), ceil_mode, return_indices)
    flat = lambda t: t.reshape(*t.shape[:-2], t.shape[-1])  # noqa: E731
    return (flat(result[0]), flat(result[1])) if return_indices else flat(result)


def max_unpool2d(input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Any = None) -> Any:
    """Place each value of ``input`` (N, C, OH, OW) at its ``indices`` position in a zero (N, C, H, W) tensor."""
    kernel = pair_arg("max_unpool2d", "kernel_size", kernel_size, 1)
    stride = kernel if stride is None else pair_arg("max_unpool2d", "stride", stride, 1)
    padding = pair_arg("max_unpool2d", "padding", padding, 0)
    if output_size is None:
        size = tuple((n - 1) * s - 2 * p + k for n, s, p, k in zip(input.shape[-2:], stride, padding, kernel))
    else:
        size = tuple(output_size)[-2:]
    idx = indices._data if hasattr(indices, "_data") else np.asarray(indices)
    if idx.shape != tuple(input.shape):
        raise RuntimeError(f"max_unpool2d: indices of shape {idx.shape} must have the shape of input "
                           f"{tuple(input.shape)}")
    outside = (idx < 0) | (idx >= size[0] * size[1])
    if outside.any():
        where = tuple(int(i) for i in np.argwhere(outside)[0])
        raise RuntimeError(f"max_unpool2d: found an invalid max index {int(idx[where])} at {where}: indices must "
                           f"lie in [0, {size[0] * size[1]}) for an output of size {size}")
    x, unbatched = (input.reshape(1, *input.shape), True) if input.ndim == 3 else (input, False)
    out = MaxUnpool2d.apply(x, indices=c_contiguous(idx.astype(np.int64, copy=False)).reshape(x.shape), size=size)
    return out.reshape(out.shape[1:]) if unbatched else out


def avg_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Any:
    """2-D average pooling of (N, C, H, W) with PyTorch's divisor rules."""
    if divisor_override is not None:
        raise NotImplementedError("avg_pool2d: divisor_override is not supported by stepgrad")
    x, unbatched = _pool_input("avg_pool2d", input)
    kernel, stride, padding, _, out_size = _pool_geometry("avg_pool2d", x, kernel_size, stride, padding, 1, ceil_mode)
    out = AvgPool2d.apply(x, kernel=kernel, stride=stride, padding=padding, count_include_pad=bool(count_include_pad),
                          out_size=out_size)
    return out.reshape(out.shape[1:]) if unbatched else out


def avg_pool1d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Any:
    """1-D average pooling of (N, C, L), as a 2-D one with height 1."""
    first = lambda v: v if v is None or isinstance(v, (int, np.integer)) else v[0]  # noqa: E731
    out = avg_pool2d(input.reshape(*input.shape[:-1], 1, input.shape[-1]), (1, first(kernel_size)),
                     None if stride is None else (1, first(stride)), (0, first(padding)), ceil_mode,
                     count_include_pad)
    return out.reshape(*out.shape[:-2], out.shape[-1])
