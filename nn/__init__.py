"""stepgrad's ``nn`` (``torch.nn``): modules, layers, losses, initialisation and utilities."""

from nn import functional, init, utils
from nn.activation import (
    ELU,
    GELU,
    GLU,
    SELU,
    Hardtanh,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softmax2d,
    Softmin,
    Softplus,
    Tanh,
)
from nn.activation_piecewise import Hardshrink, Hardsigmoid, Hardswish, PReLU, ReLU6, RReLU, Softshrink, Threshold
from nn.activation_smooth import CELU, LogSigmoid, Mish, Softsign, Tanhshrink
from nn.attention import MultiheadAttention
from nn.channelshuffle import ChannelShuffle
from nn.container import ModuleDict, ModuleList, Sequential
from nn.conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from nn.distance import CosineSimilarity, PairwiseDistance
from nn.dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from nn.flatten import Flatten, Unflatten
from nn.fold import Fold, Unfold
from nn.instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from nn.lazy import (
    LazyBatchNorm1d,
    LazyBatchNorm2d,
    LazyBatchNorm3d,
    LazyConv1d,
    LazyConv2d,
    LazyConvTranspose1d,
    LazyConvTranspose2d,
    LazyInstanceNorm1d,
    LazyInstanceNorm2d,
    LazyInstanceNorm3d,
    LazyLinear,
    LazyModuleMixin,
)
from nn.linear import Bilinear, Identity, Linear, NonDynamicallyQuantizableLinear
from nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    CTCLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MarginRankingLoss,
    MSELoss,
    MultiLabelMarginLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    NLLLoss,
    PoissonNLLLoss,
    SmoothL1Loss,
    SoftMarginLoss,
    TripletMarginLoss,
    TripletMarginWithDistanceLoss,
)
from nn.module import Module, RemovableHandle
from nn.normalization import BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, LayerNorm, LocalResponseNorm, RMSNorm
from nn.padding import (
    CircularPad1d,
    CircularPad2d,
    CircularPad3d,
    ConstantPad1d,
    ConstantPad2d,
    ConstantPad3d,
    ReflectionPad1d,
    ReflectionPad2d,
    ReflectionPad3d,
    ReplicationPad1d,
    ReplicationPad2d,
    ReplicationPad3d,
    ZeroPad1d,
    ZeroPad2d,
    ZeroPad3d,
)
from nn.parameter import Buffer, Parameter, UninitializedBuffer, UninitializedParameter
from nn.parameter_containers import ParameterDict, ParameterList
from nn.pixelshuffle import PixelShuffle, PixelUnshuffle
from nn.pooling import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    LPPool1d,
    LPPool2d,
    MaxPool1d,
    MaxPool2d,
    MaxUnpool1d,
    MaxUnpool2d,
    Upsample,
    UpsamplingNearest2d,
)
from nn.rnn import GRU, LSTM, RNN, RNNBase
from nn.rnn_cells import GRUCell, LSTMCell, RNNCell, RNNCellBase
from nn.sparse import Embedding, EmbeddingBag
from nn.summary import summary
from nn.transformer import Transformer, TransformerDecoder, TransformerEncoder
from nn.transformer_layers import TransformerDecoderLayer, TransformerEncoderLayer

__all__ = [name for name in dir() if not name.startswith("_")]
