"""Every differentiable op of stepgrad, one ``Function`` each, registered with sample inputs."""

from autograd.ops import arithmetic, basic, comparison, elementwise, reduction, shape
from autograd.ops.registry import REGISTRY, Sample, register_op

__all__ = ["REGISTRY", "Sample", "register_op", "arithmetic", "basic", "comparison", "elementwise", "reduction",
           "shape"]
