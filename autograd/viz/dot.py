"""DOT text for a ``GraphModel``: labels, the colour legend, module clusters, collapsed modules, highlights.

Written by hand, so ``to_dot`` needs neither the graphviz Python package nor the ``dot`` binary.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from autograd.trace import format_array
from autograd.viz.graph import CONSTANT, INTERMEDIATE, LEAF, OUTPUT, PARAM, Edge, Gradients, GraphModel, Vertex

# The legend (also in the docstring of ``viz.draw``).
COLOURS = {
    "op": "#e6e6e6",        # an op (grey ellipse), named as its grad_fn: MulBackward
    PARAM: "#b5e3ae",       # a parameter: a leaf named by the model / ``params`` (green)
    LEAF: "#fff1a8",        # an unnamed leaf that requires grad (yellow)
    CONSTANT: "#cde2ff",    # an input that needs no gradient: data, targets (blue)
    INTERMEDIATE: "#ffffff",  # a tensor computed by an op (white)
    OUTPUT: "#ffd39a",      # the tensor(s) drawn from, e.g. the loss (orange)
    "module": "#e2d6ff",    # a collapsed module (lavender 3-d box)
    "bad_grad": "#ff9b9b",  # a tensor whose gradient holds NaN or Inf (red fill)
    "highlight": "#e8112d",  # the vertex of the current step (thick red border)
}
CLUSTER_COLOURS = ("#f7f7fb", "#eef3fb", "#f4f9ee", "#fbf4ec")
TOO_MANY_VERTICES = 2000
AUTO_VALUES_LIMIT = 40


@dataclass
class Options:
    show: str = "auto"
    direction: str = "LR"
    max_depth: int | None = None
    view: str = "forward"
    highlight: str | None = None


def quote(text: str) -> str:
    """A DOT string literal (backslashes, quotes and newlines escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _shape_text(vertex: Vertex) -> str:
    if vertex.shape is None:
        return "?"
    shape = "scalar" if vertex.shape == () else str(tuple(vertex.shape))
    return f"{shape} {vertex.dtype}" if vertex.dtype is not None else shape


def grad_warning(grad: np.ndarray | None) -> str:
    """``"NaN/Inf"``, ``"all zero"`` or ``""`` for a gradient."""
    if grad is None or grad.size == 0 or grad.dtype.kind != "f":
        return ""
    if not np.isfinite(grad).all():
        return "NaN/Inf"
    return "all zero" if not grad.any() else ""


class _Renderer:
    def __init__(self, model: GraphModel, grads: Gradients, options: Options) -> None:
        self.model, self.grads, self.options = model, grads, options
        self.lines: list[str] = []
        self.visible = self._collapse()
        count = len(set(self.visible.values()))
        self.values = options.show == "values" or options.show == "auto" and count <= AUTO_VALUES_LIMIT
        if count > TOO_MANY_VERTICES:
            warnings.warn(
                f"viz: the graph has {count} vertices to draw, too many for a readable picture; pass a model "
                "recording (trace.record(model)) and max_depth=0 or 1 to collapse each module into one box",
                UserWarning, stacklevel=4)

    # -- collapsing ------------------------------------------------------------------------------------
    def _collapse(self) -> dict[str, str]:
        """Visible key of every vertex: itself, or ``m:<module path>`` when its module is collapsed."""
        depth = self.options.max_depth
        visible = {}
        for key, vertex in self.model.vertices.items():
            if depth is not None and len(vertex.scope) > depth:
                visible[key] = "m:" + vertex.scope[depth]
            else:
                visible[key] = key
        return visible

    def _scope_of_visible(self, key: str) -> tuple:
        if key.startswith("m:"):
            return self.model.modules[key[2:]].scope[:-1]
        return self.model.vertices[key].scope

    # -- labels ----------------------------------------------------------------------------------------
    def _grad(self, key: str) -> np.ndarray | None:
        grad = self.grads.vertex.get(key)
        return grad if grad is not None else self.model.vertices[key].grad

    def _tensor_attrs(self, vertex: Vertex) -> dict[str, str]:
        lines = [vertex.label] if vertex.label else []
        lines.append(_shape_text(vertex))
        grad = self._grad(vertex.key)
        if self.values:
            if vertex.value is not None:
                lines.append("value " + format_array(vertex.value))
            if grad is not None:
                lines.append("grad " + format_array(grad))
        attrs = {"shape": "box", "style": "filled", "fillcolor": COLOURS[vertex.role or INTERMEDIATE]}
        problem = grad_warning(grad)
        if problem:
            lines.append(f"!! grad {problem}")
            if problem == "NaN/Inf":
                attrs["fillcolor"] = COLOURS["bad_grad"]
            else:
                attrs["style"] = "filled,dashed"
                attrs["color"] = COLOURS["bad_grad"]
        attrs["label"] = "\n".join(lines)
        return attrs

    def _module_attrs(self, path: str) -> dict[str, str]:
        call = self.model.modules[path]
        ins = ", ".join(str(s) for s in call.input_shapes) or "?"
        outs = ", ".join(str(s) for s in call.output_shapes) or "?"
        label = f"{path} ({call.class_name})\nin {ins}\nout {outs}\n{call.num_params:,} params"
        return {"shape": "box3d", "style": "filled", "fillcolor": COLOURS["module"], "label": label}

    def _attrs(self, key: str) -> dict[str, str]:
        if key.startswith("m:"):
            attrs = self._module_attrs(key[2:])
        else:
            vertex = self.model.vertices[key]
            if vertex.kind == "op":
                label = vertex.label + (f"\n{vertex.detail}" if vertex.detail else "")
                attrs = {"shape": "ellipse", "style": "filled", "fillcolor": COLOURS["op"], "label": label}
            else:
                attrs = self._tensor_attrs(vertex)
        if key == self.options.highlight:
            attrs.update(penwidth="3", color=COLOURS["highlight"])
        return attrs

    # -- emission --------------------------------------------------------------------------------------
    def _emit_vertex(self, key: str, indent: str) -> None:
        attrs = self._attrs(key)
        body = " ".join(f"{k}={quote(v)}" for k, v in attrs.items())
        self.lines.append(f"{indent}{quote(key)} [{body}];")

    def _emit_clusters(self, keys: list[str]) -> None:
        by_scope: dict[tuple, list[str]] = {}
        for key in keys:
            by_scope.setdefault(self._scope_of_visible(key), []).append(key)
        children: dict[tuple, list[tuple]] = {}
        for scope in list(by_scope):
            for depth in range(len(scope), 0, -1):
                parent, child = scope[:depth - 1], scope[:depth]
                if child not in children.setdefault(parent, []):
                    children[parent].append(child)
        self._emit_scope((), by_scope, children, "  ")

    def _emit_scope(self, scope: tuple, by_scope: dict, children: dict, indent: str) -> None:
        for key in by_scope.get(scope, ()):
            self._emit_vertex(key, indent)
        for child in children.get(scope, ()):
            path = child[-1]
            call = self.model.modules.get(path)
            title = f"{path} ({call.class_name})" if call is not None else path
            colour = CLUSTER_COLOURS[(len(child) - 1) % len(CLUSTER_COLOURS)]
            self.lines.append(f'{indent}subgraph {quote("cluster_" + path)} {{')
            self.lines.append(f'{indent}  label={quote(title)}; style="rounded,filled"; fillcolor="{colour}";')
            self._emit_scope(child, by_scope, children, indent + "  ")
            self.lines.append(f"{indent}}}")

    def _edge_label(self, position: int, edge: Edge) -> str:
        src, dst = self.model.vertices[edge.src], self.model.vertices[edge.dst]
        if self.options.view == "backward":
            grad = self.grads.edge.get(position) if src.kind == "tensor" else self._grad(dst.key)
            return "" if grad is None else format_array(grad)
        hidden = self.visible[edge.src] != edge.src and src.kind == "tensor"
        return _shape_text(src) if hidden else ""

    def _emit_edges(self) -> None:
        seen = set()
        current = self.options.highlight
        for position, edge in enumerate(self.model.edges):
            src, dst = self.visible[edge.src], self.visible[edge.dst]
            if src == dst or (src, dst) in seen:
                continue
            seen.add((src, dst))
            attrs = {}
            label = self._edge_label(position, edge)
            if label:
                attrs["label"] = label
            if self.options.view == "backward":
                src, dst = dst, src
            if current is not None and current == (src if self.options.view == "backward" else dst):
                attrs.update(color=COLOURS["highlight"], penwidth="2.5")
            body = " ".join(f"{k}={quote(v)}" for k, v in attrs.items())
            self.lines.append(f"  {quote(src)} -> {quote(dst)}" + (f" [{body}];" if body else ";"))

    def render(self) -> str:
        view = self.options.view
        self.lines = [
            "digraph stepgrad {",
            f'  graph [rankdir={self.options.direction} label={quote(view + " view")} labelloc=t fontsize=12];',
            '  node [fontname="Helvetica" fontsize=10];',
            '  edge [fontname="Helvetica" fontsize=9' + (' color="#b03030"' if view == "backward" else "") + "];",
        ]
        order = list(dict.fromkeys(self.visible[k] for k in self.model.vertices))
        self._emit_clusters(order)
        self._emit_edges()
        self.lines.append("}")
        return "\n".join(self.lines) + "\n"


def render_dot(model: GraphModel, grads: Gradients, options: Options) -> str:
    """The DOT text of ``model`` with the gradients ``grads`` and the given options."""
    return _Renderer(model, grads, options).render()
