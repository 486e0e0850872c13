"""Datasets, batching, transforms, metrics and the bundled MNIST: torch.utils.data and torchvision, on numpy.

Imports nothing from nn or optim; hands out ``autograd.Tensor`` batches built from numpy arrays.
"""

from . import metrics, synthetic, transforms
from .collate import default_collate
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .idx import ChecksumError, CorruptFileError
from .loader import DataLoader
from .mnist import MNIST, FashionMNIST

__all__ = [
    "MNIST",
    "ChecksumError",
    "ConcatDataset",
    "CorruptFileError",
    "DataLoader",
    "Dataset",
    "FashionMNIST",
    "Subset",
    "TensorDataset",
    "default_collate",
    "metrics",
    "random_split",
    "synthetic",
    "transforms",
]
