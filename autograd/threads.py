"""``get_num_threads``/``set_num_threads``: the number of threads stepgrad's maths may use.

stepgrad has no intra-op thread pool of its own: numba's parallel kernels (convolution, pooling, their copies)
and numpy's BLAS keep their own pools. ``set_num_threads`` sets how many threads numba's parallel loops use (at
most the pool's size, the number of cores when it started); numpy offers no call to resize BLAS's pool, so
matrix products keep theirs. ``get_num_threads`` reports the number last set (initially the cores this process
may run on).
"""

from __future__ import annotations

import os

import numpy as np

from autograd.kernels._jit import set_thread_count

__all__ = ["get_num_threads", "set_num_threads"]


class _Threads:
    count: int = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


_THREADS = _Threads()


def get_num_threads() -> int:
    """The number of threads last set by ``set_num_threads`` (initially the cores available to the process)."""
    return _THREADS.count


def set_num_threads(num: int) -> None:
    """Use ``num`` (a positive int) threads in numba's parallel kernels (at most the pool's size); RuntimeError
    for a non-int (bool included) or ``num <= 0``, as PyTorch. BLAS's pool is not resized."""
    if not isinstance(num, (int, np.integer)) or isinstance(num, bool):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(num).__name__}")
    if num <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer (got {num})")
    set_thread_count(num)
    _THREADS.count = int(num)
