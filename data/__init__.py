"""Datasets, batching, transforms, metrics and the bundled MNIST: torch.utils.data and torchvision, on numpy.

Imports nothing from nn or optim; hands out ``autograd.Tensor`` batches built from numpy arrays.
"""

from . import metrics, synthetic, transforms
from .collate import default_collate, default_convert
from .dataset import ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset, random_split
from .idx import ChecksumError, CorruptFileError
from .loader import DataLoader
from .mnist import MNIST, FashionMNIST
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "MNIST",
    "BatchSampler",
    "ChecksumError",
    "ConcatDataset",
    "CorruptFileError",
    "DataLoader",
    "Dataset",
    "FashionMNIST",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "default_collate",
    "default_convert",
    "metrics",
    "random_split",
    "synthetic",
    "transforms",
]
