"""Validation of the optimizers' constructor arguments, with PyTorch's wording after the optimizer's name.

Each optimizer calls :func:`check_hyperparameters` once with its numeric arguments, in the order PyTorch checks
them (so that the first bad one is the one PyTorch reports), and :func:`check_implementation_flags` with its
implementation switches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd.tensor import Tensor


def _check_non_negative(owner: str, name: str, value: Any) -> None:
    """``value >= 0`` (NaN is rejected too); a Tensor learning rate is refused with ``TypeError``.

    (PyTorch accepts a Tensor lr for CUDA graphs; stepgrad keeps rates as floats.)
    """
    if name == "lr" and isinstance(value, Tensor):
        raise TypeError(f"{owner}: lr must be a float, but got a Tensor (Tensor learning rates are not supported)")
    if not 0.0 <= value:
        what = {"lr": "learning rate", "eps": "epsilon value"}.get(name, f"{name} value")
        raise ValueError(f"{owner}: Invalid {what}: {value} (must be >= 0)")


def _check_betas(owner: str, name: str, betas: Any) -> None:
    """``betas = (β1, β2)``: two numbers, each in [0, 1)."""
    if isinstance(betas, Tensor) or len(betas) != 2:
        raise ValueError(f"{owner}: betas must be a pair (beta1, beta2), but got {betas!r}")
    for index, beta in enumerate(betas):
        if isinstance(beta, Tensor):
            raise TypeError(f"{owner}: betas[{index}] must be a float, but got a Tensor (Tensor betas are unsupported)")
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"{owner}: Invalid beta parameter at index {index}: {beta} (must be in [0, 1))")


def _check_rho(owner: str, name: str, rho: Any) -> None:
    """Adadelta's decay rate: in [0, 1]."""
    if not 0.0 <= rho <= 1.0:
        raise ValueError(f"{owner}: Invalid rho value: {rho} (must be in [0, 1])")


def _check_etas(owner: str, name: str, etas: Any) -> None:
    """Rprop's factors ``(η-, η+)``: 0 < η- < 1 < η+."""
    if not 0.0 < etas[0] < 1.0 < etas[1]:
        raise ValueError(f"{owner}: Invalid eta values: {etas[0]}, {etas[1]} (must be 0 < etaminus < 1 < etaplus)")


_RULES: dict[str, Callable[[str, str, Any], None]] = {"betas": _check_betas, "rho": _check_rho, "etas": _check_etas}


def check_hyperparameters(owner: str, **values: Any) -> None:
    """Validate hyperparameters in the order given, each by the rule for its name; raise for the first bad one.

    ``betas``: a pair (β1, β2), each in [0, 1); ``rho``: in [0, 1]; ``etas``: 0 < η- < 1 < η+; any other name
    must be >= 0, e.g. ``ValueError("<owner>: Invalid <name> value: <v> (must be >= 0)")``.
    """
    for name, value in values.items():
        _RULES.get(name, _check_non_negative)(owner, name, value)


def check_implementation_flags(
    owner: str,
    *,
    foreach: bool | None = None,
    fused: bool | None = None,
    capturable: bool = False,
    differentiable: bool = False,
) -> None:
    """Validate PyTorch's implementation switches, which stepgrad keeps in ``param_groups`` (so state dicts match).

    ``foreach`` and ``fused`` choose among PyTorch's kernels for the same update; stepgrad has one numpy
    implementation, so any value is accepted and changes nothing (except that, as in PyTorch, both cannot be True).
    ``capturable=True`` (CUDA graph capture) and ``differentiable=True`` (recording the step for autograd) have no
    meaning here and are rejected.
    """
    if differentiable:
        raise ValueError(
            f"{owner}: differentiable=True is not supported (stepgrad runs optimizer steps under no_grad, so they are "
            "never recorded for autograd); use differentiable=False"
        )
    if capturable:
        raise ValueError(
            f"{owner}: capturable=True is not supported (it serves CUDA graph capture, and stepgrad runs on the CPU, "
            "where PyTorch rejects it as well); use capturable=False"
        )
    if fused and foreach:
        raise RuntimeError(f"{owner}: `fused` and `foreach` cannot be `True` together.")
