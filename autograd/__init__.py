"""stepgrad's autograd: Tensors that record operations, and reverse-mode differentiation through them.

The public surface follows ``torch`` and ``torch.autograd``: ``autograd.tensor``, ``autograd.zeros``,
``x.backward()``, ``autograd.grad``, ``autograd.no_grad``, ``autograd.Function`` and so on.
"""

from autograd.dtypes import (
    bool_,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
)

from autograd.tensor import Tensor  # isort: skip  (the ops below depend on it)
from autograd import linalg, special, trace, viz  # torch.linalg's/torch.special's namespaces; graph pictures, tracer
from autograd.anomaly import detect_anomaly, set_detect_anomaly
from autograd.autograd_api import backward, grad
from autograd.creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from autograd.dtype_info import *
from autograd.engine import add_listener, traverse
from autograd.function import Function
from autograd.grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.learner import learner_checks, set_learner_checks

# Each op module lists its functional forms in __all__.
from autograd.ops.activation import *
from autograd.ops.adaptive_pooling import *
from autograd.ops.arithmetic import *
from autograd.ops.basic import *
from autograd.ops.bessel import *
from autograd.ops.comparison import *
from autograd.ops.conv import *
from autograd.ops.covariance import *
from autograd.ops.diagonal import *
from autograd.ops.distances import *
from autograd.ops.elementwise import *
from autograd.ops.extremes import *
from autograd.ops.float_binary import *
from autograd.ops.fused import *
from autograd.ops.gamma import *
from autograd.ops.index_writes import *
from autograd.ops.indexing import *
from autograd.ops.integer_float import *
from autograd.ops.linalg import *
from autograd.ops.linalg_inverse import *
from autograd.ops.nan_reductions import *
from autograd.ops.nn_ops import *
from autograd.ops.order_statistics import *
from autograd.ops.piecewise import *
from autograd.ops.pooling import *
from autograd.ops.products import *
from autograd.ops.quantiles import *
from autograd.ops.reduction import *
from autograd.ops.scans import *
from autograd.ops.scatter_views import *
from autograd.ops.searching import *
from autograd.ops.selection import *
from autograd.ops.shape import *
from autograd.ops.special import *
from autograd.ops.splitting import *
from autograd.ops.stacking import *
from autograd.ops.statistics import *
from autograd.ops.trigonometric import *
from autograd.random import (
    Generator,
    bernoulli,
    default_generator,
    initial_seed,
    manual_seed,
    poisson,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    seed,
)
from autograd.serialization import load, save
from autograd.torch_compat import *

from autograd import autograd  # isort: skip  (torch.autograd's namespace: autograd.autograd.grad)

bool = bool_  # noqa: A001  (PyTorch's name: autograd.bool)
float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001

__all__ = [name for name in dir() if not name.startswith("_")]
