"""``Embedding`` and ``EmbeddingBag``: lookup tables of learnable vectors indexed by integers."""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor, no_grad
from nn import functional as F
from nn import init
from nn.module import Module
from nn.parameter import Parameter


def _wrap_padding_idx(padding_idx: int | None, num_embeddings: int, spelling: str) -> int | None:
    """``padding_idx`` in [0, num_embeddings) (negative counts from the end), or PyTorch's AssertionError."""
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError(f"{spelling} must be within num_embeddings")
    return padding_idx % num_embeddings


def _table(num_embeddings: int, embedding_dim: int, weight: Tensor | None, requires_grad: bool,
           dtype: Any) -> Parameter:
    """The (num_embeddings, embedding_dim) weight: ``weight`` itself (shape checked) or uninitialised."""
    if weight is None:
        return Parameter(autograd.empty(num_embeddings, embedding_dim, dtype=dtype), requires_grad)
    if tuple(weight.shape) != (num_embeddings, embedding_dim):
        raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
    return Parameter(weight, requires_grad)


def _reset_table(weight: Parameter, padding_idx: int | None) -> None:
    """N(0, 1) entries, and a zero ``padding_idx`` row."""
    init.normal_(weight)
    if padding_idx is not None:
        with no_grad():
            keep = autograd.arange(weight.shape[0]) != padding_idx
            weight.copy_(weight * keep.reshape(-1, 1))


def _lookup_options(module: Module) -> str:
    """The repr of the options Embedding and EmbeddingBag share, where they differ from their defaults."""
    s = ""
    if module.max_norm is not None:
        s += f", max_norm={module.max_norm}"
    if module.norm_type != 2:
        s += f", norm_type={module.norm_type}"
    if module.scale_grad_by_freq:
        s += ", scale_grad_by_freq=True"
    return s


class Embedding(Module):
    """Rows of ``weight`` (num_embeddings, embedding_dim) looked up by integer input (*) → (*, embedding_dim).

    Initialised N(0, 1); the ``padding_idx`` row starts at zero and receives no gradient. ``max_norm``
    renormalises looked-up rows in place before each lookup.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Tensor | None = None, _freeze: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.padding_idx = _wrap_padding_idx(padding_idx, num_embeddings, "Padding_idx")
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        self.weight = _table(num_embeddings, embedding_dim, _weight, not _freeze, dtype)
        if _weight is None:
            self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_table(self.weight, self.padding_idx)

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        s += _lookup_options(self)
        if self.sparse:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose weight is ``embeddings`` (2-D, shared memory); frozen unless ``freeze=False``."""
        if embeddings.ndim != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight=embeddings,
                   _freeze=freeze)


class EmbeddingBag(Module):
    """Sums, means or maxima of bags of learnable vectors: ``weight`` (num_embeddings, embedding_dim) and bags
    of integer indices, (B, N) or (L,) with ``offsets`` (B,) → (B, embedding_dim); see
    ``nn.functional.embedding_bag``.

    Initialised N(0, 1); the ``padding_idx`` row starts at zero, is left out of every bag and receives no
    gradient. ``max_norm`` renormalises looked-up rows in place before each lookup.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                 _weight: Tensor | None = None, include_last_offset: bool = False, padding_idx: int | None = None,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.padding_idx = _wrap_padding_idx(padding_idx, num_embeddings, "padding_idx")
        self.weight = _table(num_embeddings, embedding_dim, _weight, True, dtype)
        if _weight is None:
            self.reset_parameters()
        self.mode = mode
        self.sparse = sparse
        self.include_last_offset = include_last_offset

    def reset_parameters(self) -> None:
        _reset_table(self.weight, self.padding_idx)

    def forward(self, input: Tensor, offsets: Tensor | None = None,
                per_sample_weights: Tensor | None = None) -> Tensor:
        return F.embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                               self.mode, self.sparse, per_sample_weights, self.include_last_offset,
                               self.padding_idx)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        s += _lookup_options(self)
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                        sparse: bool = False, include_last_offset: bool = False,
                        padding_idx: int | None = None) -> EmbeddingBag:
        """An EmbeddingBag whose weight is ``embeddings`` (2-D, shared memory); frozen unless ``freeze=False``."""
        if embeddings.ndim != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        bag = cls(rows, cols, max_norm, norm_type, scale_grad_by_freq, mode, sparse, embeddings,
                  include_last_offset, padding_idx)
        bag.weight.requires_grad = not freeze
        return bag
