"""Tensor methods that change a tensor in place: the version counter and write-back that every in-place op
shares, ``copy_``/``fill_``/``zero_``, the in-place arithmetic (``add_``, ``+=``, ...), the in-place forms of
elementwise ops, random fills and the in-place indexing and scatter ops.

An in-place op on a tensor that is recorded (or whose other operand is) is computed out of place and written
back by ``_assign_result``, so the tensor's history continues from the result; unrecorded ones write into the
array directly. Each write bumps the version counter that saved tensors are checked against.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import dtypes, random
from autograd.grad_mode import STATE as _GRAD
from autograd.ops import arithmetic, basic, elementwise, fused, index_writes, indexing, trigonometric

if TYPE_CHECKING:
    from autograd.tensor import Tensor


class TensorInPlace:
    """In-place methods of ``Tensor`` and the bookkeeping they share."""

    __slots__ = ()

    # -- bookkeeping ------------------------------------------------------------------------------------------
    def _check_inplace(self, op: str) -> None:
        if _GRAD.enabled and self._requires_grad and self.grad_fn is None:
            raise RuntimeError(
                f"{op}: a leaf Variable that requires grad is being used in an in-place operation."
            )

    def copy_(self, src: Any) -> Tensor:
        """Copy ``src``'s values into this tensor in place, broadcast and cast to this tensor's dtype (recorded
        when ``src`` requires grad: the gradient flows back to ``src``)."""
        self._check_inplace("copy_")
        if _GRAD.enabled and (self._requires_grad or hasattr(src, "_data") and src._requires_grad):
            from autograd.function import wrap
            from autograd.ops.basic import where

            # where(False, self, src): no gradient to the overwritten values (as PyTorch), all of it to src.
            src = (src if hasattr(src, "_data") else wrap(np.asarray(src))).to(self._data.dtype)
            return self._assign_result(where(wrap(np.zeros(self._data.shape, dtype=bool)), self, src), "copy_")
        return self.fill_(src)

    def fill_(self, value: Any) -> Tensor:
        """Set every element to ``value`` (a number or a broadcastable array/Tensor), in place; not recorded."""
        self._check_inplace("fill_")
        if _GRAD.enabled and self._requires_grad:  # a recorded non-leaf: its history must be cut
            return self.copy_(value)
        try:
            np.copyto(self._data, value._data if hasattr(value, "_data") else value, casting="unsafe")
        except ValueError as err:
            raise RuntimeError(f"copy_/fill_: cannot write a value of shape {list(np.shape(value))} into a tensor "
                               f"of shape {list(self._data.shape)}: {err}") from None
        return self._bump()

    def zero_(self) -> Tensor:
        """Set every element to 0, in place."""
        return self.fill_(0)

    def _bump(self) -> Tensor:
        self._version_box[0] += 1
        return self

    def _assign_result(self, result: Tensor, op: str) -> Tensor:
        """Finish an in-place op computed out of place: write ``result`` into this tensor's memory and, when
        the op was recorded, continue this tensor's history from ``result``."""
        if result.shape != self._data.shape:
            raise RuntimeError(
                f"{op}: output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                f"{list(result.shape)}"
            )
        if dtypes.category(result.dtype) > dtypes.category(self._data.dtype):
            raise RuntimeError(
                f"{op}: result type {result.dtype} can't be cast to the desired output type {self.dtype}"
            )
        if result.grad_fn is not None and getattr(self, "_view_base", None) is not None:
            # PyTorch would rewrite the base's history too; stepgrad does not, so refuse rather than let the base's
            # gradient silently miss this change.
            raise RuntimeError(
                f"{op}: in-place change of a view (of shape {list(self.shape)}) in a graph that requires grad is not "
                "supported: the tensor it views would not record it. Write through the base tensor instead "
                "(y[0, 1] = v rather than y[0][1] = v), or clone() the view first."
            )
        np.copyto(self._data, result._data, casting="unsafe")
        self._bump()
        if result.grad_fn is not None:
            self.grad_fn = result.grad_fn
            self._requires_grad = True
        return self

    # -- arithmetic and elementwise ----------------------------------------------------------------------------
    def _inplace_binary(self, name: str, ufunc: np.ufunc, other: Any, fallback: Any) -> Any:
        """Shared path of ``add_``/``sub_``/``mul_``/``div_``: a direct numpy update when nothing is
        recorded, otherwise the out-of-place op whose result is written back (history continues)."""
        self._check_inplace(name)
        other_grad = getattr(other, "_requires_grad", False)
        if not (_GRAD.enabled and (self._requires_grad or other_grad)):
            value = other._data if hasattr(other, "_data") else other
            if self._data.dtype.kind != "f" and np.asarray(value).dtype.kind == "f" or (
                self._data.dtype.kind == "b" and np.asarray(value).dtype.kind != "b"
            ):
                raise RuntimeError(
                    f"{name}: result type {np.asarray(value).dtype} can't be cast to the desired output type "
                    f"{self._data.dtype}"
                )
            if not self._data.flags.writeable:
                raise RuntimeError(
                    f"{name}: unsupported operation: more than one element of the written-to tensor refers to a "
                    "single memory location (an expanded or read-only tensor). Please clone() the tensor first."
                )
            try:
                ufunc(self._data, value, out=self._data, casting="unsafe")
            except ValueError:
                raise RuntimeError(
                    f"{name}: output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                    f"{list(np.broadcast_shapes(self._data.shape, np.shape(value)))}"
                ) from None
            return self._bump()
        return self._assign_result(fallback(self, other), name)

    def add_(self, other: Any, *, alpha: float = 1) -> Any:
        if alpha != 1:
            other = other * alpha
        return self._inplace_binary("add_", np.add, other, arithmetic.add)

    def sub_(self, other: Any, *, alpha: float = 1) -> Any:
        if alpha != 1:
            other = other * alpha
        return self._inplace_binary("sub_", np.subtract, other, arithmetic.sub)

    def mul_(self, other: Any) -> Any:
        return self._inplace_binary("mul_", np.multiply, other, arithmetic.mul)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        if rounding_mode is not None:
            return self._inplace("div_", arithmetic.div, other, rounding_mode=rounding_mode)
        return self._inplace_binary("div_", np.true_divide, other, arithmetic.div)

    divide_ = div_
    multiply_ = mul_
    subtract_ = sub_
    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def _inplace(self, name: str, op: Any, *args: Any, **kwargs: Any) -> Any:
        """Shared path of ``clamp_``, ``exp_``, ``index_add_`` and the like: the out-of-place op, written back
        (history continues from it when recorded; its backward reads only its output, masks made in forward or
        its other operands)."""
        self._check_inplace(name)
        return self._assign_result(op(self, *args, **kwargs), name)

    def clamp_(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002  (PyTorch's names)
        return self._inplace("clamp_", basic.clamp, min, max)

    clip_ = clamp_

    def abs_(self) -> Any:
        return self._inplace("abs_", elementwise.abs)

    absolute_ = abs_

    def neg_(self) -> Any:
        return self._inplace("neg_", arithmetic.neg)

    negative_ = neg_

    def exp_(self) -> Any:
        return self._inplace("exp_", elementwise.exp)

    def relu_(self) -> Any:
        return self._inplace("relu_", elementwise.relu)

    def sigmoid_(self) -> Any:
        return self._inplace("sigmoid_", elementwise.sigmoid)

    def tanh_(self) -> Any:
        return self._inplace("tanh_", trigonometric.tanh)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with samples uniform on [a, b) (``autograd.random.uniform_``)."""
        return random.uniform_(self, a, b, generator=generator)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Any:
        """Fill with samples from N(mean, std**2) (``autograd.random.normal_``)."""
        return random.normal_(self, mean, std, generator=generator)

    # -- indexing, scatter and fused ops ------------------------------------------------------------------------
    def scatter_(self, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: str | None = None) -> Any:
        return self._inplace("scatter_", indexing.scatter, dim, index, src, value=value, reduce=reduce)

    def scatter_add_(self, dim: int, index: Any, src: Any) -> Any:
        return self._inplace("scatter_add_", indexing.scatter_add, dim, index, src)

    def scatter_reduce_(self, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True) -> Any:
        """As ``scatter_reduce``. 'prod', 'amax' and 'amin' read the input in backward, so when recorded they
        reduce into a copy (in the graph), which writing the result back leaves intact."""
        self._check_inplace("scatter_reduce_")
        recorded = _GRAD.enabled and (self._requires_grad or getattr(src, "_requires_grad", False))
        source = self.clone() if recorded and reduce in ("prod", "amax", "amin") else self
        result = indexing.scatter_reduce(source, dim, index, src, reduce, include_self=include_self)
        return self._assign_result(result, "scatter_reduce_")

    def index_add_(self, dim: int, index: Any, source: Any, *, alpha: float = 1) -> Any:
        return self._inplace("index_add_", index_writes.index_add, dim, index, source, alpha=alpha)

    def index_copy_(self, dim: int, index: Any, source: Any) -> Any:
        return self._inplace("index_copy_", index_writes.index_copy, dim, index, source)

    def index_fill_(self, dim: int, index: Any, value: Any) -> Any:
        return self._inplace("index_fill_", index_writes.index_fill, dim, index, value)

    def index_put_(self, indices: tuple | list, values: Any, accumulate: bool = False) -> Any:
        return self._inplace("index_put_", index_writes.index_put, indices, values, accumulate)

    def put_(self, index: Any, source: Any, accumulate: bool = False) -> Any:
        return self._inplace("put_", index_writes.put, index, source, accumulate)

    def masked_fill_(self, mask: Any, value: Any) -> Any:
        return self._inplace("masked_fill_", indexing.masked_fill, mask, value)

    def masked_scatter_(self, mask: Any, source: Any) -> Any:
        """As ``masked_scatter``; ``mask`` must broadcast to this tensor's shape."""
        return self._inplace("masked_scatter_", index_writes.masked_scatter, mask, source)

    def addcmul_(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Any:
        """In place (as optimizers use it): the out-of-place result written back, history continued."""
        return self._inplace("addcmul_", fused.addcmul, tensor1, tensor2, value=value)

    def addcdiv_(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Any:
        """In place (as optimizers use it): the out-of-place result written back, history continued."""
        return self._inplace("addcdiv_", fused.addcdiv, tensor1, tensor2, value=value)
