"""``save`` and ``load``: checkpoints as safetensors files (no pickle), written atomically.

A flat dict of name → Tensor (a ``state_dict``) is stored as safetensors tensors under those names, so other
safetensors readers see a normal weights file. Any other structure of dicts, lists, tuples, Tensors, numpy
arrays, numbers, strings, bools and ``None`` (an optimizer's ``state_dict``) is stored as its Tensors, named by
their dotted path (``state.0.exp_avg``), plus a JSON description of the structure in the file's metadata;
``load`` rebuilds it exactly: int keys stay ints, tuples stay tuples, an ``OrderedDict`` comes back as an
``OrderedDict``, and order is kept. Loaded Tensors are plain Tensors (``requires_grad=False``, as PyTorch's
``state_dict`` values are), each owning its memory.

A write goes to a temporary file in the destination folder, is flushed to disk (``fsync``) and then renamed
over the destination (``os.replace``), so an interrupted save leaves any previous file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import OrderedDict
from typing import Any

import numpy as np
import safetensors.numpy
from safetensors import safe_open

from autograd.tensor import Tensor

_FORMAT = "stepgrad"
_STRUCTURE_KEY = "stepgrad_structure"


def _contiguous(array: np.ndarray) -> np.ndarray:
    """A C-ordered array (0-d arrays stay 0-d, unlike ``np.ascontiguousarray``)."""
    return array if array.flags.c_contiguous else array.copy(order="C")


class _Encoder:
    """Walks an object, collecting its arrays under unique dotted names and describing everything else."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def name(self, path: str) -> str:
        candidate, n = path or "_", 1
        while candidate in self.arrays:
            candidate, n = f"{path}#{n}", n + 1
        return candidate

    def encode(self, value: Any, path: str) -> Any:
        if isinstance(value, (Tensor, np.ndarray)):
            key = self.name(path)
            array = value.detach().numpy() if isinstance(value, Tensor) else value
            self.arrays[key] = _contiguous(array)
            return {"t": "tensor" if isinstance(value, Tensor) else "ndarray", "k": key}
        if value is None or isinstance(value, (bool, str, np.bool_)):
            return {"t": "leaf", "v": value if not isinstance(value, np.bool_) else bool(value)}
        if isinstance(value, (int, np.integer)):
            return {"t": "int", "v": int(value)}
        if isinstance(value, (float, np.floating)):
            return {"t": "float", "v": float(value)}
        if isinstance(value, (list, tuple)):
            items = [self.encode(v, f"{path}.{i}" if path else str(i)) for i, v in enumerate(value)]
            return {"t": type(value).__name__ if type(value) in (list, tuple) else "list", "v": items}
        if isinstance(value, dict):
            pairs = [
                [self.encode_key(k), self.encode(v, f"{path}.{k}" if path else str(k))] for k, v in value.items()
            ]
            return {"t": "odict" if isinstance(value, OrderedDict) else "dict", "v": pairs}
        raise TypeError(
            f"save: cannot store an object of type {type(value).__name__} at {path or 'the top level'!r}; "
            "supported are dicts, lists, tuples, Tensors, numpy arrays, numbers, strings, bools and None"
        )

    def encode_key(self, key: Any) -> Any:
        if isinstance(key, (Tensor, np.ndarray, list, dict)):
            raise TypeError(f"save: dict keys must be str, int, float, bool, None or tuple, not {type(key).__name__}")
        return self.encode(key, "")


def _decode(node: Any, read: Any) -> Any:
    kind, value = node["t"], node.get("v")
    if kind == "tensor":
        return Tensor._make(read(node["k"]))
    if kind == "ndarray":
        return read(node["k"])
    if kind == "leaf":
        return value
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind in ("list", "tuple"):
        items = [_decode(v, read) for v in value]
        return items if kind == "list" else tuple(items)
    if kind in ("dict", "odict"):
        pairs = [(_decode(k, read), _decode(v, read)) for k, v in value]
        return OrderedDict(pairs) if kind == "odict" else dict(pairs)
    raise ValueError(f"unknown node kind {kind!r}")


def _flat_tensor_dict(obj: Any) -> bool:
    return isinstance(obj, dict) and all(isinstance(k, str) and isinstance(v, Tensor) for k, v in obj.items())


def save(obj: Any, f: str | os.PathLike) -> None:
    """Write ``obj`` to the safetensors file ``f`` atomically (see the module docstring for what is stored).

    Raises
    ------
    TypeError
        When ``obj`` holds something other than dicts, lists, tuples, Tensors, arrays, numbers, strings, None.
    """
    path = os.fspath(f)
    encoder = _Encoder()
    if _flat_tensor_dict(obj):
        for key, value in obj.items():
            encoder.arrays[key] = _contiguous(value.detach().numpy())
        structure = {"t": "odict" if isinstance(obj, OrderedDict) else "dict",
                     "v": [[{"t": "leaf", "v": k}, {"t": "tensor", "k": k}] for k in obj]}
    else:
        structure = encoder.encode(obj, "")
    metadata = {"format": _FORMAT, _STRUCTURE_KEY: json.dumps(structure)}
    payload = safetensors.numpy.save(encoder.arrays, metadata=metadata)
    _write_atomically(path, payload)


def _write_atomically(path: str, payload: bytes) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load(f: str | os.PathLike, map_location: Any = None, *, weights_only: bool = True) -> Any:
    """Read an object written by ``save`` (or any safetensors file: then a dict of name → Tensor).

    ``map_location`` and ``weights_only`` are accepted for compatibility with ``torch.load`` and ignored:
    everything lives on the CPU, and a safetensors file can only hold data.

    Raises
    ------
    FileNotFoundError
        When ``f`` does not exist.
    RuntimeError
        When ``f`` is not a readable safetensors file (truncated or corrupt), naming the file.
    """
    path = os.fspath(f)
    if not os.path.exists(path):
        raise FileNotFoundError(f"load: no such file: {path!r}")
    try:
        with safe_open(path, framework="np") as handle:
            metadata = handle.metadata() or {}
            arrays = {key: np.array(handle.get_tensor(key)) for key in handle.keys()}
        if _STRUCTURE_KEY not in metadata:
            return {key: Tensor._make(array) for key, array in arrays.items()}
        return _decode(json.loads(metadata[_STRUCTURE_KEY]), arrays.__getitem__)
    except Exception as err:
        raise RuntimeError(
            f"load: {path!r} is not a valid stepgrad/safetensors checkpoint (truncated or corrupt file?): {err}"
        ) from err
