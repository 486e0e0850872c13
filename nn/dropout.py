"""``Dropout`` and its variants (``Dropout1d``, ``Dropout2d``, ``Dropout3d``, ``AlphaDropout``,
``FeatureAlphaDropout``):
inverted dropout in training mode, the identity in evaluation mode."""

from __future__ import annotations

from autograd import Tensor
from nn import functional as F
from nn.module import Module


class Dropout(Module):
    """Zero each element with probability ``p`` while training and scale the survivors by 1 / (1 - p), so the
    expected value is unchanged; ``eval()`` makes it the identity. Any shape."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Dropout):
    """Zero whole channels of (N, C, H, W) input with probability ``p`` while training, scaling the kept ones by
    1 / (1 - p); ``eval()`` makes it the identity."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(Dropout):
    """Zero whole channels of (N, C, D, H, W) or unbatched (C, D, H, W) input with probability ``p`` while
    training, scaling the kept ones by 1 / (1 - p); ``eval()`` makes it the identity."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout3d(input, self.p, self.training, self.inplace)


class Dropout1d(Dropout):
    """Zero whole channels of (N, C, L) or (C, L) input with probability ``p`` while training, scaling the kept
    ones by 1 / (1 - p); ``eval()`` makes it the identity."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout1d(input, self.p, self.training, self.inplace)


class AlphaDropout(Dropout):
    """Alpha dropout for self-normalising (SELU) networks: dropped elements take SELU's saturation value and an
    affine map keeps zero mean and unit variance (see ``nn.functional.alpha_dropout``); any shape."""

    def forward(self, input: Tensor) -> Tensor:
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(Dropout):
    """Alpha dropout of whole channels of (N, C, *) input: each slice ``input[n, c]`` is kept or set to SELU's
    saturation value as a whole, then the affine map of alpha dropout (see ``nn.functional.feature_alpha_dropout``)
    keeps zero mean and unit variance."""

    def forward(self, input: Tensor) -> Tensor:
        return F.feature_alpha_dropout(input, self.p, self.training)
