"""Step through backpropagation: the backward pass one vertex at a time, the forward pass one op at a time.

Nothing here computes a gradient. ``backward_steps`` runs the engine's own ``backward`` and keeps the event the
engine emits for every vertex it processes (``autograd.engine.add_listener``); ``record`` keeps the event every
op call emits (``autograd.function.add_forward_listener``).

``backward_steps`` returns a list rather than a generator: the engine runs a backward pass in one loop and cannot
be paused, so the whole pass has run when the list is returned (PyTorch has no equivalent of this function).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import engine
from autograd.function import ForwardEvent, Node, add_forward_listener, wrap
from autograd.grad_mode import is_grad_enabled
from autograd.tensor import Tensor

__all__ = ["Step", "OpRecord", "ModuleCall", "Recording", "backward_steps", "record", "format_array"]


def format_array(value: Any, small: int = 16) -> str:
    """Numbers of a small array (a scalar, or up to ``small`` elements), else ``min/mean/max`` statistics."""
    if value is None:
        return "None"
    array = np.asarray(value)
    if array.size == 1 and array.ndim == 0:
        return _number(array.item())
    if array.size == 0:
        return f"empty{tuple(array.shape)}"
    if array.size <= small:
        return np.array2string(array, precision=4, separator=", ", floatmode="maxprec", suppress_small=True,
                               max_line_width=80).replace("\n", "")
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        return f"{tuple(array.shape)} nan={int(np.isnan(array).sum())} inf={int(np.isinf(array).sum())}"
    as_float = array.astype(np.float64)
    return (f"{tuple(array.shape)} min={_number(as_float.min())} mean={_number(as_float.mean())} "
            f"max={_number(as_float.max())}")


def _number(x: Any) -> str:
    return f"{x:.4g}" if isinstance(x, float) else str(x)


def _copy(t: Tensor | None) -> Tensor | None:
    """A detached copy, so a later ``zero_grad()`` or optimizer step cannot change what a step recorded."""
    return None if t is None else wrap(np.array(t, copy=True))


def name_table(names: Any) -> dict[int, str]:
    """``{id(tensor): name}`` from a model (``named_parameters()``), a ``{name: tensor}`` mapping or
    ``(name, tensor)`` pairs (``model.named_parameters()``); ``None`` gives an empty table."""
    if names is None:
        return {}
    if hasattr(names, "named_parameters"):
        names = names.named_parameters()
    pairs: Iterable = names.items() if isinstance(names, Mapping) else names
    table = {}
    for name, tensor in pairs:
        if not isinstance(tensor, Tensor):
            raise TypeError(f"names: expected (name, Tensor) pairs, got {name!r}: {type(tensor).__name__}")
        table[id(tensor)] = str(name)
    return table


@dataclass
class Step:
    """What backward did at one vertex, in the engine's processing order.

    Attributes
    ----------
    index : int
        Position in the backward pass (0 = the loss's own node).
    kind : str
        ``"node"``: an op's backward ran; ``"leaf"``: a leaf tensor received its gradient.
    vertex : Node or Tensor
        The op's node (``loss.grad_fn`` and the nodes behind it) or the leaf tensor.
    name : str
        ``MulBackward`` for a node; the leaf's name (from ``names``) or ``leaf`` for a leaf.
    grad_output : Tensor
        The gradient arriving at the vertex (shape of the op's output, or of the leaf).
    grad_inputs : tuple of (Tensor or None)
        Nodes only: the gradient sent to each input (``None`` where no gradient flows).
    input_names : tuple of str
        Nodes only: a label per input (its name from ``names``, else ``in0``, ``in1``...).
    grad_before, grad_after : Tensor or None
        Leaves only: ``.grad`` before and after the accumulation.
    """

    index: int
    kind: str
    vertex: Any
    name: str
    grad_output: Tensor
    grad_inputs: tuple = ()
    input_names: tuple = ()
    grad_before: Tensor | None = None
    grad_after: Tensor | None = None

    def __str__(self) -> str:
        def short(value: Any) -> str:  # a line of text: numbers up to 6 elements, statistics beyond
            return format_array(value, small=6)

        if self.kind == "leaf":
            return (f"{self.name}: grad={short(self.grad_output)}; .grad {short(self.grad_before)} "
                    f"→ {short(self.grad_after)}")
        sent = ", ".join(f"grad_{label}={short(g)}" for label, g in zip(self.input_names, self.grad_inputs))
        return f"{self.name}: grad_out={short(self.grad_output)} → {sent}"


def _input_names(node: Node, names: dict[int, str]) -> tuple[str, ...]:
    """A label per input of ``node``: its name when known, else ``in0``, ``in1``... (read during the event,
    before backward frees the node's inputs)."""
    try:
        inputs = node.inputs
    except RuntimeError:  # freed by an earlier backward, or modified in place
        inputs = node.next_edges
    return tuple(names.get(id(value), f"in{i}") for i, value in enumerate(inputs))


def _step_from_event(index: int, event: engine.BackwardEvent, names: dict[int, str]) -> Step:
    if event.kind == "leaf":
        return Step(index, "leaf", event.vertex, names.get(id(event.vertex), "leaf"), _copy(event.grad_output),
                    grad_before=_copy(event.grad_before), grad_after=_copy(event.grad_after))
    return Step(index, "node", event.vertex, event.vertex.name(), _copy(event.grad_output),
                tuple(_copy(g) for g in event.grad_inputs), _input_names(event.vertex, names))


def backward_steps(loss: Tensor, gradient: Tensor | None = None, retain_graph: bool | None = None,
                   names: Any = None) -> list[Step]:
    """Run ``loss.backward(gradient, retain_graph)`` and return one ``Step`` per vertex it processed.

    The steps come in the exact order of the engine (the loss's node first, leaves as soon as every
    gradient for them has arrived); gradients accumulate into ``.grad`` exactly as with ``loss.backward()``.

    Parameters
    ----------
    loss : Tensor
        A tensor with a graph (a scalar unless ``gradient`` is given).
    names : model, mapping or (name, tensor) pairs, optional
        Names for leaves (``model``, ``model.named_parameters()`` or ``{"w": w, "b": b}``).

    Returns
    -------
    list of Step
        Printing a step gives one readable line, e.g. ``MulBackward: grad_out=-8 → grad_w=-16, grad_in1=-24``.
    """
    return _collect_steps(loss, gradient, retain_graph, name_table(names))


def _collect_steps(loss: Tensor, gradient: Tensor | None, retain_graph: bool | None, names: dict[int, str]) -> list:
    steps: list[Step] = []

    def keep(event: engine.BackwardEvent) -> None:  # during the event: the node's inputs still exist
        steps.append(_step_from_event(len(steps), event, names))

    with engine.add_listener(keep):
        loss.backward(gradient, retain_graph)
    return steps


def backward_frame() -> Any:
    """The frame of the engine's running backward pass (``None`` outside one).

    A backward pass runs ops of its own (the gradient formulas); recorders use this to tell them apart from
    the user's forward ops, and the learner checks to tell one backward pass from the next.
    """
    code = engine._BackwardRun.run.__code__
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code is code:
            return frame
        frame = frame.f_back
    return None


@dataclass
class OpRecord:
    """One op call of a recorded forward pass: ``op`` (the Function class), its ``inputs`` (Tensors, arrays,
    numbers), non-tensor ``kwargs``, the ``output`` Tensor, its ``node`` (``None`` when nothing was recorded)
    and ``scope``, the paths of the modules it ran in, outermost first (empty without a model)."""

    index: int
    op: type
    inputs: tuple
    kwargs: dict
    output: Tensor
    node: Node | None
    scope: tuple = ()
    names: dict = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The op's registered name (``mul``), or its class name for a user-defined Function."""
        return getattr(self.op, "op_name", self.op.__name__)

    def describe_input(self, value: Any) -> str:
        label = self.names.get(id(value)) if isinstance(value, Tensor) else None
        shown = format_array(value._data if isinstance(value, Tensor) else value)
        return f"{label}={shown}" if label else shown

    def __str__(self) -> str:
        args = [self.describe_input(a) for a in self.inputs]
        args += [f"{k}={v!r}" for k, v in self.kwargs.items()]
        where = f"  [{self.scope[-1]}]" if self.scope else ""
        return f"{self.name}({', '.join(args)}) → {format_array(self.output._data)}{where}"


@dataclass
class ModuleCall:
    """A module seen during a recording: its class, the shapes it received and returned, its parameter count
    and ``scope`` (the module paths from the outermost one down to it)."""

    path: str
    class_name: str
    scope: tuple
    input_shapes: list = field(default_factory=list)
    output_shapes: list = field(default_factory=list)
    num_params: int = 0


class Recording:
    """What ``record`` saw: ``ops`` (forward op calls in execution order), ``modules`` (``{path: ModuleCall}``)
    and ``names`` (``{id(tensor): name}`` of the model's parameters and of ``names``). Iterating yields the ops."""

    def __init__(self, names: dict[int, str]) -> None:
        self.ops: list[OpRecord] = []
        self.modules: dict[str, ModuleCall] = {}
        self.names = names
        self.scope: tuple = ()
        self._by_node: dict[int, OpRecord] = {}

    def __iter__(self) -> Iterator[OpRecord]:
        return iter(self.ops)

    def __len__(self) -> int:
        return len(self.ops)

    def __getitem__(self, index: int) -> OpRecord:
        return self.ops[index]

    def __str__(self) -> str:
        return "\n".join(f"{op.index}: {op}" for op in self.ops)

    @property
    def output(self) -> Tensor:
        """The output of the last recorded op (usually the loss)."""
        if not self.ops:
            raise RuntimeError("record: no op was recorded, so there is no output")
        return self.ops[-1].output

    def op_of(self, node: Node) -> OpRecord | None:
        """The record whose op created ``node``."""
        return self._by_node.get(id(node))

    def _on_forward(self, event: ForwardEvent) -> None:
        if not is_grad_enabled() and backward_frame() is not None:
            return  # an op of a gradient formula, not of the user's forward pass
        op = OpRecord(len(self.ops), event.op, event.inputs, dict(event.kwargs), event.output, event.node,
                      self.scope, self.names)
        self.ops.append(op)
        if event.node is not None:
            self._by_node[id(event.node)] = op

    def _enter_module(self, path: str, module: Any, args: tuple) -> None:
        self.scope = self.scope + (path,)
        if path not in self.modules:
            self.modules[path] = ModuleCall(path, type(module).__name__, self.scope, _shapes(args),
                                            num_params=sum(p.numel() for p in module.parameters()))

    def _leave_module(self, path: str, output: Any) -> None:
        if self.scope and self.scope[-1] == path:
            self.scope = self.scope[:-1]
        call = self.modules.get(path)
        if call is not None and not call.output_shapes:
            call.output_shapes = _shapes(output if isinstance(output, (tuple, list)) else (output,))


def _shapes(values: Any) -> list[tuple]:
    return [tuple(v.shape) for v in values if isinstance(v, Tensor)]


def _hook_modules(model: Any, recording: Recording) -> list:
    """Forward pre-hooks and hooks on every submodule (not the model itself: the whole picture is its cluster)
    that keep ``recording.scope`` equal to the stack of modules running; returns the hook handles."""
    handles = []
    for path, module in model.named_modules():
        if not path:
            continue

        def enter(module: Any, args: tuple, path: str = path) -> None:
            recording._enter_module(path, module, args)

        def leave(module: Any, args: tuple, output: Any, path: str = path) -> None:
            recording._leave_module(path, output)

        handles.append(module.register_forward_pre_hook(enter))
        handles.append(module.register_forward_hook(leave))
    return handles


class record:
    """Context manager: record every op call of the forward pass, in execution order.

    ``with trace.record(model) as rec: loss = loss_fn(model(x), y)`` gives ``rec.ops`` (one ``OpRecord`` per
    op; ``print(rec)`` replays them one line each), and, with a model, the module each op ran in (through
    forward pre-hooks and hooks on every submodule), which ``viz.draw`` uses to cluster the graph. Ops that
    a backward pass runs for its gradient formulas are not recorded.

    Parameters
    ----------
    model : Module, optional
        Its ``named_modules()`` are hooked for the duration; its ``named_parameters()`` name the leaves.
    names : mapping or (name, tensor) pairs, optional
        More names for tensors (``{"x": x, "w": w}``).
    """

    def __init__(self, model: Any = None, names: Any = None) -> None:
        table = name_table(model) if model is not None else {}
        table.update(name_table(names))
        self.model = model
        self.recording = Recording(table)
        self._handles: list = []

    def __enter__(self) -> Recording:
        if self.model is not None:
            self._handles = _hook_modules(self.model, self.recording)
        self._handles.append(add_forward_listener(self.recording._on_forward))
        return self.recording

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
