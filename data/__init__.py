"""Datasets, batching, transforms, metrics and the bundled MNIST: torch.utils.data and torchvision, on numpy.

Imports nothing from nn or optim; hands out ``autograd.Tensor`` batches built from numpy arrays.
"""

from . import metrics, synthetic, transforms
from .collate import default_collate, default_convert
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
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
from .worker import WorkerInfo, get_worker_info

__all__ = [
    "MNIST",
    "BatchSampler",
    "ChainDataset",
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
    "StackDataset",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerInfo",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "metrics",
    "random_split",
    "synthetic",
    "transforms",
]
