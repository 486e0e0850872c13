"""``state_dict`` and ``load_state_dict`` of ``Module``: naming, copying in place, and PyTorch's error report."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from autograd import Tensor, no_grad
from nn.parameter import Parameter

if TYPE_CHECKING:
    from nn.module import Module


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict`` found: keys the model has but the dict lacks, and keys the model does not know."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"


def _local_state(module: Module) -> dict[str, Tensor]:
    """The module's own parameters and persistent buffers (no children), skipping ``None`` placeholders."""
    state = {name: p for name, p in module._parameters.items() if p is not None}
    for name, buf in module._buffers.items():
        if buf is not None and name not in module._non_persistent_buffers_set:
            state[name] = buf
    return state


def state_dict(module: Module, destination: dict | None, prefix: str, keep_vars: bool) -> OrderedDict:
    if destination is None:
        destination = OrderedDict()
    for name, value in _local_state(module).items():
        destination[prefix + name] = value if keep_vars else value.detach()
    for name, child in module._modules.items():
        if child is not None:
            state_dict(child, destination, prefix + name + ".", keep_vars)
    return destination


def _shape(t: Tensor) -> str:
    return str(list(t.shape))


def _load_local(module: Module, state: Mapping, prefix: str, assign: bool, missing: list, errors: list) -> None:
    for name, current in _local_state(module).items():
        key = prefix + name
        if key not in state:
            missing.append(key)
            continue
        value = state[key]
        if not isinstance(value, Tensor):
            errors.append(
                f'While copying the parameter named "{key}", expected Tensor from checkpoint but received '
                f"{type(value).__name__}"
            )
        elif value.shape != current.shape:
            errors.append(
                f"size mismatch for {key}: copying a param with shape {_shape(value)} from checkpoint, "
                f"the shape in current model is {_shape(current)}."
            )
        elif assign:
            if name in module._parameters:
                module._parameters[name] = Parameter(value.detach(), current.requires_grad)
            else:
                module._buffers[name] = value.detach()
        else:
            with no_grad():
                current.copy_(value)


def _unexpected(module: Module, state: Mapping, prefix: str) -> list[str]:
    local = _local_state(module)
    found = []
    for key in state:
        if not key.startswith(prefix):
            continue
        head, *rest = key[len(prefix):].split(".", 1)
        if (rest and head not in module._modules) or (not rest and head not in local):
            found.append(key)
    return found


def load_state_dict(module: Module, state: Mapping[str, Any], strict: bool, assign: bool) -> IncompatibleKeys:
    if not isinstance(state, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state).__name__}.")
    missing: list[str] = []
    unexpected: list[str] = []
    errors: list[str] = []
    for prefix, sub in module.named_modules(remove_duplicate=False):
        dotted = prefix + "." if prefix else ""
        _load_local(sub, state, dotted, assign, missing, errors)
        unexpected.extend(key for key in _unexpected(sub, state, dotted) if key not in unexpected)
    if strict:
        if unexpected:
            errors.insert(0, "Unexpected key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in unexpected)))
        if missing:
            errors.insert(0, "Missing key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in missing)))
    if errors:
        raise RuntimeError(
            "Error(s) in loading state_dict for {}:\n\t{}".format(type(module).__name__, "\n\t".join(errors))
        )
    return IncompatibleKeys(missing, unexpected)

