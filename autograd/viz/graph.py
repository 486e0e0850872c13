"""The picture's model: vertices (ops and tensors), edges and module scopes, read through ``engine.traverse``.

``build_graph`` walks the graph once, in backward's order, and keeps for every vertex what a picture needs
(name, shape, dtype, a summary of its value, where it sits in the model). Values are read while they exist:
from the tensors passed in, from the op inputs a node holds until backward frees it, and from a recording
of the forward pass (which keeps every op's output).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd import engine
from autograd.function import Node
from autograd.tensor import Tensor
from autograd.trace import Recording, Step, name_table

# Roles of tensor vertices (the legend maps each to a colour).
PARAM, LEAF, CONSTANT, INTERMEDIATE, OUTPUT = "parameter", "leaf", "constant", "intermediate", "output"


@dataclass
class Vertex:
    """One box of the picture: an op (``kind="op"``) or a tensor (``kind="tensor"``)."""

    key: str
    kind: str
    label: str
    role: str = ""
    shape: tuple | None = None
    dtype: Any = None
    value: np.ndarray | None = None
    grad: np.ndarray | None = None
    scope: tuple = ()
    detail: str = ""


@dataclass
class Edge:
    """In the forward direction: tensor → op (an input) or op → tensor (its output)."""

    src: str
    dst: str


@dataclass
class GraphModel:
    """Vertices in backward order, edges, the module calls of a recording and where each step acts."""

    vertices: dict[str, Vertex] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    modules: dict = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    output_of: dict[str, str] = field(default_factory=dict)
    edge_of_input: dict[tuple, int] = field(default_factory=dict)
    step_keys: dict[int, str] = field(default_factory=dict)

    def key_of(self, ident: Any) -> str:
        """The vertex key of ``ident``: ``id(leaf_tensor)``, ``id(node)``, ``("out", id(node))`` for an op's
        output, ``("const", id(node), index)`` for an input known only by its shape."""
        key = self.keys.get(ident)
        if key is None:
            key = self.keys[ident] = f"v{len(self.keys)}"
        return key


def _owner_scope(name: str, modules: dict) -> tuple:
    """The scope of the module owning parameter ``name`` (``fc1.weight`` → scope of ``fc1``)."""
    owner = name.rsplit(".", 1)[0] if "." in name else ""
    call = modules.get(owner)
    return call.scope if call is not None else ()


class _Builder:
    def __init__(self, names: dict[int, str], recording: Recording | None, roots: Sequence[Tensor]) -> None:
        self.names = names
        self.recording = recording
        self.model = GraphModel(modules=dict(recording.modules) if recording is not None else {})
        self.tensors: dict[int, Tensor] = {}  # output Node id -> its output tensor, where known
        self.out_meta: dict[int, tuple] = {}
        self.root_ids = {id(t) for t in roots}
        for t in roots:
            if t.grad_fn is not None:
                self.tensors[id(t.grad_fn)] = t

    def add_tensor(self, ident: Any, tensor: Any, role: str, scope: tuple = (), meta: tuple | None = None) -> str:
        key = self.model.key_of(ident)
        vertices = self.model.vertices
        if key in vertices:
            return key
        name = ""
        value = grad = None
        shape, dtype = meta if meta is not None else (None, None)
        if isinstance(tensor, Tensor):
            name = self.names.get(id(tensor), "")
            shape, dtype, value, grad = tensor.shape, tensor.dtype, tensor._data, tensor.grad
            grad = None if grad is None else grad._data
            if name and role == LEAF:
                role = PARAM
                scope = _owner_scope(name, self.model.modules)
        elif isinstance(tensor, np.ndarray):
            shape, dtype, value = tensor.shape, tensor.dtype, tensor
        if id(tensor) in self.root_ids and role == INTERMEDIATE:
            role = OUTPUT
        vertices[key] = Vertex(key, "tensor", name, role, shape, dtype, value, grad, scope)
        return key

    def op_scope(self, node: Node) -> tuple:
        op = self.recording.op_of(node) if self.recording is not None else None
        if op is not None:
            self.tensors.setdefault(id(node), op.output)
            return op.scope
        return ()

    def add_node(self, node: Node) -> None:
        scope = self.op_scope(node)
        key = self.model.key_of(id(node))
        kwargs = {k: v for k, v in node.__dict__.items() if not k.startswith("_") and k not in _NODE_FIELDS}
        detail = ", ".join(f"{k}={v}" for k, v in kwargs.items() if isinstance(v, (int, float, str, bool, tuple)))
        self.model.vertices[key] = Vertex(key, "op", node.name(), scope=scope, detail=detail)
        out = self.add_tensor(("out", id(node)), self.tensors.get(id(node)), INTERMEDIATE, scope,
                              self.out_meta.get(id(node)))
        self.model.output_of[key] = out
        self.model.edges.append(Edge(key, out))
        try:
            inputs = node.inputs
        except RuntimeError:  # freed by a backward pass without retain_graph (or changed in place)
            inputs = None
        recorded = self.recording.op_of(node) if self.recording is not None else None
        if inputs is None and recorded is not None:
            inputs = recorded.inputs
        meta = node.input_meta()
        for index, edge in enumerate(node.next_edges):
            value = inputs[index] if inputs is not None else None
            if isinstance(edge, Node):
                if isinstance(value, Tensor):
                    self.tensors.setdefault(id(edge), value)
                self.out_meta.setdefault(id(edge), meta[index])
                src = self.model.key_of(("out", id(edge)))
            elif isinstance(edge, Tensor):
                src = self.add_tensor(id(edge), edge, LEAF)
            elif meta[index] is not None or isinstance(value, np.ndarray) and value.ndim:
                # Tensors (data, targets) come from outside the model; arrays are made by the op's module.
                ident = id(value) if value is not None else ("const", id(node), index)
                src = self.add_tensor(ident, value, CONSTANT, () if isinstance(value, Tensor) else scope,
                                      meta[index])
            else:
                continue
            self.model.edge_of_input[(key, index)] = len(self.model.edges)
            self.model.edges.append(Edge(src, key))


_NODE_FIELDS = {"needs_input_grad", "next_edges", "seq", "pre_hooks", "retain_ref", "created_at"}


def build_graph(roots: Sequence[Tensor], names: Any = None, recording: Recording | None = None) -> GraphModel:
    """Read the graph behind ``roots`` (tensors) into a ``GraphModel``; ``names`` as for ``trace.name_table``."""
    table = dict(recording.names) if recording is not None else {}
    table.update(name_table(names))
    builder = _Builder(table, recording, roots)
    builder.model.names = table
    for vertex in engine.traverse([t.grad_fn if t.grad_fn is not None else t for t in roots]):
        if isinstance(vertex, Node):
            builder.add_node(vertex)
        else:
            builder.add_tensor(id(vertex), vertex, LEAF if vertex.requires_grad else CONSTANT)
    model = builder.model
    model.vertices = {k: model.vertices[k] for k in sorted(model.vertices, key=lambda k: int(k[1:]))}
    return model


@dataclass
class Gradients:
    """Gradients known at some point of a backward pass: per vertex key (a tensor's gradient) and per edge
    position (the gradient an op sent to that input)."""

    vertex: dict[str, np.ndarray] = field(default_factory=dict)
    edge: dict[int, np.ndarray] = field(default_factory=dict)


def gradients_of(model: GraphModel, steps: Sequence[Step], upto: int | None = None) -> Gradients:
    """The gradients ``steps[:upto + 1]`` delivered (all steps when ``upto`` is None); also fills
    ``model.step_keys`` (step index → key of the vertex it acts on)."""
    found = Gradients()
    last = len(steps) - 1 if upto is None else upto
    for step in steps:
        key = model.keys.get(id(step.vertex))
        if key is None:
            continue
        model.step_keys[step.index] = key
        if step.index > last:
            continue
        if step.kind == "leaf":
            after = step.grad_after if step.grad_after is not None else step.grad_output
            found.vertex[key] = np.asarray(after)
            continue
        found.vertex[model.output_of[key]] = np.asarray(step.grad_output)
        for index, grad in enumerate(step.grad_inputs):
            position = model.edge_of_input.get((key, index))
            if position is not None and grad is not None:
                found.edge[position] = np.asarray(grad)
    return found
