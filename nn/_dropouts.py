"""Dropout variants of ``nn.functional``: ``dropout1d`` and ``dropout3d`` (whole channels of 1-D signals and of
volumes), ``alpha_dropout`` (the
dropout of self-normalising networks, which keeps the mean and variance of SELU activations) and
``feature_alpha_dropout`` (alpha dropout of whole channels)."""

from __future__ import annotations

import warnings

import autograd
from autograd import Tensor

__all__ = ["dropout1d", "dropout3d", "alpha_dropout", "feature_alpha_dropout"]

# -SELU's alpha * scale: the value SELU tends to for x -> -inf, which alpha dropout sets dropped units to.
_SELU_FLOOR = 1.7580993408473766


def _check_probability(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout for 1-D signals: each row ``input[n, c]`` is zeroed with probability ``p`` and the rest
    are scaled by 1 / (1 - p); identity when ``training`` is False.

    Shapes: (N, C, L), or unbatched (C, L); same output.
    """
    _check_probability(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: expected a 2-D (C, L) or 3-D (N, C, L) input, got shape {list(input.shape)}; "
                           "dropout1d drops whole channels of signals with one spatial dim")
    if input.ndim == 2:
        return autograd.feature_dropout(input.unsqueeze(0), p, training).squeeze(0)
    return autograd.feature_dropout(input, p, training)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout for volumes: each ``input[n, c]`` (D, H, W) is zeroed with probability ``p`` and the rest
    are scaled by 1 / (1 - p); identity when ``training`` is False.

    Shapes: (N, C, D, H, W), or unbatched (C, D, H, W); same output. Any other rank warns, as PyTorch 2.13 does,
    and is read as unbatched: slices along dim 0 are dropped.
    """
    _check_probability(p)
    if input.ndim not in (4, 5):
        warnings.warn(f"dropout3d: received a {input.ndim}-D input; dropout3d drops channels of (C, D, H, W) or "
                      "(N, C, D, H, W) input, so it is read as unbatched with channels along dim 0 (use dropout "
                      "for other shapes)", UserWarning, stacklevel=2)
    if input.ndim == 5:
        return autograd.feature_dropout(input, p, training)
    return autograd.feature_dropout(input.unsqueeze(0), p, training).squeeze(0)


def _alpha_dropout(input: Tensor, p: float, training: bool, mask_shape: tuple[int, ...]) -> Tensor:
    """Alpha dropout with one keep/drop draw per element of ``mask_shape`` (broadcast over ``input``)."""
    _check_probability(p)
    if not training or p == 0 or input.numel() == 0:
        return input
    if p == 1:
        return input * 0
    x = input if input.is_floating_point() else input.float()
    a = ((1 - p) * (1 + p * _SELU_FLOOR**2)) ** -0.5
    keep = autograd.rand(*mask_shape, dtype=x.dtype) >= p
    return autograd.where(keep, x * a + _SELU_FLOOR * a * p, _SELU_FLOOR * a * (p - 1))


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Alpha dropout: each element is set, with probability ``p``, to SELU's negative saturation value
    -1.7581, and then every element goes through the affine map a * x + b that restores zero mean and unit
    variance: a = ((1 - p) * (1 + p * 1.7581**2))**-0.5, b = 1.7581 * a * p. Identity when ``training`` is False
    (the default, as in PyTorch).

    Shape: any. d/dx = a where kept, else 0.
    """
    return _alpha_dropout(input, p, training, tuple(input.shape))


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels: as ``alpha_dropout``, but each slice ``input[n, c]`` is kept or set to
    -1.7581 as a whole before the affine map. Identity when ``training`` is False (the default).

    Shape: (N, C, *), at least 2-D; as in PyTorch, dims 0 and 1 are read as N and C whatever the number of dims
    (an unbatched (C, D, H, W) input drops slices ``input[c, d]``). d/dx = a where kept, else 0.
    """
    if training and 0 < p < 1 and input.numel() and input.ndim < 2:  # PyTorch checks only when it draws
        raise RuntimeError(f"feature_alpha_dropout: expected an input with at least 2 dims (N, C, *), got shape "
                           f"{list(input.shape)}")
    return _alpha_dropout(input, p, training, tuple(input.shape[:2]) + (1,) * (input.ndim - 2))
