"""Image transforms in the style of torchvision.transforms, on numpy.

Images come in two forms. Before ``ToTensor`` an image is an ndarray of shape (H, W) or (H, W, C), usually
uint8 in [0, 255] (the role a PIL image plays in torchvision; ``data.MNIST`` hands out (28, 28) uint8 arrays).
After ``ToTensor`` it is a float Tensor of shape (C, H, W), or (..., C, H, W) for a batch. The random
transforms accept either form and return the same form; they draw from the global
``autograd.default_generator`` unless given an explicit ``generator`` (an extra keyword-only argument that
torchvision does not have).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import autograd

from ._convert import is_tensor, numpy_rng, to_numpy, to_tensor


class Compose:
    """Apply ``transforms`` one after the other: ``Compose([f, g])(x) == g(f(x))``."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, image: Any) -> Any:
        for transform in self.transforms:
            image = transform(image)
        return image

    def __repr__(self) -> str:
        lines = "".join(f"\n    {t!r}" for t in self.transforms)
        return f"{type(self).__name__}({lines}\n)"


class ToTensor:
    """ndarray image (H, W) or (H, W, C) -> Tensor (C, H, W); uint8 is scaled to [0, 1] in the default dtype.

    As torchvision: a uint8 array becomes ``x / 255`` in ``autograd.get_default_dtype()`` (float32 unless
    ``autograd.set_default_dtype`` changed it); an array of any other dtype keeps its dtype and
    values and is only moved to channels-first. A 2-D array gets one channel, (H, W) -> (1, H, W).
    """

    def __call__(self, pic: np.ndarray) -> autograd.Tensor:
        if not isinstance(pic, np.ndarray):
            raise TypeError(f"ToTensor: pic should be an ndarray of shape (H, W) or (H, W, C), "
                            f"got {type(pic).__name__}")
        if pic.ndim not in (2, 3):
            raise ValueError(f"ToTensor: pic should be 2- or 3-dimensional, got shape {pic.shape}")
        chw = pic[None] if pic.ndim == 2 else pic.transpose(2, 0, 1)
        if pic.dtype == np.uint8:
            dtype = autograd.get_default_dtype()
            return to_tensor(np.ascontiguousarray(chw, dtype=dtype) / dtype.type(255))
        return to_tensor(np.array(chw, order="C"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Normalize:
    """Per-channel standardisation of a float Tensor (..., C, H, W): ``out[c] = (x[c] - mean[c]) / std[c]``.

    Parameters
    ----------
    mean, std : sequence of float, length C (or one float for every channel)
    inplace : bool, default False
        Write the result into the input Tensor (``Tensor.copy_``, so its version counter moves) and return it.
    """

    def __init__(self, mean: Sequence[float] | float, std: Sequence[float] | float,
                 inplace: bool = False) -> None:
        self.mean = mean
        self.std = std
        self.inplace = inplace

    def __call__(self, tensor: autograd.Tensor) -> autograd.Tensor:
        if not is_tensor(tensor):
            raise TypeError(f"Normalize: expected a Tensor image (..., C, H, W), got {type(tensor).__name__}")
        array = to_numpy(tensor)
        if not np.issubdtype(array.dtype, np.floating):
            raise TypeError(f"Normalize: input tensor should be a float tensor, got {array.dtype}")
        if array.ndim < 3:
            raise ValueError(f"Normalize: expected a tensor image of shape (..., C, H, W), got {array.shape}")
        mean = np.asarray(self.mean, dtype=array.dtype).reshape(-1, 1, 1)
        std = np.asarray(self.std, dtype=array.dtype).reshape(-1, 1, 1)
        if np.any(std == 0):
            raise ValueError(f"Normalize: std {self.std} contains a zero, which would divide by zero")
        normalized = to_tensor((array - mean) / std)
        return tensor.copy_(normalized) if self.inplace else normalized

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean}, std={self.std})"


class Lambda:
    """Apply a user-defined function: ``Lambda(f)(x) == f(x)``."""

    def __init__(self, lambd: Callable[[Any], Any]) -> None:
        if not callable(lambd):
            raise TypeError(f"Lambda: argument should be callable, got {type(lambd).__name__}")
        self.lambd = lambd

    def __call__(self, image: Any) -> Any:
        return self.lambd(image)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({getattr(self.lambd, '__name__', repr(self.lambd))})"


class GaussianNoise:
    """Add independent Gaussian noise to every element: ``out = x + mean + sigma * z``, ``z ~ N(0, 1)``.

    A training-time augmentation for float images in [0, 1], as ``torchvision.transforms.v2.GaussianNoise``.

    Parameters
    ----------
    mean : float, default 0.0
    sigma : float, default 0.1
        Standard deviation of the noise.
    clip : bool, default True
        Clip the result to [0, 1].
    generator : autograd.Generator, optional, keyword-only
    """

    def __init__(self, mean: float = 0.0, sigma: float = 0.1, clip: bool = True, *,
                 generator: autograd.Generator | None = None) -> None:
        if sigma < 0:
            raise ValueError(f"GaussianNoise: sigma should be non-negative, got {sigma}")
        self.mean = mean
        self.sigma = sigma
        self.clip = clip
        self.generator = generator

    def __call__(self, image: autograd.Tensor | np.ndarray) -> autograd.Tensor | np.ndarray:
        array = to_numpy(image)
        if not np.issubdtype(array.dtype, np.floating):
            raise TypeError(f"GaussianNoise: input should be a float image, got dtype {array.dtype}")
        noise = numpy_rng(self.generator).normal(self.mean, self.sigma, size=array.shape)
        out = (array + noise).astype(array.dtype, copy=False)
        if self.clip:
            np.clip(out, 0, 1, out=out)
        return to_tensor(out) if is_tensor(image) else out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean}, sigma={self.sigma}, clip={self.clip})"


def _spatial_first(image: Any) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """View ``image`` as an array (..., H, W) and return it with the function that restores the input form."""
    if is_tensor(image):
        return to_numpy(image), to_tensor
    if not isinstance(image, np.ndarray) or image.ndim not in (2, 3):
        raise TypeError("expected a Tensor (..., H, W) or an ndarray image (H, W) or (H, W, C), got "
                        f"{type(image).__name__} of shape {getattr(image, 'shape', None)}")
    if image.ndim == 2:
        return image, lambda out: out
    return np.moveaxis(image, 2, 0), lambda out: np.ascontiguousarray(np.moveaxis(out, 0, 2))


class RandomShift:
    """Translate the image by a random whole number of pixels in each direction, filling with ``fill``.

    The shifts ``dx`` (right) and ``dy`` (down) are drawn independently and uniformly from
    ``{-max_shift, ..., max_shift}``; ``out[y, x] = image[y - dy, x - dx]`` where that pixel exists, else
    ``fill``.
    A batch Tensor (N, C, H, W) gets one shift for the whole batch.

    Parameters
    ----------
    max_shift : int
    fill : float, default 0, keyword-only
    generator : autograd.Generator, optional, keyword-only
    """

    def __init__(self, max_shift: int, *, fill: float = 0,
                 generator: autograd.Generator | None = None) -> None:
        if int(max_shift) != max_shift or max_shift < 0:
            raise ValueError(f"RandomShift: max_shift should be a non-negative integer, got {max_shift}")
        self.max_shift = int(max_shift)
        self.fill = fill
        self.generator = generator

    def __call__(self, image: Any) -> Any:
        array, restore = _spatial_first(image)
        dx, dy = numpy_rng(self.generator).integers(-self.max_shift, self.max_shift, size=2, endpoint=True)
        return restore(shift(array, int(dx), int(dy), self.fill))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(max_shift={self.max_shift})"


def shift(image: np.ndarray, dx: int, dy: int, fill: float = 0) -> np.ndarray:
    """Move ``image`` (..., H, W) ``dx`` pixels right and ``dy`` down; uncovered pixels get ``fill``."""
    height, width = image.shape[-2:]
    out = np.full_like(image, fill)
    if abs(dx) < width and abs(dy) < height:
        out[..., max(dy, 0):height + min(dy, 0), max(dx, 0):width + min(dx, 0)] = \
            image[..., max(-dy, 0):height + min(-dy, 0), max(-dx, 0):width + min(-dx, 0)]
    return out


def affine(image: np.ndarray, angle: float, translate: tuple[float, float], scale: float, *,
           fill: float = 0) -> np.ndarray:
    """Rotate, scale and translate ``image`` (..., H, W) about its centre, nearest-neighbour sampling.

    The arguments mean what they mean in ``torchvision.transforms.functional.affine`` (without shear).

    With pixel coordinates p = (x, y) (x right, y down), centre c = ((W - 1) / 2, (H - 1) / 2), the input
    pixel at p moves to ``q = c + t + scale * R(angle) (p - c)``, where t = translate = (tx, ty) in pixels and
    R(a) = [[cos a, -sin a], [sin a, cos a]]; with y pointing down, a positive angle turns the image clockwise
    on screen. Each output pixel q takes the input pixel nearest to ``c + R(-angle) (q - c - t) / scale``, or
    ``fill`` when that lies outside the image.
    """
    height, width = image.shape[-2:]
    cx, cy = (width - 1) / 2, (height - 1) / 2
    theta = math.radians(angle)
    cos, sin = math.cos(theta) / scale, math.sin(theta) / scale
    qy, qx = np.mgrid[0:height, 0:width]
    ux, uy = qx - cx - translate[0], qy - cy - translate[1]
    px = np.floor(cos * ux + sin * uy + cx + 0.5).astype(np.intp)
    py = np.floor(-sin * ux + cos * uy + cy + 0.5).astype(np.intp)
    inside = (px >= 0) & (px < width) & (py >= 0) & (py < height)
    out = np.full_like(image, fill)
    out[..., inside] = image[..., py[inside], px[inside]]
    return out


def _range(value: float | Sequence[float], name: str) -> tuple[float, float]:
    if isinstance(value, numbers.Number):
        if value < 0:
            raise ValueError(f"RandomAffine: a single number for {name} must be non-negative, got {value}")
        return -float(value), float(value)
    low, high = value
    return float(low), float(high)


class RandomAffine:
    """Random rotation, translation and scaling about the image centre (see :func:`affine` for the maths).

    Parameters
    ----------
    degrees : float or (min, max)
        The angle is drawn uniformly from (-degrees, degrees), or from (min, max).
    translate : (a, b), optional
        Fractions of the width and height: tx is drawn uniformly from (-a * W, a * W), ty from
        (-b * H, b * H), both rounded to whole pixels. No translation if None.
    scale : (min, max), optional
        Scale factor drawn uniformly from this interval; 1 if None.
    fill : float, default 0, keyword-only
    generator : autograd.Generator, optional, keyword-only

    Notes
    -----
    As torchvision's default, sampling is nearest-neighbour; torchvision's shear, interpolation and centre
    options are not provided. A batch Tensor (N, C, H, W) gets one set of parameters for the whole batch.
    """

    def __init__(self, degrees: float | Sequence[float], translate: Sequence[float] | None = None,
                 scale: Sequence[float] | None = None, *, fill: float = 0,
                 generator: autograd.Generator | None = None) -> None:
        self.degrees = _range(degrees, "degrees")
        if translate is not None and not all(0 <= t <= 1 for t in translate):
            raise ValueError(f"RandomAffine: translation values should be between 0 and 1, got {translate}")
        if scale is not None and not all(s > 0 for s in scale):
            raise ValueError(f"RandomAffine: scale values should be positive, got {scale}")
        self.translate = translate
        self.scale = scale
        self.fill = fill
        self.generator = generator

    def __call__(self, image: Any) -> Any:
        array, restore = _spatial_first(image)
        height, width = array.shape[-2:]
        rng = numpy_rng(self.generator)
        angle = rng.uniform(*self.degrees)
        tx = ty = 0
        if self.translate is not None:
            max_dx, max_dy = self.translate[0] * width, self.translate[1] * height
            tx, ty = round(rng.uniform(-max_dx, max_dx)), round(rng.uniform(-max_dy, max_dy))
        scale = 1.0 if self.scale is None else rng.uniform(*self.scale)
        return restore(affine(array, angle, (tx, ty), scale, fill=self.fill))

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(degrees={self.degrees}, translate={self.translate}, "
                f"scale={self.scale})")
