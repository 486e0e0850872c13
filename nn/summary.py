"""``nn.summary``: a table of a model's layers, their output shapes and parameter counts."""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Tensor, no_grad
from nn.container import ModuleDict, ModuleList, Sequential
from nn.module import Module

_RULE = "-" * 72


def _shape_text(output: Any) -> str:
    if isinstance(output, Tensor):
        return str([-1, *output.shape[1:]]) if output.ndim else "[]"
    if isinstance(output, (tuple, list)):
        return ", ".join(_shape_text(o) for o in output)
    return type(output).__name__


def summary(model: Module, input_size: Any, batch_size: int = 2, dtype: Any = None) -> str:
    """Run ``model`` once on zeros of shape (batch_size, *input_size) and tabulate every layer it called.

    Parameters
    ----------
    model : Module
    input_size : tuple of int, or list of tuples for several inputs
        Shape of one sample, without the batch dimension (e.g. (1, 28, 28)).
    batch_size : int
        Rows of the zero input (2, so that batch normalisation in training mode works).
    dtype : dtype, optional
        Dtype of the zero input(s) (default: the default dtype, ``autograd.get_default_dtype()``; integer for an
        ``Embedding`` input).

    Returns
    -------
    str
        The table (print it to see it): one row per layer (name and type, output shape with -1 for the batch
        dimension, the layer's own parameter count), then total, trainable and non-trainable parameters.
        Containers (Sequential, ModuleList, ModuleDict) and the model itself get no row.
    """
    sizes = [input_size] if not input_size or not isinstance(input_size[0], (tuple, list)) else list(input_size)
    inputs = [autograd.zeros(batch_size, *size, dtype=dtype) for size in sizes]
    rows: dict[int, list[str]] = {}
    handles = []
    for name, module in model.named_modules():
        if module is model or isinstance(module, (Sequential, ModuleList, ModuleDict)):
            continue
        count = sum(p.numel() for p in module.parameters(recurse=False))

        def pre_hook(mod: Module, args: Any, name: str = name, count: int = count) -> None:
            rows.setdefault(id(mod), [f"{name} ({type(mod).__name__})", "", f"{count:,}"])

        def hook(mod: Module, args: Any, output: Any) -> None:
            rows[id(mod)][1] = _shape_text(output)

        handles += [module.register_forward_pre_hook(pre_hook), module.register_forward_hook(hook)]
    modes = {id(m): m.training for m in model.modules()}
    try:
        model.eval()
        with no_grad():
            model(*inputs)
    finally:
        for handle in handles:
            handle.remove()
        for m in model.modules():
            m.training = modes[id(m)]
    params = {id(p): p for p in model.parameters()}.values()
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    lines = [_RULE, f"{'Layer (type)':<32}{'Output Shape':>24}{'Param #':>16}", "=" * 72]
    lines += [f"{layer:<32}{shape:>24}{count:>16}" for layer, shape, count in rows.values()]
    lines += ["=" * 72, f"Total params: {total:,}", f"Trainable params: {trainable:,}",
              f"Non-trainable params: {total - trainable:,}", _RULE]
    return "\n".join(lines)
