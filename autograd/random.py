"""Random number generation: one global generator (``manual_seed``) and ``Generator`` objects."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import wrap
from autograd.ops.shape import size_arg

# PyTorch seeds its default generator with this constant, so a program without manual_seed is repeatable.
_DEFAULT_SEED = 67280421310721


class Generator:
    """A stream of random numbers (``torch.Generator``); ``numpy_rng`` is the numpy generator underneath."""

    def __init__(self, device: str = "cpu") -> None:
        self.manual_seed(_DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        """Restart the stream from ``seed``: the same seed gives the same numbers."""
        seed = int(seed)
        self._seed = seed
        self.numpy_rng = np.random.default_rng(seed & 0xFFFFFFFFFFFFFFFF)
        return self

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> dict:
        return self.numpy_rng.bit_generator.state

    def set_state(self, state: dict) -> Generator:
        self.numpy_rng.bit_generator.state = state
        return self


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the global generator (used by every random function without ``generator=``)."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the global generator from the operating system's entropy; returns the seed."""
    value = int(np.random.SeedSequence().entropy) & 0x7FFFFFFFFFFFFFFF
    manual_seed(value)
    return value


def initial_seed() -> int:
    return default_generator.initial_seed()


def rng_of(generator: Generator | None) -> np.random.Generator:
    return (generator or default_generator).numpy_rng


def _float_dtype(dtype: Any) -> np.dtype:
    dtype = dtypes.to_dtype(dtype) if dtype is not None else dtypes.DEFAULT_FLOAT
    if dtype.kind != "f":
        raise TypeError(f"expected a floating dtype for random floats, got {dtype}")
    return dtype


def _finish(array: np.ndarray, requires_grad: bool) -> Any:
    t = wrap(array)
    return t.requires_grad_(True) if requires_grad else t


def rand(*size: Any, generator: Generator | None = None, dtype: Any = None, requires_grad: bool = False) -> Any:
    """Uniform samples on [0, 1)."""
    dtype = _float_dtype(dtype)
    array = rng_of(generator).random(size_arg(size), dtype=np.float64).astype(dtype)
    return _finish(array, requires_grad)


def randn(*size: Any, generator: Generator | None = None, dtype: Any = None, requires_grad: bool = False) -> Any:
    """Standard normal samples."""
    dtype = _float_dtype(dtype)
    array = rng_of(generator).standard_normal(size_arg(size)).astype(dtype)
    return _finish(array, requires_grad)


def randint(
    low: int, high: int | None = None, size: Any = None, *, generator: Generator | None = None, dtype: Any = None
) -> Any:
    """Integers uniform on [low, high); ``randint(high, size)`` starts at 0, as in PyTorch."""
    if size is None:
        if high is None or not isinstance(high, (tuple, list)):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if high <= low:
        raise RuntimeError(f"randint: expected low < high, got low={low}, high={high}")
    array = rng_of(generator).integers(low, high, size=tuple(size))
    return wrap(array.astype(dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64))


def randperm(n: int, *, generator: Generator | None = None, dtype: Any = None) -> Any:
    """A random permutation of 0 .. n-1."""
    array = rng_of(generator).permutation(int(n))
    return wrap(array.astype(dtypes.to_dtype(dtype) if dtype is not None else dtypes.int64))


def rand_like(input: Any, *, dtype: Any = None, requires_grad: bool = False) -> Any:
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input: Any, *, dtype: Any = None, requires_grad: bool = False) -> Any:
    return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def uniform_(tensor: Any, a: float = 0.0, b: float = 1.0, generator: Generator | None = None) -> Any:
    """Fill ``tensor`` in place with samples uniform on [a, b)."""
    tensor._check_inplace("uniform_")
    tensor._data[...] = rng_of(generator).uniform(a, b, tensor.shape)
    return tensor._bump()


def normal_(tensor: Any, mean: float = 0.0, std: float = 1.0, generator: Generator | None = None) -> Any:
    """Fill ``tensor`` in place with samples from N(mean, std**2)."""
    tensor._check_inplace("normal_")
    tensor._data[...] = rng_of(generator).normal(mean, std, tensor.shape)
    return tensor._bump()


def randint_like(input: Any, low: int = 0, high: int | None = None, *, generator: Generator | None = None,
                 dtype: Any = None) -> Any:
    """Integers uniform on [low, high) of ``input``'s shape and dtype; ``randint_like(input, high)`` starts at 0."""
    if high is None:
        low, high = 0, low
    array = randint(low, high, tuple(input.shape), generator=generator)._data
    return wrap(array.astype(dtypes.to_dtype(dtype) if dtype is not None else input.dtype))


def _probabilities(op: str, input: Any) -> np.ndarray:
    if not hasattr(input, "_data") or input.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating point tensor, got {getattr(input, 'dtype', type(input))}")
    return input._data


def bernoulli(input: Any, p: float | None = None, *, generator: Generator | None = None) -> Any:
    """0/1 samples of ``input``'s shape and dtype, each 1 with probability ``input`` (or ``p`` when given);
    the probabilities must lie in [0, 1]. Sampling carries no gradient."""
    probs = _probabilities("bernoulli", input)
    if p is not None:
        probs = np.full(probs.shape, float(p))
    if np.any(~((probs >= 0) & (probs <= 1))):
        raise RuntimeError("bernoulli: expected all probabilities to be in [0, 1] (and not NaN)")
    draws = rng_of(generator).random(probs.shape) < probs
    return wrap(draws.astype(input.dtype))


def poisson(input: Any, generator: Generator | None = None) -> Any:
    """Samples of ``input``'s shape and dtype from Poisson distributions with the rates ``input`` (>= 0).
    Sampling carries no gradient."""
    rates = _probabilities("poisson", input)
    if np.any(~(rates >= 0)):
        raise RuntimeError("poisson: expected all rates to be non-negative (and not NaN)")
    return wrap(rng_of(generator).poisson(rates).astype(input.dtype))


# The global generator's state as bytes: PCG64's 128-bit state and increment, then numpy's buffered 32-bit
# half-draw (a flag and the value), all little-endian.
_STATE_LAYOUT = ((16, "state"), (16, "inc"), (4, "has_uint32"), (4, "uinteger"))
_STATE_BYTES = sum(n for n, _ in _STATE_LAYOUT)


def get_rng_state() -> Any:
    """The global generator's state as a uint8 tensor of 40 bytes (``set_rng_state`` restores it).

    PyTorch's state is its Mersenne Twister's (5056 bytes); stepgrad's generator is numpy's PCG64, so the bytes
    are its 128-bit state and increment and the buffered half-draw, little-endian.
    """
    state = default_generator.get_state()
    fields = {**state["state"], "has_uint32": state["has_uint32"], "uinteger": state["uinteger"]}
    raw = b"".join(int(fields[name]).to_bytes(n, "little") for n, name in _STATE_LAYOUT)
    return wrap(np.frombuffer(raw, dtype=np.uint8).copy())


def set_rng_state(new_state: Any) -> None:
    """Restore the global generator from a state returned by ``get_rng_state`` (the following draws repeat).

    TypeError unless ``new_state`` is a uint8 tensor; RuntimeError unless it holds exactly 40 bytes.
    """
    if not hasattr(new_state, "_data") or new_state.dtype != np.uint8:
        raise TypeError(f"set_rng_state: RNG state must be a uint8 Tensor (a torch.ByteTensor), got "
                        f"{getattr(new_state, 'dtype', type(new_state).__name__)}")
    raw = new_state._data.tobytes()
    if len(raw) != _STATE_BYTES:
        raise RuntimeError(f"set_rng_state: invalid PCG64 state: expected {_STATE_BYTES} bytes, got {len(raw)}")
    fields, offset = {}, 0
    for n, name in _STATE_LAYOUT:
        fields[name] = int.from_bytes(raw[offset:offset + n], "little")
        offset += n
    default_generator.set_state({"bit_generator": "PCG64", "state": {"state": fields["state"], "inc": fields["inc"]},
                                 "has_uint32": fields["has_uint32"], "uinteger": fields["uinteger"]})
