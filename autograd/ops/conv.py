"""Convolution as a closed family of three ops, each the others' backward, so second derivatives work:

* ``conv2d``            C(x, w):  y[n, o] = sum_{c, kh, kw} w[o, c, kh, kw] * x_pad[n, c, s*i + d*kh, s*j + d*kw]
* ``conv_transpose2d``  T(g, w):  the adjoint of C in x, <C(x, w), g> = <x, T(g, w)>
* ``conv2d_weight``     Wg(x, g): the adjoint of C in w, <C(x, w), g> = <w, Wg(x, g)>

Backward rules (u is the incoming gradient): dC = (T(u, w), Wg(x, u)); dT = (C(u, w), Wg(u, g));
dWg = (T(g, u), C(x, u)). Layout (N, C, H, W), weight (O, C // groups, KH, KW), as PyTorch.
The work is done by the numba kernels in ``autograd.kernels.conv``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.kernels.conv import (
    conv2d_backward_input,
    conv2d_backward_weight,
    conv2d_forward,
    conv_output_size,
)
from autograd.ops._dims import c_contiguous, pair_arg
from autograd.ops.registry import Sample, register_op

__all__ = ["conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d"]

_ONE = (1, 1)
_ZERO = (0, 0)


class _ConvGeometry:
    """Defaults shared by the three conv ops (keyword arguments of ``apply``)."""

    stride = _ONE
    padding = _ZERO
    dilation = _ONE
    groups = 1



def _conv(x: np.ndarray, w: np.ndarray, ctx: Any, keep_unfolded: bool = False) -> tuple[np.ndarray, Any]:
    """C(x, w), and the unfolded input the kernel kept (or None) when ``keep_unfolded``."""
    N, _, H, W = x.shape
    O, _, KH, KW = w.shape
    OH = conv_output_size(H, KH, ctx.stride[0], ctx.padding[0], ctx.dilation[0])
    OW = conv_output_size(W, KW, ctx.stride[1], ctx.padding[1], ctx.dilation[1])
    if ctx.size:  # as a backward pass: only the positions its forward's input had (see Conv2d)
        OH, OW = ctx.size
    out = np.empty((N, O, OH, OW), dtype=x.dtype)
    geometry = (ctx.stride, ctx.padding, ctx.dilation, ctx.groups)
    unfolded = conv2d_forward(c_contiguous(x), c_contiguous(w), out, *geometry, keep_unfolded)
    return out, unfolded


def _transpose(g: np.ndarray, w: np.ndarray, ctx: Any, size: tuple) -> np.ndarray:
    grad_x = np.empty((g.shape[0], w.shape[1] * ctx.groups, *size), dtype=g.dtype)
    conv2d_backward_input(c_contiguous(g), c_contiguous(w), grad_x, ctx.stride, ctx.padding, ctx.dilation, ctx.groups)
    return grad_x


def _weight(x: np.ndarray, g: np.ndarray, ctx: Any, kernel: tuple, unfolded: Any = None) -> np.ndarray:
    grad_w = np.empty((g.shape[1], x.shape[1] // ctx.groups, *kernel), dtype=x.dtype)
    geometry = (ctx.stride, ctx.padding, ctx.dilation, ctx.groups)
    conv2d_backward_weight(c_contiguous(x), c_contiguous(g), grad_w, *geometry, unfolded)
    return grad_w


def _geometry(ctx: Any) -> dict:
    return {"stride": ctx.stride, "padding": ctx.padding, "dilation": ctx.dilation, "groups": ctx.groups}


@register_op(
    "conv2d",
    samples=[
        Sample((2, 2, 5, 5), (3, 2, 3, 3), padding=(1, 1)),
        Sample((1, 2, 6, 5), (2, 2, 2, 3), stride=(2, 1), dilation=(1, 2)),
        Sample((1, 4, 4, 4), (4, 2, 2, 2), groups=2, stride=(2, 2), padding=(1, 0)),
        Sample((1, 2, 6, 7), (2, 2, 2, 3), dilation=(2, 2), size=(3, 2)),
    ],
)
class Conv2d(_ConvGeometry, Function):
    """y = C(x, w), the cross-correlation of x (N, C, H, W) with w (O, C/groups, KH, KW);
    dy/dx = T(grad, w) (transposed convolution), dy/dw = Wg(x, grad).

    ``size`` (OH, OW), when given, keeps only the first OH x OW output positions: the backward passes of T
    and Wg need it, because a transposed convolution's output_padding (up to the dilation less one at
    stride 1) makes x larger than a plain convolution back to their g's size would need.

    When w needs a gradient, the kernel may keep the unfolded x on ``ctx.unfolded`` (the channels-last
    pass does); Wg then reuses it instead of unfolding x again. The engine's version check on x (backward
    reads ``ctx.input(0)`` first) guarantees it still matches x, and release() frees it with the graph.
    """

    size: tuple = ()
    unfolded: np.ndarray | None = None  # set on ctx by forward when the kernel kept the unfolded x

    @staticmethod
    def forward(ctx, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        out, unfolded = _conv(x, w, ctx, keep_unfolded=ctx.needs_input_grad[1:] == (True,))
        if unfolded is not None:
            ctx.unfolded = unfolded
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_w = ctx.needs_input_grad
        x_meta, w_meta = ctx.input_meta()
        grad_x = ConvTranspose2d.apply(grad, ctx.input(1), size=x_meta[0][2:], **_geometry(ctx)) if need_x else None
        grad_w = None
        if need_w:
            grad_w = Conv2dWeight.apply(ctx.input(0), grad, kernel=w_meta[0][2:], unfolded=ctx.unfolded,
                                        **_geometry(ctx))
        return grad_x, grad_w


@register_op(
    "conv_transpose2d",
    samples=[
        Sample((2, 3, 5, 5), (3, 2, 3, 3), padding=(1, 1), size=(5, 5)),
        Sample((1, 2, 3, 2), (2, 2, 2, 3), stride=(2, 1), dilation=(1, 2), size=(6, 6)),
        Sample((1, 4, 2, 3), (4, 2, 2, 2), groups=2, stride=(2, 2), padding=(1, 0), size=(3, 7)),
        Sample((1, 2, 3, 2), (2, 2, 2, 3), dilation=(2, 2), size=(6, 7)),  # output_padding 1 at stride 1
    ],
)
class ConvTranspose2d(_ConvGeometry, Function):
    """y = T(g, w): g (N, O, OH, OW) spread back through w (O, C/groups, KH, KW) onto (N, C, *size);
    dy/dg = C(grad, w), dy/dw = Wg(grad, g)."""

    size: tuple = ()

    @staticmethod
    def forward(ctx, g: np.ndarray, w: np.ndarray) -> np.ndarray:
        return _transpose(g, w, ctx, ctx.size)

    @staticmethod
    def backward(ctx, grad):
        need_g, need_w = ctx.needs_input_grad
        g_meta, w_meta = ctx.input_meta()
        grad_g = Conv2d.apply(grad, ctx.input(1), size=g_meta[0][2:], **_geometry(ctx)) if need_g else None
        grad_w = Conv2dWeight.apply(grad, ctx.input(0), kernel=w_meta[0][2:], **_geometry(ctx)) if need_w else None
        return grad_g, grad_w


@register_op(
    "conv2d_weight",
    samples=[
        Sample((2, 2, 5, 5), (2, 3, 5, 5), padding=(1, 1), kernel=(3, 3)),
        Sample((1, 2, 6, 6), (1, 2, 3, 2), stride=(2, 1), dilation=(1, 2), kernel=(2, 3)),
        Sample((1, 4, 3, 4), (1, 4, 2, 2), groups=2, stride=(2, 2), padding=(1, 0), kernel=(2, 2)),
    ],
)
class Conv2dWeight(_ConvGeometry, Function):
    """y = Wg(x, g), the weight gradient of C: y[o, c, kh, kw] = sum_{n,i,j} g[n, o, i, j] * x_pad[n, c, ...];
    dy/dx = T(g, grad), dy/dg = C(x, grad).

    ``unfolded``: the unfolded x that Conv2d's forward kept (see Conv2d); used once, not kept on ctx.
    """

    kernel: tuple = ()

    @staticmethod
    def forward(ctx, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        # popped, not read: a recorded Wg node (create_graph=True) must not hold the matrix for its own backward
        return _weight(x, g, ctx, ctx.kernel, ctx.__dict__.pop("unfolded", None))

    @staticmethod
    def backward(ctx, grad):
        need_x, need_g = ctx.needs_input_grad
        x_meta, g_meta = ctx.input_meta()
        grad_x = ConvTranspose2d.apply(ctx.input(1), grad, size=x_meta[0][2:], **_geometry(ctx)) if need_x else None
        grad_g = Conv2d.apply(ctx.input(0), grad, size=g_meta[0][2:], **_geometry(ctx)) if need_g else None
        return grad_x, grad_g


# -- functional forms ---------------------------------------------------------------------------------------


def _batched(op: str, input: Any, weight: Any, spatial: int) -> tuple[Any, bool]:
    """Accept (N, C, *spatial) or one unbatched (C, *spatial) input, as PyTorch does."""
    want = 2 + spatial
    if input.ndim == want - 1:
        return input.reshape(1, *input.shape), True
    if input.ndim != want:
        raise RuntimeError(
            f"{op}: expected {want - 1}-D (unbatched) or {want}-D (batched) input, but got input of shape "
            f"{tuple(input.shape)}"
        )
    if weight.ndim != want:
        raise RuntimeError(f"{op}: expected a {want}-D weight, got weight of shape {tuple(weight.shape)}")
    return input, False


def _check_dtypes(op: str, input: Any, weight: Any, bias: Any) -> None:
    if input.dtype.kind != "f" or input.dtype != weight.dtype or (bias is not None and bias.dtype != input.dtype):
        got = f"input {input.dtype}, weight {weight.dtype}" + (f", bias {bias.dtype}" if bias is not None else "")
        raise RuntimeError(f"{op}: input, weight and bias must share one floating dtype, got {got}")


def _check_bias(op: str, bias: Any, channels: int) -> None:
    if bias is not None and tuple(bias.shape) != (channels,):
        raise RuntimeError(f"{op}: expected bias of shape ({channels},) (one per output channel), got "
                           f"{tuple(bias.shape)}")


def _check_groups(op: str, groups: Any) -> None:
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise RuntimeError(f"{op}: non-positive groups is not supported, got {groups}")


def _same_padding(op: str, kernel: tuple, dilation: tuple, stride: tuple) -> tuple[tuple, tuple]:
    """PyTorch's padding='same': total d*(k-1) per axis, the odd extra row/column going after."""
    if stride != (1, 1):
        raise ValueError(f"{op}: padding='same' is not supported for strided convolutions (stride={stride})")
    total = [d * (k - 1) for k, d in zip(kernel, dilation)]
    return (total[0] // 2, total[1] // 2), (total[0] % 2, total[1] % 2)


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1) -> Any:
    """2-D convolution (cross-correlation) of ``input`` (N, C, H, W) with ``weight`` (O, C/groups, KH, KW).

    ``padding`` is an int, a pair, ``'valid'`` (no padding) or ``'same'`` (output as large as the input,
    stride 1). Returns (N, O, OH, OW) with OH = floor((H + 2p - d(KH - 1) - 1) / s) + 1.
    """
    op = "conv2d"
    x, unbatched = _batched(op, input, weight, 2)
    _check_dtypes(op, x, weight, bias)
    stride = pair_arg(op, "stride", stride, 1)
    dilation = pair_arg(op, "dilation", dilation, 1)
    _check_groups(op, groups)
    O, Cg, KH, KW = weight.shape
    C = x.shape[1]
    if O % groups:
        raise RuntimeError(f"{op}: given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                           f"but got weight of size {list(weight.shape)} instead")
    if Cg * groups != C:
        raise RuntimeError(
            f"{op}: given groups={groups}, weight of size {list(weight.shape)}, expected input{list(x.shape)} to "
            f"have {Cg * groups} channels, but got {C} channels instead"
        )
    extra = (0, 0)
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0, 0)
        elif padding == "same":
            padding, extra = _same_padding(op, (KH, KW), dilation, stride)
        else:
            raise ValueError(f"{op}: padding must be an int, a pair, 'valid' or 'same', got {padding!r}")
    padding = pair_arg(op, "padding", padding, 0)
    if extra != (0, 0):
        from autograd.ops.shape import pad

        x = pad(x, (0, extra[1], 0, extra[0]))
    H, W = x.shape[2] + 2 * padding[0], x.shape[3] + 2 * padding[1]
    if H < dilation[0] * (KH - 1) + 1 or W < dilation[1] * (KW - 1) + 1:
        raise RuntimeError(
            f"{op}: calculated padded input size per channel: ({H} x {W}). Kernel size: "
            f"({dilation[0] * (KH - 1) + 1} x {dilation[1] * (KW - 1) + 1}). Kernel size can't be greater than "
            "actual input size"
        )
    _check_bias(op, bias, O)
    out = Conv2d.apply(x, weight, stride=stride, padding=padding, dilation=dilation, groups=int(groups))
    if bias is not None:
        out = out + bias.reshape(1, O, 1, 1)
    return out.reshape(out.shape[1:]) if unbatched else out


def _as_2d(value: Any, height_value: int) -> Any:
    """A 1-D argument (int, 1-tuple or padding string) as its 2-D form with ``height_value`` for the height."""
    if isinstance(value, str):
        return value
    return height_value, int(value if isinstance(value, (int, np.integer)) else value[0])


def _flat_to_2d(x: Any) -> Any:
    return x.reshape(*x.shape[:-1], 1, x.shape[-1])


def _2d_to_flat(out: Any) -> Any:
    return out.reshape(*out.shape[:-2], out.shape[-1])


def conv1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1) -> Any:
    """1-D convolution of ``input`` (N, C, L) with ``weight`` (O, C/groups, K), as a 2-D one with height 1."""
    x, unbatched = _batched("conv1d", input, weight, 1)
    out = _2d_to_flat(conv2d(_flat_to_2d(x), _flat_to_2d(weight), bias, _as_2d(stride, 1), _as_2d(padding, 0),
                             _as_2d(dilation, 1), groups))
    return out.reshape(out.shape[1:]) if unbatched else out


def conv_transpose2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Any:
    """Transposed 2-D convolution of ``input`` (N, C_in, H, W) with ``weight`` (C_in, C_out/groups, KH, KW).

    Output size per axis: (H - 1) * s - 2p + d(K - 1) + output_padding + 1 (PyTorch's formula).
    """
    op = "conv_transpose2d"
    x, unbatched = _batched(op, input, weight, 2)
    _check_dtypes(op, x, weight, bias)
    stride = pair_arg(op, "stride", stride, 1)
    padding = pair_arg(op, "padding", padding, 0)
    dilation = pair_arg(op, "dilation", dilation, 1)
    output_padding = pair_arg(op, "output_padding", output_padding, 0)
    _check_groups(op, groups)
    if weight.shape[0] % groups:
        raise RuntimeError(f"{op}: weight of size {list(weight.shape)} has {weight.shape[0]} input channels, which "
                           f"groups={groups} does not divide")
    if x.shape[1] != weight.shape[0]:
        raise RuntimeError(
            f"{op}: given transposed=1, weight of size {list(weight.shape)}, expected input{list(x.shape)} to have "
            f"{weight.shape[0]} channels, but got {x.shape[1]} channels instead"
        )
    if any(op_ >= max(s, d) for op_, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError(f"{op}: output padding must be smaller than either stride or dilation, got "
                           f"output_padding={output_padding}, stride={stride}, dilation={dilation}")
    size = tuple(
        (n - 1) * s - 2 * p + d * (k - 1) + o + 1
        for n, s, p, d, k, o in zip(x.shape[2:], stride, padding, dilation, weight.shape[2:], output_padding)
    )
    if min(size) < 1:
        raise RuntimeError(f"{op}: the output size {size} computed from input {list(x.shape)} is too small")
    _check_bias(op, bias, weight.shape[1] * groups)
    out = ConvTranspose2d.apply(x, weight, size=size, stride=stride, padding=padding, dilation=dilation,
                                groups=int(groups))
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out.reshape(out.shape[1:]) if unbatched else out


def conv_transpose1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Any:
    """Transposed 1-D convolution of (N, C_in, L) with (C_in, C_out/groups, K), as a 2-D one with height 1."""
    x, unbatched = _batched("conv_transpose1d", input, weight, 1)
    out = _2d_to_flat(conv_transpose2d(_flat_to_2d(x), _flat_to_2d(weight), bias, _as_2d(stride, 1),
                                       _as_2d(padding, 0), _as_2d(output_padding, 0), groups, _as_2d(dilation, 1)))
    return out.reshape(out.shape[1:]) if unbatched else out
