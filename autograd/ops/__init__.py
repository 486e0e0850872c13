"""Every differentiable op of stepgrad, one ``Function`` each, registered with sample inputs."""

from autograd.ops import (
    activation,
    adaptive_pooling,
    arithmetic,
    basic,
    comparison,
    conv,
    elementwise,
    indexing,
    linalg,
    losses,
    nn_ops,
    pooling,
    reduction,
    shape,
    statistics,
)
from autograd.ops.registry import REGISTRY, Sample, register_op

__all__ = [
    "REGISTRY",
    "Sample",
    "register_op",
    "activation",
    "adaptive_pooling",
    "arithmetic",
    "basic",
    "comparison",
    "conv",
    "elementwise",
    "indexing",
    "linalg",
    "losses",
    "nn_ops",
    "pooling",
    "reduction",
    "shape",
    "statistics",
]
