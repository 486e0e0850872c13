"""default_collate: turn a list of samples into one batch, recursively, as PyTorch's default_collate does."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, MutableSequence, Sequence
from typing import Any

import numpy as np

import autograd

from ._convert import is_tensor, to_tensor

_UNSUPPORTED_DTYPE_KINDS = re.compile("[SaUO]")  # byte strings, unicode strings and Python objects


def _stack_arrays(arrays: list[np.ndarray]) -> autograd.Tensor:
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        raise RuntimeError(f"default_collate: cannot stack samples of different shapes {sorted(shapes)}")
    return to_tensor(np.stack(arrays))


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of B samples into one batch, field by field.

    The rules follow PyTorch's ``default_collate``, element type by element type:

    ========================  ===========================================================
    sample element            batch
    ========================  ===========================================================
    Tensor, shape S           Tensor, shape (B, *S), via ``autograd.stack``
    ndarray, shape S          Tensor, shape (B, *S), same dtype
    numpy scalar              Tensor, shape (B,), same dtype
    int (and bool)            Tensor, shape (B,), int64 (bool stays bool)
    float                     Tensor, shape (B,), float32 (PyTorch gives float64)
    str or bytes              the list of B values, unchanged
    Mapping                   dict with each key's values collated
    namedtuple                same namedtuple type, each field collated
    tuple                     list with each position collated (as PyTorch)
    other sequence            same type where possible, each position collated
    ========================  ===========================================================

    Parameters
    ----------
    batch : sequence of samples, length B >= 1

    Returns
    -------
    The collated batch.

    Raises
    ------
    TypeError
        For an element type not in the table, or an ndarray of strings or objects.
    RuntimeError
        When samples of one field differ in shape, or sequences differ in length.
    """
    elem = batch[0]
    if is_tensor(elem):
        shapes = {tuple(t.shape) for t in batch}
        if len(shapes) > 1:
            raise RuntimeError(f"default_collate: cannot stack tensors of different shapes {sorted(shapes)}")
        return autograd.stack(list(batch), dim=0)
    if isinstance(elem, np.ndarray):
        if _UNSUPPORTED_DTYPE_KINDS.search(elem.dtype.str):
            raise TypeError(f"default_collate: cannot collate ndarrays of dtype {elem.dtype}")
        return _stack_arrays(list(batch))
    if isinstance(elem, np.generic) and not isinstance(elem, (np.str_, np.bytes_)):
        return to_tensor(np.asarray(batch))
    if isinstance(elem, bool):
        return to_tensor(np.asarray(batch, dtype=np.bool_))
    if isinstance(elem, int):
        return to_tensor(np.asarray(batch, dtype=np.int64))
    if isinstance(elem, float):
        return to_tensor(np.asarray(batch, dtype=np.float32))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return type(elem)(*(default_collate(list(field)) for field in zip(*batch, strict=True)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(sample) != size for sample in batch):
            raise RuntimeError("default_collate: each element in list of batch should be of equal size, got "
                               f"sizes {sorted({len(sample) for sample in batch})}")
        fields = [default_collate(list(field)) for field in zip(*batch, strict=True)]
        if isinstance(elem, tuple):
            return fields
        if isinstance(elem, MutableSequence):
            try:
                clone = copy.copy(elem)
                clone[:] = fields
                return clone
            except TypeError:
                return fields
        try:
            return type(elem)(fields)
        except TypeError:
            return fields
    raise TypeError("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
                    f"found {type(elem).__name__}")


def default_convert(data: Any) -> Any:
    """Convert one unbatched sample: ndarrays and numpy scalars become Tensors, containers are walked.

    The DataLoader's default ``collate_fn`` when automatic batching is off (``batch_size=None``).

    ========================  ===========================================================
    element                   result
    ========================  ===========================================================
    Tensor                    unchanged
    ndarray, numpy scalar     Tensor of the same dtype and shape (string/object arrays unchanged)
    Mapping                   dict with each value converted
    namedtuple                same namedtuple type, each field converted
    tuple                     list with each position converted (as PyTorch)
    other sequence            list with each position converted (str and bytes unchanged)
    anything else             unchanged (Python numbers stay numbers)
    ========================  ===========================================================
    """
    if is_tensor(data):
        return data
    if isinstance(data, np.ndarray):
        return data if _UNSUPPORTED_DTYPE_KINDS.search(data.dtype.str) else to_tensor(data)
    if isinstance(data, np.generic) and not isinstance(data, (np.str_, np.bytes_)):
        return to_tensor(np.asarray(data))
    if isinstance(data, Mapping):
        return {key: default_convert(value) for key, value in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(field) for field in data))
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(item) for item in data]
    return data
