"""Scratch buffers that the kernels reuse from call to call.

Why
---
A fresh numpy array of more than a few hundred kilobytes is fresh memory from the operating system:
glibc's ``malloc`` maps it on allocation and unmaps it on free. Each of its pages then takes a page fault
the first time a kernel writes it, and on this virtual machine a fault costs about as much as copying
the page several times over. Measured on the stride-2 convolution (16,128,16,16) O=128 k3 (float32, 2
cores, best of 300 steps, ms): writing the channels-last padded copy of the input into a fresh array took
0.63, into a reused one 0.33; unfolding it into fresh columns 0.22, into reused ones 0.14.

What
----
:func:`scratch` hands out a buffer per *slot*: a name for one call site in one kernel. A slot keeps the
largest buffer it has been asked for, so a network whose layers differ in size holds one buffer per slot,
of its largest layer's size. Buffers are per thread (two Python threads running kernels at once never
share one) and are never returned to the caller: a kernel writes its results into arrays its caller
allocated, and scratch contents are garbage on the next call.
"""

import threading

import numpy as np

__all__ = ["COLS_BYTES", "image_chunk_size", "scratch"]

COLS_BYTES = 16 * 2**20
"""Target size of one chunk of an unfolded input matrix: the GEMM passes unfold a few images at a time so the
matrix stays in the last-level cache and its buffer stays bounded whatever the batch size."""

_local = threading.local()


def image_chunk_size(N: int, bytes_per_image: int) -> int:
    """Images per chunk of an unfolded matrix: as many as fit in :data:`COLS_BYTES` (at least one, at most N)."""
    return max(1, min(N, COLS_BYTES // max(1, bytes_per_image)))


def scratch(slot: str, shape: int | tuple[int, ...], dtype: np.dtype | type, zero: bool = False) -> np.ndarray:
    """A C-contiguous array of ``shape`` and ``dtype`` backed by ``slot``'s reused buffer.

    Parameters
    ----------
    slot : name of the call site (``"module.purpose"``); two buffers alive at the same time need two slots.
    shape, dtype : of the array returned.
    zero : fill it with zeros (otherwise its contents are whatever the slot's last user left).

    Returns
    -------
    A view into the slot's buffer, valid until the next request for the same slot on this thread.
    """
    dtype = np.dtype(dtype)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    buffers = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = {}
    buffer = buffers.get(slot)
    if buffer is None or buffer.size < nbytes:
        buffer = buffers[slot] = np.empty(max(nbytes, 1), dtype=np.uint8)
    array = buffer[:nbytes].view(dtype).reshape(shape)
    if zero:
        array.fill(0)
    return array
