"""The one place that imports numba: compilation and threading policy for every kernel.

Policy
------
- ``cache=True``: compiled machine code is written next to the sources (``__pycache__``), so a second
  process loads it instead of recompiling. Compilation is lazy (no signatures are given), so importing a
  kernel module compiles nothing.
- ``fastmath``: only the flags that let LLVM reassociate and fuse (``reassoc``, ``contract``, ``nsz``,
  ``arcp``), which lets reductions vectorise. ``nnan``/``ninf`` are left out because max pooling relies on
  ``-inf`` padding and on NaN propagating.
- ``parallel``: only kernels whose loop nest has an outer loop with many disjoint writes use
  :func:`parallel_jit`; everything else uses :func:`jit`.
- ``NUMBA_DISABLE_JIT=1`` turns both decorators into the identity and :data:`prange` into ``range``
  (numba does both itself), so the same code runs as plain Python.

Threading
---------
THREADING_DOC_PLACEHOLDER
"""

from collections.abc import Callable
from typing import TypeVar

import numba

__all__ = ["jit", "parallel_jit", "prange"]

F = TypeVar("F", bound=Callable)

FASTMATH = frozenset({"reassoc", "contract", "nsz", "arcp"})

numba.config.THREADING_LAYER = "workqueue"

prange = numba.prange


def jit(func: F) -> F:
    """Compile ``func`` for one thread (lazily, cached, with the fastmath flags above)."""
    return numba.njit(cache=True, nogil=True, fastmath=set(FASTMATH))(func)


def parallel_jit(func: F) -> F:
    """Compile ``func`` with numba's parallel backend; its ``prange`` loops are split across threads."""
    return numba.njit(cache=True, nogil=True, fastmath=set(FASTMATH), parallel=True)(func)
