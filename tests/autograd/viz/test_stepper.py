"""viz.Stepper: frames highlight the step's vertex, gradients match a plain backward, HTML export, widget."""

import re
import shutil

import numpy as np
import pytest

import autograd as A
import nn
from autograd import trace, viz
from autograd.viz.dot import COLOURS

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is not installed")


def classic():
    x, y = A.tensor(2.0), A.tensor(5.0)
    w, b = A.tensor(3.0, requires_grad=True), A.tensor(4.0, requires_grad=True)
    return {"x": x, "y": y, "w": w, "b": b}, (y - (w * x + b)) ** 2


def highlighted(dot):
    return [line for line in dot.splitlines() if "penwidth=\"3\"" in line]


def test_each_frame_highlights_its_step():
    names, J = classic()
    stepper = viz.Stepper(J, params=names)
    assert len(stepper) == 6
    expected = ["PowBackward", "SubBackward", "AddBackward", 'label="b\\n', "MulBackward", 'label="w\\n']
    for k, text in enumerate(expected):
        lines = highlighted(stepper.frame(k).source)
        assert len(lines) == 1 and text in lines[0] and COLOURS["highlight"] in lines[0]
    assert float(names["w"].grad) == 20.0 and float(names["b"].grad) == 10.0


def test_gradients_appear_step_by_step():
    names, J = classic()
    stepper = viz.Stepper(J, params=names, show="values")
    before = stepper.frame(2).source  # AddBackward: w has not been reached yet
    assert "grad 20" not in before and "grad 10" in before
    assert 'label="w\\nscalar float32\\nvalue 3\\ngrad 20"' in stepper.frame(5).source
    with pytest.raises(IndexError, match="out of range"):
        stepper.frame(6)


def test_stepper_table_and_text():
    names, J = classic()
    stepper = viz.Stepper(J, params=names)
    table = stepper.table_html(4)
    assert "MulBackward" in table and "gradient to w" in table and "<code>20</code>" in table
    assert str(stepper).splitlines()[4] == "4: MulBackward: grad_out=10 → grad_w=20, grad_x=None"


def test_stepper_from_recording_with_clusters_matches_plain_backward():
    def make():
        A.manual_seed(1)
        return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)), A.randn(5, 3)

    model, x = make()
    with trace.record(model) as rec:
        (model(x) ** 2).mean()
    stepper = viz.Stepper(rec, model=model)
    assert 'subgraph "cluster_0"' in stepper.frame(0).source
    assert 'label="0.weight\\n' in stepper.frame(0).source
    plain, x2 = make()
    (plain(x2) ** 2).mean().backward()
    for p, q in zip(model.parameters(), plain.parameters()):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())


def test_save_html_is_self_contained(tmp_path):
    names, J = classic()
    stepper = viz.Stepper(J, params=names)
    path = stepper.save_html(tmp_path / "steps.html")
    text = path.read_text(encoding="utf-8")
    assert text.count('<div class="frame">') == 6 and text.count("<svg") == 6
    assert 'type="range"' in text and "<?xml" not in text
    assert not re.search(r"<script[^>]+src=|<link|@import|url\(", text)  # nothing fetched from elsewhere
    assert "MulBackward: grad_out=10" in text


def test_widget_buttons_move_the_slider():
    pytest.importorskip("ipywidgets")
    _, J = classic()
    stepper = viz.Stepper(J)
    box = stepper.widget()
    (prev, slider, nxt), view = box.children[0].children, box.children[1]
    nxt.click()
    nxt.click()
    assert slider.value == 2 and "AddBackward" in view.value
    prev.click()
    assert slider.value == 1 and "SubBackward" in view.value
