"""Broadcasting as functions: ``broadcast_shapes`` (shapes only) and ``broadcast_tensors`` (each input
expanded to the common shape; differentiable, the gradient of an ``expand`` sums over the broadcast axes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.ops import shape

# The functional forms, re-exported by ``autograd`` (``autograd.broadcast_shapes``).
__all__ = ["broadcast_shapes", "broadcast_tensors"]


def broadcast_shapes(*shapes: int | Sequence[int]) -> tuple[int, ...]:
    """The shape that tensors of ``shapes`` broadcast to (numpy's rule, as ``torch.broadcast_shapes``).

    Parameters
    ----------
    *shapes : int or sequence of int
        Each an int (a 1-D shape) or a sequence of sizes.

    Returns
    -------
    tuple of int
        The broadcast shape (``()`` when no shape is given).

    Raises
    ------
    RuntimeError
        When two sizes of one dimension differ and neither is 1.
    ValueError
        When a size is negative.
    """
    as_tuples = [(int(s),) if isinstance(s, int) else tuple(int(n) for n in s) for s in shapes]
    ndim = max((len(s) for s in as_tuples), default=0)
    result = [1] * ndim
    for index, sizes in enumerate(as_tuples):
        for offset, size in enumerate(reversed(sizes), start=1):
            if size < 0:
                raise ValueError("broadcast_shapes: Attempting to broadcast a dimension with negative length!")
            current = result[-offset]
            if current == 1:
                result[-offset] = size
            elif size not in (1, current):
                raise RuntimeError(
                    f"broadcast_shapes: Attempting to broadcast a dimension of length {size} at {-offset}! "
                    f"Mismatching argument at index {index} had {sizes}; but expected shape should be "
                    f"broadcastable to {result}"
                )
    return tuple(result)


def broadcast_tensors(*tensors: Any) -> tuple:
    """Every tensor expanded (a view, no copy) to the shape they broadcast to together.

    Each output is ``expand(input, common_shape)``, so its gradient is the incoming gradient summed over the
    broadcast axes. RuntimeError (naming both sizes) when the shapes do not broadcast.
    """
    for position, t in enumerate(tensors):
        if not hasattr(t, "_data"):
            raise TypeError(
                f"broadcast_tensors: expected Tensor as element {position} in argument 0, but got {type(t).__name__}"
            )
    common: tuple[int, ...] = ()
    for position, t in enumerate(tensors):
        try:
            common = broadcast_shapes(common, t.shape)
        except RuntimeError:
            d = next(k for k in range(1, min(len(common), t.ndim) + 1)
                       if t.shape[-k] not in (1, common[-k]) and common[-k] != 1)
            raise RuntimeError(
                f"broadcast_tensors: the size of tensor a ({common[-d]}) must match the size of tensor b "
                f"({t.shape[-d]}) at non-singleton dimension {max(len(common), t.ndim) - d} "
                f"(tensor {position} has shape {list(t.shape)})"
            ) from None
    return tuple(shape.expand(t, common) for t in tensors)
