"""``torch.autograd``'s namespace: ``autograd.autograd.grad`` and the like, for code written against
``torch.autograd.X``. Every name is the object ``autograd`` itself exports (no second implementation)."""

from autograd.anomaly import detect_anomaly, set_detect_anomaly
from autograd.autograd_api import backward, grad
from autograd.function import Function
from autograd.grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = [
    "GradcheckError",
    "Function",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
]
