"""``Stepper``: backward one vertex at a time, as pictures (Jupyter widget, frames, one self-contained HTML file)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from autograd.tensor import Tensor
from autograd.trace import Recording, Step, _collect_steps, format_array
from autograd.viz.dot import render_dot
from autograd.viz.draw import check_options, require_dot
from autograd.viz.graph import build_graph, gradients_of

_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 1em; }}
.controls {{ position: sticky; top: 0; background: #fff; padding: .5em 0; }}
.frame {{ display: none; }} .frame.shown {{ display: block; }}
table {{ border-collapse: collapse; margin: .5em 0; }} td, th {{ border: 1px solid #ccc; padding: 2px 8px; }}
svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h3>{title}</h3>
<div class="controls"><button id="prev">&#9664; Previous</button>
<input id="slider" type="range" min="0" max="{last}" value="0" style="width: 40%">
<button id="next">Next &#9654;</button> <span id="where"></span></div>
{frames}
<script>
(function () {{
  var frames = document.getElementsByClassName("frame"), slider = document.getElementById("slider");
  function show(k) {{
    k = Math.max(0, Math.min(frames.length - 1, k));
    for (var i = 0; i < frames.length; i++) frames[i].className = i === k ? "frame shown" : "frame";
    slider.value = k;
    document.getElementById("where").textContent = "step " + k + " of " + (frames.length - 1);
  }}
  slider.oninput = function () {{ show(parseInt(slider.value, 10)); }};
  document.getElementById("prev").onclick = function () {{ show(parseInt(slider.value, 10) - 1); }};
  document.getElementById("next").onclick = function () {{ show(parseInt(slider.value, 10) + 1); }};
  show(0);
}})();
</script></body></html>
"""


def _svg_body(svg: str) -> str:
    """An SVG document from ``dot`` without its XML prologue, ready to inline in HTML."""
    return svg[svg.index("<svg"):]


class Stepper:
    """Step through the backward pass of ``loss``: frame ``k`` is the graph with step ``k``'s vertex
    highlighted and every gradient delivered so far, next to a table of the step's numbers.

    Parameters
    ----------
    source : Tensor or trace.Recording
        The loss, or a recording of the forward pass (``with trace.record(model) as rec: ...``), whose last
        op's output is the loss; a recording adds module clusters.
    model : Module, optional
        Names the parameters (as ``params``).
    params, show, direction, max_depth, view
        As for ``viz.draw``; ``show="auto"`` shows values on graphs of up to 40 boxes.

    Notes
    -----
    Creating the stepper reads the graph, then runs ``loss.backward()`` once (``trace.backward_steps``), so
    ``.grad`` accumulates exactly as after a plain backward. ``stepper.steps`` holds the ``trace.Step`` records
    (``print(step)`` gives one line each); ``frame(k)`` is a ``graphviz.Source``; ``save_html(path)`` writes
    one HTML file with every frame inlined (no server, no network); in Jupyter the stepper displays itself
    with Previous/Next buttons and a slider (ipywidgets).
    """

    def __init__(self, source: Tensor | Recording, model: Any = None, params: Any = None, show: str = "auto",
                 direction: str = "LR", max_depth: int | None = None, view: str = "forward") -> None:
        self.options = check_options(show, direction, view, max_depth)
        recording = source if isinstance(source, Recording) else None
        loss = source.output if recording is not None else source
        if not isinstance(loss, Tensor):
            raise TypeError(f"Stepper: expected a loss Tensor or a trace.Recording, got {type(source).__name__}")
        names = params if params is not None else model
        self.graph = build_graph([loss], names, recording)
        self.steps: list[Step] = _collect_steps(loss, None, None, self.graph.names)
        gradients_of(self.graph, self.steps)
        self._svgs: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.steps)

    def _check_index(self, k: int) -> int:
        if not -len(self.steps) <= k < len(self.steps):
            raise IndexError(f"Stepper: step {k} out of range for a backward pass of {len(self.steps)} steps")
        return k % len(self.steps)

    def frame(self, k: int) -> Any:
        """Frame ``k`` as a ``graphviz.Source`` (``.source`` is its DOT text)."""
        graphviz = require_dot()
        return graphviz.Source(self._dot(self._check_index(k)))

    def _dot(self, k: int) -> str:
        self.options.highlight = self.graph.step_keys.get(k)
        return render_dot(self.graph, gradients_of(self.graph, self.steps, upto=k), self.options)

    def table_html(self, k: int) -> str:
        """An HTML table of step ``k``: the vertex, the gradient arriving, what it sends or stores."""
        step = self.steps[self._check_index(k)]
        rows = [("step", f"{step.index} of {len(self.steps) - 1}"), ("vertex", step.name),
                ("incoming gradient", format_array(step.grad_output))]
        if step.kind == "leaf":
            rows += [(".grad before", format_array(step.grad_before)), (".grad after", format_array(step.grad_after))]
        else:
            rows += [(f"gradient to {label}", format_array(g)) for label, g in zip(step.input_names, step.grad_inputs)]
        body = "".join(f"<tr><th>{html.escape(a)}</th><td><code>{html.escape(b)}</code></td></tr>" for a, b in rows)
        return f"<table>{body}</table>"

    def svg(self, k: int) -> str:
        """Frame ``k`` rendered by ``dot`` to SVG (cached)."""
        k = self._check_index(k)
        if k not in self._svgs:
            self._svgs[k] = self.frame(k).pipe(format="svg", encoding="utf-8")
        return self._svgs[k]

    def save_html(self, path: str | Path, title: str = "stepgrad: backward, step by step") -> Path:
        """Write one self-contained HTML file (every frame's SVG inlined, a slider, no external resources)."""
        frames = "\n".join(
            f'<div class="frame"><pre>{html.escape(str(step))}</pre>{self.table_html(k)}'
            f"{_svg_body(self.svg(k))}</div>"
            for k, step in enumerate(self.steps))
        path = Path(path)
        path.write_text(_PAGE.format(title=html.escape(title), last=len(self.steps) - 1, frames=frames),
                        encoding="utf-8")
        return path

    def widget(self) -> Any:
        """An ipywidgets box: Previous/Next buttons, a slider and the current frame with its table."""
        import ipywidgets as widgets

        slider = widgets.IntSlider(value=0, min=0, max=len(self.steps) - 1, description="step")
        prev, nxt = widgets.Button(description="Previous"), widgets.Button(description="Next")
        view = widgets.HTML()

        def update(change: Any = None) -> None:
            k = slider.value
            view.value = f"<pre>{html.escape(str(self.steps[k]))}</pre>{self.table_html(k)}{_svg_body(self.svg(k))}"

        prev.on_click(lambda _: setattr(slider, "value", max(0, slider.value - 1)))
        nxt.on_click(lambda _: setattr(slider, "value", min(len(self.steps) - 1, slider.value + 1)))
        slider.observe(update, names="value")
        update()
        return widgets.VBox([widgets.HBox([prev, slider, nxt]), view])

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())

    def __str__(self) -> str:
        return "\n".join(f"{step.index}: {step}" for step in self.steps)

