"""``CosineSimilarity`` and ``PairwiseDistance``: modules holding the options of their ``nn.functional``
forms. As in PyTorch they have no ``extra_repr``, and ``PairwiseDistance`` keeps its ``p`` as ``self.norm``."""

from __future__ import annotations

from autograd import Tensor
from nn import functional as F
from nn.module import Module


class CosineSimilarity(Module):
    """Cosine of the angle between x1 and x2 along ``dim``: x1, x2 broadcast to S → S without ``dim``."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """p-norm distance ||x1 - x2 + eps|| between corresponding rows: (N, D), (N, D) → (N,) (or (N, 1))."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
