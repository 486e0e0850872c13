"""Tensor methods for shapes, indexing, sorting/selection, linear algebra and new tensors like this one
(forwarding to ``autograd.ops``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.ops import basic, fused, index_writes, indexing, linalg, linalg_inverse, selection, shape
from autograd.ops import diagonal as diagonals
from autograd.ops._dims import size_arg


class TensorShape:
    """Shape, indexing and linear-algebra methods of ``Tensor``."""

    __slots__ = ()

    # -- views and rearrangements ---------------------------------------------------------------------------
    def reshape(self, *shape_: Any) -> Any:
        return shape.reshape(self, *shape_)

    def view(self, *shape_: Any) -> Any:
        """Same as ``reshape`` (numpy copies when no view is possible; PyTorch would raise instead)."""
        return shape.reshape(self, *shape_)

    def reshape_as(self, other: Any) -> Any:
        return shape.reshape(self, other.shape)

    def view_as(self, other: Any) -> Any:
        return shape.reshape(self, other.shape)

    def expand(self, *sizes: Any) -> Any:
        return shape.expand(self, *sizes)

    def expand_as(self, other: Any) -> Any:
        return shape.expand(self, other.shape)

    def broadcast_to(self, size: Sequence[int]) -> Any:
        return shape.broadcast_to(self, size)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Any:
        return shape.flatten(self, start_dim, end_dim)

    def unflatten(self, dim: int, sizes: Sequence[int]) -> Any:
        return shape.unflatten(self, dim, sizes)

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Any:
        return shape.squeeze(self, dim)

    def unsqueeze(self, dim: int) -> Any:
        return shape.unsqueeze(self, dim)

    def transpose(self, dim0: int, dim1: int) -> Any:
        return shape.transpose(self, dim0, dim1)

    def swapaxes(self, axis0: int, axis1: int) -> Any:
        return shape.transpose(self, axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Any:
        return shape.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Any:
        return shape.permute(self, *dims)

    def movedim(self, source: int | Sequence[int], destination: int | Sequence[int]) -> Any:
        return shape.movedim(self, source, destination)

    moveaxis = movedim

    def t(self) -> Any:
        return shape.t(self)

    @property
    def T(self) -> Any:  # noqa: N802  (PyTorch's name)
        """All dims reversed (for a matrix, its transpose)."""
        return shape.permute(self, tuple(range(self.ndim))[::-1])

    @property
    def mT(self) -> Any:  # noqa: N802
        """The last two dims swapped (a batch of transposed matrices)."""
        if self.ndim < 2:
            raise RuntimeError(
                f"tensor.mT is only supported on matrices or batches of matrices. Got {self.ndim}-D tensor."
            )
        return shape.transpose(self, -2, -1)

    def contiguous(self) -> Any:
        """Self when its memory is already C-contiguous, otherwise a contiguous copy (in the graph)."""
        return self if self._data.flags.c_contiguous else basic.clone(self)

    def is_contiguous(self) -> bool:
        return bool(self._data.flags.c_contiguous)

    def flip(self, *dims: Any) -> Any:
        return shape.flip(self, size_arg(dims))

    def roll(self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Any:
        return shape.roll(self, shifts, dims)

    def repeat(self, *sizes: Any) -> Any:
        return shape.repeat(self, *sizes)

    def tile(self, *dims: Any) -> Any:
        return shape.tile(self, size_arg(dims))

    def rot90(self, k: int = 1, dims: Sequence[int] = (0, 1)) -> Any:
        return shape.rot90(self, k, dims)

    # -- splitting --------------------------------------------------------------------------------------------
    def split(self, split_size: int | Sequence[int], dim: int = 0) -> tuple:
        return shape.split(self, split_size, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        return shape.chunk(self, chunks, dim)

    def unbind(self, dim: int = 0) -> tuple:
        return shape.unbind(self, dim)

    def narrow(self, dim: int, start: int, length: int) -> Any:
        return indexing.narrow(self, dim, start, length)

    def select(self, dim: int, index: int) -> Any:
        return indexing.select(self, dim, index)

    # -- indexing -----------------------------------------------------------------------------------------------
    def __getitem__(self, index: Any) -> Any:
        return indexing.getitem(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        indexing.setitem(self, index, value)

    def index_select(self, dim: int, index: Any) -> Any:
        return indexing.index_select(self, dim, index)

    def gather(self, dim: int, index: Any) -> Any:
        return indexing.gather(self, dim, index)

    def take_along_dim(self, indices: Any, dim: int | None = None) -> Any:
        return indexing.take_along_dim(self, indices, dim)

    def scatter(self, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: str | None = None) -> Any:
        return indexing.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim: int, index: Any, src: Any) -> Any:
        return indexing.scatter_add(self, dim, index, src)

    def scatter_reduce(self, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True) -> Any:
        return indexing.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def index_add(self, dim: int, index: Any, source: Any, *, alpha: float = 1) -> Any:
        return index_writes.index_add(self, dim, index, source, alpha=alpha)

    def index_copy(self, dim: int, index: Any, source: Any) -> Any:
        return index_writes.index_copy(self, dim, index, source)

    def index_fill(self, dim: int, index: Any, value: Any) -> Any:
        return index_writes.index_fill(self, dim, index, value)

    def index_put(self, indices: tuple | list, values: Any, accumulate: bool = False) -> Any:
        return index_writes.index_put(self, indices, values, accumulate)

    def put(self, index: Any, source: Any, accumulate: bool = False) -> Any:
        return index_writes.put(self, index, source, accumulate)

    def masked_scatter(self, mask: Any, source: Any) -> Any:
        return index_writes.masked_scatter(self, mask, source)

    def masked_fill(self, mask: Any, value: Any) -> Any:
        return indexing.masked_fill(self, mask, value)

    def masked_select(self, mask: Any) -> Any:
        return indexing.masked_select(self, mask)

    def take(self, index: Any) -> Any:
        return indexing.take(self, index)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Any:
        return diagonals.diagonal(self, offset, dim1, dim2)

    def trace(self) -> Any:
        return diagonals.trace(self)

    def tril(self, diagonal: int = 0) -> Any:
        return indexing.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Any:
        return indexing.triu(self, diagonal)

    # -- linear algebra -------------------------------------------------------------------------------------------
    def __matmul__(self, other: Any) -> Any:
        return linalg.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Any:
        return linalg.matmul(other, self)

    def matmul(self, other: Any) -> Any:
        return linalg.matmul(self, other)

    def mm(self, mat2: Any) -> Any:
        return linalg.mm(self, mat2)

    def bmm(self, mat2: Any) -> Any:
        return linalg.bmm(self, mat2)

    def dot(self, other: Any) -> Any:
        return linalg.dot(self, other)

    def inner(self, other: Any) -> Any:
        return linalg.inner(self, other)

    def outer(self, vec2: Any) -> Any:
        return linalg.outer(self, vec2)

    def cross(self, other: Any, dim: int | None = None) -> Any:
        return linalg.cross(self, other, dim)

    def det(self) -> Any:
        return linalg_inverse.det(self)

    def slogdet(self) -> Any:
        return linalg_inverse.slogdet(self)

    def logdet(self) -> Any:
        return linalg_inverse.logdet(self)

    def inverse(self) -> Any:
        return linalg_inverse.inverse(self)

    def matrix_power(self, n: int) -> Any:
        return linalg_inverse.matrix_power(self, n)

    def mv(self, vec: Any) -> Any:
        return fused.mv(self, vec)

    def kron(self, other: Any) -> Any:
        return fused.kron(self, other)

    def addmm(self, mat1: Any, mat2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
        return fused.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self, mat: Any, vec: Any, *, beta: float = 1, alpha: float = 1) -> Any:
        return fused.addmv(self, mat, vec, beta=beta, alpha=alpha)

    def baddbmm(self, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
        return fused.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm(self, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
        return fused.addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addcmul(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Any:
        return fused.addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Any:
        return fused.addcdiv(self, tensor1, tensor2, value=value)

    # -- sorting and selection -------------------------------------------------------------------------------
    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        return selection.sort(self, dim, descending, stable)

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        return selection.argsort(self, dim, descending, stable)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
        return selection.topk(self, k, dim, largest, sorted)

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        return selection.nonzero(self, as_tuple=as_tuple)

    def unique(self, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
               dim: int | None = None) -> Any:
        return selection.unique(self, sorted, return_inverse, return_counts, dim)

    def isclose(self, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Any:
        return selection.isclose(self, other, rtol, atol, equal_nan)

    def diag(self, diagonal: int = 0) -> Any:
        return selection.diag(self, diagonal)

    def repeat_interleave(self, repeats: Any, dim: int | None = None) -> Any:
        return selection.repeat_interleave(self, repeats, dim)

    def clamp_min(self, min: Any) -> Any:  # noqa: A002
        return selection.clamp_min(self, min)

    def clamp_max(self, max: Any) -> Any:  # noqa: A002
        return selection.clamp_max(self, max)

    # -- new tensors with this one's dtype ------------------------------------------------------------------
    def new_zeros(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> Any:
        from autograd.creation import zeros

        return zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, requires_grad: bool = False) -> Any:
        from autograd.creation import ones

        return ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False) -> Any:
        from autograd.creation import full

        return full(size, fill_value, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_tensor(self, data: Any, *, dtype: Any = None, requires_grad: bool = False) -> Any:
        from autograd.creation import tensor

        return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)
