"""The backward engine: one traversal of the graph, one loop that runs it, one per-node event hook.

The graph lives on the tensors: a non-leaf's ``grad_fn`` is a ``Node`` whose ``next_edges`` point to the
nodes (or leaf tensors) of its inputs. ``traverse`` orders that graph the way backward runs it: a vertex is
ready once every consumer has sent its gradient; among ready vertices leaves go first, then nodes newest
first (PyTorch's order). Everything that reads the graph (backward, ``autograd.grad``, the graph views, the
step-through tracer, anomaly mode) goes through ``traverse`` and the events of ``run_backward``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd.function import Node
from autograd.grad_mode import STATE as _GRAD
from autograd.tensor import Tensor

_LEAF_PRIORITY = float("-inf")


@dataclass
class BackwardEvent:
    """What the engine just did at one vertex.

    ``kind`` is ``"node"`` (an op's backward ran: ``grad_output`` in, ``grad_inputs`` out, one per input,
    ``None`` where no gradient flows) or ``"leaf"`` (a leaf received ``grad_output``; ``grad_before`` and
    ``grad_after`` are its ``.grad`` around the accumulation).
    """

    kind: str
    vertex: Any
    grad_output: Tensor
    grad_inputs: tuple = ()
    grad_before: Tensor | None = None
    grad_after: Tensor | None = None


_listeners: list[Callable[[BackwardEvent], None]] = []


class ListenerHandle:
    """Returned by ``add_listener``; ``remove()`` unsubscribes (also usable as a context manager)."""

    def __init__(self, fn: Callable[[BackwardEvent], None]) -> None:
        self.fn = fn

    def remove(self) -> None:
        if self.fn in _listeners:
            _listeners.remove(self.fn)

    def __enter__(self) -> ListenerHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def add_listener(fn: Callable[[BackwardEvent], None]) -> ListenerHandle:
    """Call ``fn(event)`` for every vertex backward processes, in processing order."""
    _listeners.append(fn)
    return ListenerHandle(fn)


def _vertex_of(t: Tensor) -> Node | Tensor:
    return t.grad_fn if t.grad_fn is not None else t


def _dependencies(roots: Sequence[Node | Tensor]) -> dict[int, int]:
    """How many edges of the reachable graph enter each vertex (keyed by ``id``)."""
    deps: dict[int, int] = {}
    stack = list(roots)
    seen = {id(v) for v in roots}
    while stack:
        vertex = stack.pop()
        for edge in getattr(vertex, "next_edges", ()):
            if edge is None:
                continue
            key = id(edge)
            deps[key] = deps.get(key, 0) + 1
            if key not in seen:
                seen.add(key)
                stack.append(edge)
    return deps


def traverse(roots: Sequence[Node | Tensor]) -> Iterator[Node | Tensor]:
    """Yield every vertex reachable from ``roots`` in the order backward processes them.

    Iterative (no recursion), so a 100,000-deep chain is fine. ``roots`` are nodes or leaf tensors.
    """
    deps = _dependencies(roots)
    heap: list = []
    queued: set[int] = set()
    for v in roots:
        if deps.get(id(v), 0) == 0 and id(v) not in queued:
            queued.add(id(v))
            heap.append((_priority(v), id(v), v))
    heapq.heapify(heap)
    while heap:
        _, _, vertex = heapq.heappop(heap)
        yield vertex
        for edge in getattr(vertex, "next_edges", ()):
            if edge is None:
                continue
            key = id(edge)
            deps[key] -= 1
            if deps[key] == 0:
                heapq.heappush(heap, (_priority(edge), key, edge))


def _priority(vertex: Node | Tensor) -> float:
    return -vertex.seq if isinstance(vertex, Node) else _LEAF_PRIORITY


def _ancestors(targets: set[int], roots: Sequence[Node | Tensor]) -> set[int]:
    """Ids of the vertices from which some target is reachable (targets included)."""
    parents: dict[int, list] = {}
    stack, seen = list(roots), {id(v) for v in roots}
    while stack:
        vertex = stack.pop()
        for edge in getattr(vertex, "next_edges", ()):
            if edge is None:
                continue
            parents.setdefault(id(edge), []).append(vertex)
            if id(edge) not in seen:
                seen.add(id(edge))
                stack.append(edge)
    needed, stack = set(targets), [k for k in targets]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if id(parent) not in needed:
                needed.add(id(parent))
                stack.append(id(parent))
    return needed


def _buffer_id(array: np.ndarray) -> int:
    while array.base is not None and isinstance(array.base, np.ndarray):
        array = array.base
    return id(array)


def _sum_to_shape(grad: Tensor, shape: tuple, node: Node, index: int) -> Tensor:
    """Undo broadcasting: sum ``grad`` over the dimensions that broadcasting added or stretched."""
    gshape = grad.shape
    lead = len(gshape) - len(shape)
    if lead < 0 or any(s != 1 and s != g for s, g in zip(shape, gshape[lead:])):
        raise RuntimeError(
            f"Function {node.name()} returned an invalid gradient at index {index} - got {list(gshape)} but "
            f"expected shape compatible with {list(shape)}"
        )
    return grad.sum_to_size(shape)


def _as_tensor(value: Any) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor._make(np.asarray(value))


def run_backward(
    outputs: Sequence[Tensor],
    grad_outputs: Sequence[Tensor],
    retain_graph: bool,
    create_graph: bool,
    inputs: Sequence[Tensor] | None = None,
    accumulate: bool = True,
) -> list[Tensor | None]:
    """Propagate ``grad_outputs`` from ``outputs`` back through the graph.

    With ``accumulate`` the gradients are added into ``.grad`` (of every leaf, or only of ``inputs`` when
    given); without it (``autograd.grad``) nothing is written and the gradients of ``inputs`` are returned.
    """
    return _BackwardRun(inputs, accumulate, create_graph).run(outputs, grad_outputs, retain_graph)


class _BackwardRun:
    """State of one backward pass: pending gradients, the requested inputs and what was captured."""

    def __init__(self, inputs: Sequence[Tensor] | None, accumulate: bool, create_graph: bool) -> None:
        self.inputs = list(inputs) if inputs is not None else None
        self.accumulate = accumulate
        self.create_graph = create_graph
        self.pending: dict[int, Tensor] = {}
        self.targets = {id(_vertex_of(t)): i for i, t in enumerate(self.inputs or ())}
        self.captured: list[Tensor | None] = [None] * len(self.inputs or ())
        self.handed_out: set[int] = set()

    def run(self, outputs: Sequence[Tensor], grad_outputs: Sequence[Tensor], retain_graph: bool) -> list:
        roots = [_vertex_of(t) for t in outputs]
        for vertex, grad in zip(roots, grad_outputs):
            self._send(vertex, grad)
        needed = _ancestors(set(self.targets), roots) if self.inputs is not None else None
        prev_mode = _GRAD.enabled
        _GRAD.enabled = self.create_graph
        # Gradients may overflow or meet 0 * inf; PyTorch says nothing (anomaly mode is the tool for that).
        quiet = np.errstate(divide="ignore", invalid="ignore", over="ignore")
        quiet.__enter__()
        try:
            for vertex in traverse(roots):
                key = id(vertex)
                grad = self.pending.pop(key, None)
                is_node = isinstance(vertex, Node)
                if grad is not None and (needed is None or key in needed):
                    if is_node:
                        self._run_node(vertex, grad)
                    else:
                        self._reach_leaf(vertex, grad)
                if is_node and not retain_graph:
                    vertex.release()
        finally:
            quiet.__exit__(None, None, None)
            _GRAD.enabled = prev_mode
        return self.captured

    def _send(self, vertex: Node | Tensor, grad: Tensor) -> None:
        key = id(vertex)
        pending = self.pending
        pending[key] = pending[key] + grad if key in pending else grad

    def _deliver_to_target(self, key: int, grad: Tensor) -> tuple:
        """Hand a requested input its gradient; returns its ``.grad`` before and after."""
        target = self.inputs[self.targets[key]]
        if self.accumulate:
            return self._store(target, grad)
        self.captured[self.targets[key]] = grad
        return target.grad, target.grad

    def _store(self, tensor: Tensor, grad: Tensor) -> tuple:
        """Accumulate into ``tensor.grad``; returns (before, after). A gradient already handed to another
        tensor (add sends one gradient to both inputs) is copied, so no two ``.grad`` share memory."""
        before = tensor.grad
        if not self.create_graph:
            grad = grad.detach()
        if before is None:
            # Own, writable memory: another tensor's gradient or a broadcast view must not be modified later.
            if _buffer_id(grad._data) in self.handed_out or not grad._data.flags.writeable:
                grad = Tensor._make(grad._data.copy(), grad._requires_grad, grad.grad_fn)
            self.handed_out.add(_buffer_id(grad._data))
            tensor.grad = grad
        else:
            tensor.grad = before + grad
        return before, tensor.grad

    def _reach_leaf(self, leaf: Tensor, grad: Tensor) -> None:
        grad = _apply_hooks(leaf._hooks, grad)
        key = id(leaf)
        before = after = leaf.grad
        if key in self.targets:
            before, after = self._deliver_to_target(key, grad)
        elif self.accumulate and self.inputs is None:
            before, after = self._store(leaf, grad)
        if _listeners:
            _notify(BackwardEvent("leaf", leaf, grad, grad_before=before, grad_after=after))

    def _run_node(self, node: Node, grad: Tensor) -> None:
        grad = _apply_hooks(node.pre_hooks, grad)
        key = id(node)
        owner = node.retain_ref() if node.retain_ref is not None else None
        if key in self.targets:
            self._deliver_to_target(key, grad)
        elif owner is not None and self.accumulate:
            self._store(owner, grad)

        grads = node.fn.backward(node, grad)
        if not isinstance(grads, tuple):
            grads = (grads,)
        edges = node.next_edges
        if len(grads) != len(edges):
            raise RuntimeError(
                f"function {node.name()} returned an incorrect number of gradients (expected {len(edges)}, "
                f"got {len(grads)})"
            )
        meta = node._meta if node._meta is not None else node.input_meta()
        pending = self.pending
        sent = [None] * len(edges) if _listeners else None
        for index, edge in enumerate(edges):
            g = grads[index]
            if edge is None or g is None:
                continue
            if not isinstance(g, Tensor):
                g = _as_tensor(g)
            shape, dtype = meta[index]
            data = g._data
            if data.shape != shape:
                g = _sum_to_shape(g, shape, node, index)
            if data.dtype != dtype:
                g = g.to(dtype)
            key = id(edge)
            previous = pending.get(key)
            pending[key] = g if previous is None else previous + g
            if sent is not None:
                sent[index] = g
        if sent is not None:
            _notify(BackwardEvent("node", node, grad, grad_inputs=tuple(sent)))


def _apply_hooks(hooks: list | None, grad: Tensor) -> Tensor:
    for hook in hooks or ():
        replaced = hook(grad)
        if replaced is not None:
            grad = _as_tensor(replaced)
    return grad


def _notify(event: BackwardEvent) -> None:
    for listener in list(_listeners):
        listener(event)
