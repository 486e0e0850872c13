"""The rest of ``torch``'s top-level namespace that ``autograd`` re-exports, gathered from the modules that
define them (so code written against ``torch.*`` runs with ``import autograd as torch``): PyTorch's other
names of ops, broadcasting, predicates, mode queries, creation and sampling functions, RNG state, print
options and thread counts. Nothing is defined here.
"""

from autograd.anomaly import is_anomaly_check_nan_enabled, is_anomaly_enabled
from autograd.creation import logspace, scalar_tensor
from autograd.grad_mode import is_inference_mode_enabled
from autograd.ops.aliases import *  # noqa: F403
from autograd.ops.aliases import __all__ as _aliases
from autograd.ops.broadcasting import broadcast_shapes, broadcast_tensors
from autograd.ops.predicates import *  # noqa: F403
from autograd.ops.predicates import __all__ as _predicates
from autograd.random import get_rng_state, set_rng_state
from autograd.sampling import multinomial, normal
from autograd.tensor_format import set_printoptions
from autograd.threads import get_num_threads, set_num_threads

__all__ = [
    *_aliases, *_predicates, "broadcast_shapes", "broadcast_tensors", "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled", "is_inference_mode_enabled", "logspace", "scalar_tensor", "get_rng_state",
    "set_rng_state", "multinomial", "normal", "set_printoptions",
    "get_num_threads", "set_num_threads",
]
