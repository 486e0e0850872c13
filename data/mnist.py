"""MNIST and Fashion-MNIST from local gzipped IDX files, checksum-verified; nothing is ever downloaded."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ._convert import to_tensor
from .dataset import Dataset
from .idx import CorruptFileError, load_idx_gz, read_checksums

BUNDLED_MNIST = Path(__file__).resolve().parent / "mnist"
CHECKSUM_FILE = "SHA256SUMS"


class MNIST(Dataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 pixels, labels 0-9.

    Parameters
    ----------
    root : str or path, optional
        Folder holding the four ``*-idx?-ubyte.gz`` files and a ``SHA256SUMS`` file listing their digests,
        or a folder with torchvision's layout ``root/<ClassName>/raw/``. None (MNIST only) means the copy
        bundled with this package (see ``data/mnist/LICENSE.md``).
    train : bool, default True
        The training split if True, else the test split.
    transform : callable, optional
        Applied to each image, an ndarray (28, 28) uint8 (e.g. ``transforms.ToTensor()``).
    target_transform : callable, optional
        Applied to each label, an int.
    download : bool, default False
        Accepted for torchvision compatibility; True is an error, since this package never downloads.

    Attributes
    ----------
    data : Tensor, uint8, shape (N, 28, 28)
        All images of the split (read-only storage shared between instances).
    targets : Tensor, int64, shape (N,)
    classes : list of str
    class_to_idx : dict of str to int

    Raises
    ------
    FileNotFoundError
        If a data file or the checksum file is missing (the message names it).
    data.idx.ChecksumError
        If a file's SHA-256 digest differs from ``SHA256SUMS`` (the message gives expected and actual).
    data.idx.CorruptFileError
        If a file is truncated or not a gzipped IDX file of the expected shape.

    Notes
    -----
    Files are verified and decoded once per process (cached by path, size and modification time), so building
    the dataset again is cheap. ``dataset[i]`` returns ``(image, label)``: a fresh (28, 28) uint8 array and an
    int, each passed through its transform. Without transforms the DataLoader batches by fancy-indexing
    ``data`` and ``targets``; with transforms it goes sample by sample. For fast training build a
    ``TensorDataset`` from ``data`` and ``targets`` once (e.g. scaled to float32).
    """

    files = {
        True: ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        False: ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
    }
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
               "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True,
                 transform: Callable[[np.ndarray], Any] | None = None,
                 target_transform: Callable[[int], Any] | None = None, download: bool = False) -> None:
        if download:
            raise ValueError(f"{type(self).__name__}: download=True is not supported; this package never "
                             "downloads. Put the gzipped IDX files and a SHA256SUMS file in root instead.")
        self.root = self._default_root() if root is None else Path(root)
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        self._images, self._labels = self._load(self._folder())
        self.data = to_tensor(self._images)
        self.targets = to_tensor(self._labels)

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: index for index, name in enumerate(self.classes)}

    def _default_root(self) -> Path:
        return BUNDLED_MNIST

    def _folder(self) -> Path:
        raw = self.root / type(self).__name__ / "raw"
        return raw if raw.is_dir() else self.root

    def _load(self, folder: Path) -> tuple[np.ndarray, np.ndarray]:
        images_name, labels_name = self.files[bool(self.train)]
        for name in (images_name, labels_name):
            if not (folder / name).is_file():
                raise FileNotFoundError(f"{type(self).__name__}: data file {folder / name} not found "
                                        "(nothing is downloaded; copy the gzipped IDX files there)")
        checksums = read_checksums(folder / CHECKSUM_FILE)
        images = load_idx_gz(folder / images_name, checksums)
        labels = load_idx_gz(folder / labels_name, checksums)
        if images.ndim != 3 or images.dtype != np.uint8:
            raise CorruptFileError(f"{folder / images_name}: expected uint8 images of shape (N, H, W), "
                                   f"got {images.dtype} {images.shape}")
        if labels.shape != images.shape[:1] or labels.dtype != np.uint8:
            raise CorruptFileError(f"{folder / labels_name}: expected {images.shape[0]} uint8 labels to "
                                   f"match {images_name}, got {labels.dtype} {labels.shape}")
        targets = labels.astype(np.int64)
        targets.flags.writeable = False
        return images, targets

    def __len__(self) -> int:
        return self._images.shape[0]

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        image, target = self._images[index].copy(), int(self._labels[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def batch_arrays(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """Images (B, 28, 28) uint8 and labels (B,) int64 at ``indices``; None when a transform is set."""
        if self.transform is not None or self.target_transform is not None:
            return None
        return self._images[indices], self._labels[indices]

    def __repr__(self) -> str:
        split = "Train" if self.train else "Test"
        return (f"Dataset {type(self).__name__}\n    Number of datapoints: {len(self)}\n"
                f"    Root location: {self.root}\n    Split: {split}")


class FashionMNIST(MNIST):
    """Fashion-MNIST (Zalando): 28x28 grey images of 10 kinds of clothing, in MNIST's file format.

    Same interface as :class:`MNIST`, but ``root`` is required: no copy is bundled and nothing is downloaded.
    ``root`` must hold ``train-images-idx3-ubyte.gz`` and the three other files under MNIST's names, plus a
    ``SHA256SUMS`` file (or use torchvision's layout ``root/FashionMNIST/raw/``).
    """

    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    def __init__(self, root: str | os.PathLike, train: bool = True,
                 transform: Callable[[np.ndarray], Any] | None = None,
                 target_transform: Callable[[int], Any] | None = None, download: bool = False) -> None:
        super().__init__(root, train, transform, target_transform, download)

    def _default_root(self) -> Path:
        raise TypeError("FashionMNIST: root is required (no copy of Fashion-MNIST is bundled)")
