"""``to_dot`` and ``draw``: the computation graph behind some tensors as DOT text or as a graphviz picture."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from typing import Any

from autograd.tensor import Tensor
from autograd.trace import Recording, Step, record
from autograd.viz.dot import Options, render_dot
from autograd.viz.graph import Gradients, GraphModel, build_graph, gradients_of

_CHOICES = {"show": ("auto", "shapes", "values"), "direction": ("LR", "RL", "TB", "BT"),
            "view": ("forward", "backward")}

INSTALL_HINT = (
    "graphviz's 'dot' program was not found on PATH; it renders the pictures. Install it with "
    "'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) or "
    "'conda install graphviz'. viz.to_dot(...) gives the DOT text without it."
)


def check_options(show: str, direction: str, view: str, max_depth: int | None) -> Options:
    """Validated drawing options (ValueError naming the argument otherwise)."""
    for name, value in (("show", show), ("direction", direction), ("view", view)):
        if value not in _CHOICES[name]:
            raise ValueError(f"viz: {name} must be one of {', '.join(map(repr, _CHOICES[name]))}, got {value!r}")
    if max_depth is not None and (not isinstance(max_depth, int) or max_depth < 0):
        raise ValueError(f"viz: max_depth must be None or an int >= 0, got {max_depth!r}")
    return Options(show, direction, max_depth, view)


def as_roots(tensors: Any) -> list[Tensor]:
    """One tensor or a sequence of tensors as a list (TypeError otherwise)."""
    roots = [tensors] if isinstance(tensors, Tensor) else list(tensors) if isinstance(tensors, Sequence) else None
    if not roots or not all(isinstance(t, Tensor) for t in roots):
        raise TypeError(f"viz: expected a Tensor or a non-empty sequence of Tensors, got {type(tensors).__name__}")
    return roots


def graph_for(tensors: Any, params: Any, model: Any, recording: Recording | None, input: Any) -> GraphModel:
    """The ``GraphModel`` to draw; with ``model`` and ``input`` the forward pass is run and recorded here."""
    if input is not None:
        if model is None:
            raise ValueError("viz: input= needs model= (the forward pass model(input) is run and recorded)")
        with record(model) as recording:
            tensors = model(input)
    names = params if params is not None else model
    return build_graph(as_roots(tensors), names, recording)


def to_dot(
    tensors: Tensor | Sequence[Tensor] | None = None,
    params: Any = None,
    show: str = "auto",
    direction: str = "LR",
    max_depth: int | None = None,
    model: Any = None,
    view: str = "forward",
    recording: Recording | None = None,
    steps: Sequence[Step] | None = None,
    input: Any = None,
) -> str:
    """The DOT text of the graph behind ``tensors`` (needs neither the graphviz package nor ``dot``).

    Arguments as for ``draw``.
    """
    options = check_options(show, direction, view, max_depth)
    model_graph = graph_for(tensors, params, model, recording, input)
    grads = gradients_of(model_graph, steps) if steps is not None else Gradients()
    return render_dot(model_graph, grads, options)


def require_dot() -> Any:
    """The graphviz package, after checking that the ``dot`` program exists (RuntimeError saying how to
    install it otherwise)."""
    try:
        import graphviz
    except ImportError:
        raise ImportError("viz: the graphviz Python package is missing: pip install graphviz") from None
    if shutil.which("dot") is None:
        raise RuntimeError("viz: " + INSTALL_HINT)
    return graphviz


def draw(
    tensors: Tensor | Sequence[Tensor] | None = None,
    params: Any = None,
    show: str = "auto",
    direction: str = "LR",
    max_depth: int | None = None,
    model: Any = None,
    view: str = "forward",
    recording: Recording | None = None,
    steps: Sequence[Step] | None = None,
    input: Any = None,
) -> Any:
    """Draw the computation graph behind ``tensors``; returns a ``graphviz.Source`` (shown as SVG in Jupyter;
    ``.render(path, format="svg"|"png"|"pdf")`` writes a file, ``.source`` is the DOT text).

    Parameters
    ----------
    tensors : Tensor or sequence of Tensors
        What to draw from (usually the loss). A tensor without a graph draws as a single box.
    params : model, mapping or (name, tensor) pairs, optional
        Names for leaves: ``model.named_parameters()`` or ``{"w": w, "b": b}``. Named leaves count as parameters.
    show : {"auto", "shapes", "values"}
        ``"shapes"``: shape and dtype; ``"values"``: also the numbers (scalars and up to 16 elements, else
        min/mean/max) and, once known, the gradient; ``"auto"``: values for graphs of up to 40 boxes.
    direction : {"LR", "RL", "TB", "BT"}
        Graphviz ``rankdir``: "LR" puts the inputs at the left.
    max_depth : int, optional
        With module clusters: modules nested deeper than ``max_depth`` are drawn as one box each (class,
        input/output shapes, parameter count); ``0`` draws each top-level module as one box.
    model : Module, optional
        Names the parameters (``model.named_parameters()``) unless ``params`` is given.
    view : {"forward", "backward"}
        ``"forward"``: data flow, arrows from inputs to the loss. ``"backward"``: gradient flow, arrows from
        the loss to the leaves, labelled with the gradient each carries (from ``steps``).
    recording : trace.Recording, optional
        A recorded forward pass (``with trace.record(model) as rec: ...``): groups ops into a cluster per
        module (nested as the modules are) and supplies every intermediate value even after backward.
    steps : list of trace.Step, optional
        From ``trace.backward_steps``: the gradient of every tensor and edge.
    input : Tensor, optional
        With ``model``: run and record ``model(input)`` here and draw its output (with clusters).

    Notes
    -----
    Legend. Ops are grey ellipses named as their ``grad_fn`` (``MulBackward``); tensors are boxes: green for
    parameters (leaves named by the model or ``params``), yellow for other leaves that require grad, blue for
    inputs and constants that need no gradient, white for intermediate results, orange for the tensors drawn
    from. A collapsed module is a lavender 3-d box. A tensor whose gradient holds NaN or Inf is filled red and
    one whose gradient is all zero has a dashed red border (both also say so in their label). The current
    step of a ``Stepper`` has a thick red border.
    """
    graphviz = require_dot()
    return graphviz.Source(to_dot(tensors, params, show, direction, max_depth, model, view, recording, steps, input))
