"""Questions about dtypes, as ``torch`` answers them: ``finfo``, ``iinfo``, ``promote_types``, ``result_type``,
``can_cast``, ``is_floating_point``, and the default floating dtype (``get_default_dtype``, ``set_default_dtype``).

The promotion rules are those of ``autograd.dtypes.promote`` (the ones every binary op applies).

The default dtype is one process-wide setting, as in PyTorch (where it is not per thread either): it is what
Python floats become (``tensor(1.5)``, ``tensor([1, 2.0])``), what factory functions give without ``dtype=``
(``zeros``, ``ones``, ``empty``, ``full`` of a float, ``rand``, ``randn``, ``arange`` with a float bound or
step, ``linspace``, ``eye``, ``Tensor(data)``), what integer tensors are promoted to by ops with floating
results (``/``, ``sqrt``, ``int_tensor * 1.5``) and so what ``nn`` layers create their parameters and buffers
in. Integer and bool tensors, numpy arrays (which keep their dtype) and any explicit ``dtype=`` are unaffected;
``float()`` is float32 and ``double()`` float64 whatever the default.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.ops._operands import _dtype_and_priority

__all__ = ["finfo", "iinfo", "promote_types", "result_type", "can_cast", "is_floating_point", "get_default_dtype",
           "set_default_dtype"]

# The dtypes stepgrad accepts as the default. Unlike PyTorch it refuses float16 and bfloat16: numpy has no
# bfloat16 and does float16 arithmetic in software, and the convolution kernels take float32 and float64 only.
_DEFAULT_CHOICES = (dtypes.float32, dtypes.float64)


def get_default_dtype() -> np.dtype:
    """The default floating dtype: float32 unless ``set_default_dtype`` changed it.

    Returns
    -------
    numpy.dtype
        ``autograd.float32`` or ``autograd.float64``.
    """
    return dtypes.DEFAULT_FLOAT


def set_default_dtype(d: Any) -> None:
    """Make ``d`` the default floating dtype (``torch.set_default_dtype``), for the whole process.

    Python floats, factory functions without ``dtype=``, the float promotion of integer tensors and the
    parameters of ``nn`` layers built afterwards use it (see the module docstring); tensors that already exist
    keep their dtype.

    Parameters
    ----------
    d : dtype
        ``autograd.float32`` or ``autograd.float64`` (a numpy dtype or its name also works).

    Raises
    ------
    TypeError
        For a non-floating dtype (as PyTorch), and for float16: PyTorch accepts float16 and bfloat16, stepgrad
        (which computes in numpy) supports float32 and float64 only.
    """
    try:
        dtype = dtypes.to_dtype(d) if d is not None else None
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        got = f"dtype {dtype}" if dtype is not None else repr(d)
        raise TypeError(f"set_default_dtype(): only floating-point types are supported as the default type "
                        f"(float32 or float64), got {got}")
    if dtype not in _DEFAULT_CHOICES:
        raise TypeError(f"set_default_dtype(): stepgrad supports float32 and float64 as the default type (it "
                        f"computes in numpy), got {dtype}")
    dtypes.DEFAULT_FLOAT = dtype


def _dtype(op: str, dtype: Any) -> np.dtype:
    try:
        result = dtypes.to_dtype(dtype)
        dtypes.category(result)
    except TypeError:
        raise TypeError(f"{op}(): expected a bool, integer or floating dtype, got {dtype!r}") from None
    return result


class finfo:
    """Numerical limits of a floating dtype (the default dtype, ``get_default_dtype()``, when none is given).

    Attributes
    ----------
    bits : int
        Width in bits.
    eps : float
        The gap between 1.0 and the next representable number.
    max, min : float
        The largest and the most negative finite values.
    tiny, smallest_normal : float
        The smallest positive normal number (two names for the same value).
    resolution : float
        10 ** -precision, precision being the number of reliable decimal digits.
    dtype : str
        The dtype's name, e.g. ``'float32'``.
    """

    def __init__(self, type: Any = None) -> None:  # noqa: A002  (PyTorch's name)
        dtype = dtypes.DEFAULT_FLOAT if type is None else _dtype("finfo", type)
        if dtype.kind != "f":
            raise TypeError(f"finfo(): expected a floating dtype, got {dtype} (use iinfo for integer dtypes)")
        info = np.finfo(dtype)
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -info.precision  # exact in float64, not rounded to the dtype
        self.dtype = str(dtype)

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """Numerical limits of an integer dtype: ``bits``, ``max``, ``min`` (ints) and ``dtype`` (its name)."""

    def __init__(self, type: Any) -> None:  # noqa: A002  (PyTorch's name)
        dtype = _dtype("iinfo", type)
        if dtype.kind not in "iu":
            raise TypeError(f"iinfo(): expected an integer dtype, got {dtype} (use finfo for floating dtypes)")
        info = np.iinfo(dtype)
        self.bits, self.max, self.min, self.dtype = int(info.bits), int(info.max), int(info.min), str(dtype)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"


def is_floating_point(input: Any) -> bool:
    """True when ``input`` (a Tensor) has a floating dtype."""
    if not hasattr(input, "_data"):
        raise TypeError(f"is_floating_point(): argument 'input' must be Tensor, not {type(input).__name__}")
    return input._data.dtype.kind == "f"


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """The smallest dtype to which both dtypes convert under PyTorch's rules: bool < integers < floating, and
    within a category the wider one (int8 with uint8 gives int16; float16 with int64 gives float16)."""
    a, b = _dtype("promote_types", type1), _dtype("promote_types", type2)
    return dtypes.promote([(a, 2), (b, 2)])


def result_type(tensor: Any, other: Any) -> np.dtype:
    """The dtype an arithmetic op gives ``tensor`` and ``other`` (Tensors or numbers): the highest category wins;
    within it, tensors with dimensions outrank zero-dimensional ones, which outrank Python numbers."""
    try:
        return dtypes.promote([_dtype_and_priority(tensor), _dtype_and_priority(other)])
    except (TypeError, AttributeError):
        raise TypeError(f"result_type(): expected Tensors or numbers, got {type(tensor).__name__} and "
                        f"{type(other).__name__}") from None


def can_cast(from_: Any, to: Any) -> bool:
    """Whether the type promotion rules allow converting ``from_`` to ``to``: never to a lower category
    (floating to integer, or anything but bool to bool); any width within or above the category is allowed."""
    a, b = _dtype("can_cast", from_), _dtype("can_cast", to)
    return dtypes.category(a) <= dtypes.category(b)
