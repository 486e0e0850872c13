"""The descriptions of constructor arguments that several optimizers share, written once.

An optimizer's docstring names a shared argument by a line that holds only ``{name}`` (or ``{name, name, ...}``)
where its entry belongs in the NumPy-style ``Parameters`` section; :func:`shared_parameter_docs` puts the entries
there, indented like that line (as PyTorch assembles its optimizers' docstrings from ``_maximize_doc`` and the like).
"""

from __future__ import annotations

import re
from typing import TypeVar

T = TypeVar("T", bound=type)

_ENTRIES = {
    "params": """params : iterable of Tensor or of dict
    Tensors to optimize, or parameter groups.""",
    "lr": """lr : float
    Learning rate γ.""",
    "betas": """betas : (float, float)
    Decay rates β1, β2 of the first and second moment estimates, each in [0, 1).""",
    "eps": """eps : float
    Added to the denominator for numerical stability.""",
    "weight_decay": """weight_decay : float
    L2 penalty λ (adds λθ to the gradient).""",
    "adam_weight_decay": """weight_decay : float
    Weight decay λ: an L2 penalty added to the gradient, or with ``decoupled_weight_decay`` a shrinking of
    the parameter by γλ each step (as AdamW does).""",
    "decoupled_weight_decay": """decoupled_weight_decay : bool
    Decouple the weight decay from the moments, as AdamW does.""",
    "maximize": """maximize : bool
    Ascend the objective instead of descending it.""",
    "foreach": """foreach : bool or None
    PyTorch's kernel choice; accepted and kept in ``param_groups``, without effect (one numpy implementation).""",
    "fused": """fused : bool or None
    Another of PyTorch's kernel choices; accepted and kept in ``param_groups``, without effect.""",
    "capturable": """capturable : bool
    Must be False: it serves CUDA graph capture, which has no meaning on the CPU.""",
    "differentiable": """differentiable : bool
    Must be False: steps are not recorded for autograd.""",
}

_PLACEHOLDER = re.compile(r"^( *)\{([a-z_, ]+)\}$", re.MULTILINE)


def shared_parameter_docs(cls: T) -> T:
    """Class decorator: replace each ``{name, ...}`` line of the class docstring by those shared entries."""

    def entries(match: re.Match[str]) -> str:
        indent, names = match.groups()
        text = "\n".join(_ENTRIES[name.strip()] for name in names.split(","))
        return "\n".join(indent + line for line in text.splitlines())

    if cls.__doc__ is not None:  # None under python -OO
        cls.__doc__ = _PLACEHOLDER.sub(entries, cls.__doc__)
    return cls
