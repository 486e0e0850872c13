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
- Indexing: hot inner loops use flat arrays and unsigned positions (:data:`U`).
- Register blocking: :func:`register_block` gives a kernel a small array on the stack. When every index
  into it is a constant after LLVM unrolls the loops around it, LLVM keeps its elements in vector
  registers (this is how :mod:`autograd.kernels.direct` accumulates a block of outputs over all taps).
- ``NUMBA_DISABLE_JIT=1`` turns both decorators into the identity and :data:`prange` into ``range``
  (numba does both itself), and :func:`register_block` into ``np.empty``, so the same code runs as plain
  Python.

Threading
---------
numba's parallel pool and OpenBLAS's pool share the machine's cores, and a pool that busy-waits after its
work starves the other. numba's default layer here is OpenMP (TBB is not installed), and libgomp spins
for a while after every parallel region unless ``OMP_WAIT_POLICY=PASSIVE`` is set before it loads; a
BLAS call that follows then runs at a fraction of its speed. Users do not set environment variables, so
this module selects numba's ``workqueue`` layer, whose workers sleep on a condition variable between
regions. OpenBLAS still spins briefly after a call, but it yields the core (``sched_yield``); the
measurements below show that it costs little.

Measured on 2 cores (AMD EPYC, shared machine), plain environment unless stated: one training step of a
LeNet-like net (two convs, two max pools, three matmuls, all backward passes; float32, batch 64), 200
steps per run, two runs each; median (min) in ms:

=================================================================  =========================
numba layer, environment                                            step: median (min), ms
=================================================================  =========================
omp, nothing set (numba's default here)                             42 - 45 (27)
omp, ``OMP_WAIT_POLICY=PASSIVE`` + ``OPENBLAS_THREAD_TIMEOUT=4``    6.4 - 8.6 (5.5)
workqueue, nothing set (this module's choice)                       7.0 - 8.4 (5.1 - 6.8)
workqueue, ``OPENBLAS_THREAD_TIMEOUT=4``                            9.5 - 10.4 (5.9 - 6.7)
=================================================================  =========================

So workqueue recovers the 5 - 6x that spinning OpenMP threads cost, without any environment variable.
The layer is set in ``numba.config`` here, before any parallel kernel has run; it applies to the whole
process (and has no effect if other code launched numba's threads first). Waking workqueue threads costs
tens of microseconds, so :func:`parallel_jit` runs small calls serially; and as workqueue runs one parallel
region at a time, it serialises launches from different Python threads with a lock.

Where "small" ends was measured in the LeNet-5 training step above (direct convolution kernels, batch 64;
blocks of 40 steps, the thresholds taking turns in one process, five blocks each; median ms per step):
everything serial 6.95, threshold 2^18 (the earlier value; LeNet's pools and convolutions then run in
parallel) 7.66, 2^20 7.03, 2^21 6.67. The parallel regions of that step cost more in wake-ups and in
competition with BLAS's threads than they gain, so the threshold is 2^21 (in units of one copied element,
see :func:`parallel_jit`); larger layers still run in parallel.

Rechecked with the register-blocked convolution kernels (300-step LeNet-5 runs, seconds): this threshold
1.7 - 2.3; threshold 2^19 with workqueue 2.65. An empty parallel region costs 85 - 130 us with workqueue (a
thread wake-up on this virtual machine takes tens of microseconds), against 3 us with OpenMP back to back,
whose threads spin; but OpenMP with short spins (``GOMP_SPINCOUNT`` 1,000 or 10,000) at thresholds 2^19 and
2^16 took 3.0 and 5.5, and choosing the build per size class by timing both took 2.4 - 3.0 (7.7 with
OpenMP's default spin): the stalls land on the BLAS calls around the kernels, which that timing never sees.
So the threshold stays.
"""

import functools
import threading
import types
from collections.abc import Callable
from typing import TypeVar

import numba
import numpy as np
from numba import types as nb_types
from numba.core import cgutils
from numba.extending import intrinsic

__all__ = ["U", "jit", "parallel_jit", "prange", "register_block", "set_thread_count", "thread_count"]

F = TypeVar("F", bound=Callable)

FASTMATH = frozenset({"reassoc", "contract", "nsz", "arcp"})

numba.config.THREADING_LAYER = "workqueue"
_LAUNCH_LOCK = threading.Lock()  # workqueue runs one parallel region at a time
PARALLEL_MIN_ELEMENTS = 1 << 21  # smaller calls run serially (see parallel_jit and the measurement above)

prange = numba.prange

U = np.uint64
"""Index type for flat inner loops: with unsigned positions numba drops its negative-index (wrap-around)
check, which lets LLVM vectorise the loop; copies ran about 3x faster in a measurement."""


def jit(func: F) -> F:
    """Compile ``func`` for one thread (lazily, cached, with the fastmath flags above)."""
    return numba.njit(cache=True, nogil=True, fastmath=set(FASTMATH))(func)


def _largest_array(*args) -> int:
    return max([a.size for a in args if isinstance(a, np.ndarray)], default=0)


def parallel_jit(func: F | None = None, *, cost: Callable[..., int] = _largest_array) -> F:
    """Compile ``func`` twice, parallel (``prange`` loops split across threads) and serial, and pick per call.

    Returns a plain Python function (call it from Python, not from other kernels). A call whose ``cost`` (by
    default the size of its largest array argument; kernels doing many operations per element pass their
    own estimate, in units of one copied element) is below :data:`PARALLEL_MIN_ELEMENTS` runs the serial
    build: waking the workqueue's threads costs tens of microseconds, more than small kernels gain. Bigger
    calls run the parallel build under a process-wide lock, because the workqueue layer cannot run two
    parallel regions at once (two Python threads launching together would abort the process).
    Use as ``@parallel_jit`` or ``@parallel_jit(cost=...)``.
    """
    if func is None:
        return functools.partial(parallel_jit, cost=cost)
    parallel = numba.njit(cache=True, nogil=True, fastmath=set(FASTMATH), parallel=True)(func)
    # numba's cache is keyed by qualified name and bytecode, not by compile flags: give the serial build
    # its own name so the two builds get separate cache files.
    twin = types.FunctionType(func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__)
    twin.__qualname__ = f"{func.__qualname__}_serial"
    serial = jit(twin)

    @functools.wraps(func)
    def launch(*args):
        if cost(*args) < PARALLEL_MIN_ELEMENTS:
            return serial(*args)
        with _LAUNCH_LOCK:
            return parallel(*args)

    return launch


def thread_count() -> int:
    """How many threads numba's parallel loops run on (kernels that keep one scratch buffer per thread)."""
    return numba.get_num_threads()


def set_thread_count(count: int) -> int:
    """Run numba's parallel loops on ``count`` threads, at most the pool's size (``NUMBA_NUM_THREADS``, fixed
    when the pool starts); returns the number set."""
    count = max(1, min(int(count), numba.config.NUMBA_NUM_THREADS))
    numba.set_num_threads(count)
    return count


def _register_block_python(size: int, dtype: type) -> np.ndarray:
    return np.empty(size, dtype=dtype)


@intrinsic
def _register_block_compiled(typingctx, size, dtype):
    """A 1-D array of ``size`` (a compile-time constant) elements of ``dtype``, allocated on the stack."""
    if not isinstance(size, nb_types.IntegerLiteral):
        return None
    element = dtype.dtype
    array_type = nb_types.Array(element, 1, "C")

    def codegen(context, builder, signature, args):
        value_type = context.get_value_type(element)
        itemsize = context.get_abi_sizeof(value_type)
        array = context.make_array(array_type)(context, builder)
        context.populate_array(
            array,
            data=cgutils.alloca_once(builder, value_type, size=size.literal_value),
            shape=cgutils.pack_array(builder, [context.get_constant(nb_types.intp, size.literal_value)]),
            strides=cgutils.pack_array(builder, [context.get_constant(nb_types.intp, itemsize)]),
            itemsize=context.get_constant(nb_types.intp, itemsize),
            meminfo=None,
        )
        return array._getvalue()

    return array_type(size, dtype), codegen


register_block = _register_block_python if numba.config.DISABLE_JIT else _register_block_compiled
"""``register_block(size, dtype)``: uninitialised scratch array for a kernel's accumulators. ``size`` must be
a module-level int constant (numba then sees it as a literal); the array lives on the stack and must not
outlive the kernel call. Under ``NUMBA_DISABLE_JIT=1`` it is ``np.empty``."""
