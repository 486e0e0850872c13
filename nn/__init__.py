"""stepgrad's ``nn`` (``torch.nn``): modules, layers, losses, initialisation and utilities."""

from nn import functional, init, utils
from nn.activation import (
    ELU,
    GELU,
    SELU,
    Hardtanh,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
)
from nn.container import ModuleDict, ModuleList, Sequential
from nn.conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from nn.dropout import Dropout, Dropout2d
from nn.flatten import Flatten, Unflatten
from nn.linear import Bilinear, Identity, Linear
from nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)
from nn.module import Module, RemovableHandle
from nn.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from nn.parameter import Parameter
from nn.pooling import (
    AdaptiveAvgPool2d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    MaxPool1d,
    MaxPool2d,
    MaxUnpool2d,
    Upsample,
)
from nn.sparse import Embedding
from nn.summary import summary

__all__ = [name for name in dir() if not name.startswith("_")]
