"""``get_num_threads``/``set_num_threads``: the number of threads stepgrad's maths may use.

stepgrad has no intra-op thread pool of its own: numba's parallel kernels and numpy's BLAS keep their own
pools, sized when they start. So the setting is recorded and reported (it starts at the number of cores this
process may run on); it does not resize those pools.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["get_num_threads", "set_num_threads"]


class _Threads:
    count: int = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


_THREADS = _Threads()


def get_num_threads() -> int:
    """The number of threads last set by ``set_num_threads`` (initially the cores available to the process)."""
    return _THREADS.count


def set_num_threads(num: int) -> None:
    """Record ``num`` (a positive int) as the number of threads; RuntimeError for a non-int (bool included) or
    ``num <= 0``, as PyTorch. Recorded only: numba's and BLAS's pools are not resized."""
    if not isinstance(num, (int, np.integer)) or isinstance(num, bool):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(num).__name__}")
    if num <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer (got {num})")
    _THREADS.count = int(num)
