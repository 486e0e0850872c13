"""viz.to_dot / viz.draw: structure of the DOT text for known graphs, clusters, views, marks, bad input."""

import re
import shutil
import time

import pytest

import autograd as A
import nn
from autograd import trace, viz
from autograd.viz.dot import COLOURS

HAS_DOT = shutil.which("dot") is not None


def vertices(dot):
    """{key: label} of every vertex line."""
    return dict(re.findall(r'^\s*"([^"]+)" \[.*?label="((?:[^"\\]|\\.)*)"', dot, flags=re.M))


def vertex_line(dot, text):
    lines = [line for line in dot.splitlines() if "label=" in line and "->" not in line and text in line]
    assert len(lines) == 1, lines
    return lines[0]


def cluster_body(dot, path):
    """The text of a cluster's subgraph, up to its matching closing brace."""
    start = dot.index(f'subgraph "cluster_{path}" {{')
    depth = 0
    for end in range(start, len(dot)):
        depth += {"{": 1, "}": -1}.get(dot[end], 0)
        if dot[end] == "}" and depth == 0:
            return dot[start:end]
    raise AssertionError("unbalanced braces")


def edges(dot):
    return re.findall(r'^\s*"([^"]+)" -> "([^"]+)"(?: \[(.*)\])?;', dot, flags=re.M)


def classic():
    x, y = A.tensor(2.0), A.tensor(5.0)
    w, b = A.tensor(3.0, requires_grad=True), A.tensor(4.0, requires_grad=True)
    return {"x": x, "y": y, "w": w, "b": b}, (y - (w * x + b)) ** 2


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.block = nn.Sequential(nn.Linear(3, 3), nn.ReLU())
        self.fc2 = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc2(self.block(self.fc1(x).relu()))


def test_classic_graph_structure_and_labels():
    names, J = classic()
    dot = viz.to_dot(J, params=names, show="values")
    labels = vertices(dot)
    # 4 ops (mul, add, sub, pow) and 8 tensors (x, y, w, b, w*x, w*x+b, y-(...), J); 11 edges.
    assert len(labels) == 12 and len(edges(dot)) == 11
    ops = sorted(label.split("\\n")[0] for label in labels.values() if "Backward" in label)
    assert ops == ["AddBackward", "MulBackward", "PowBackward", "SubBackward"]
    assert "w\\nscalar float32\\nvalue 3" in labels.values()
    assert COLOURS["parameter"] in vertex_line(dot, 'label="w\\n')
    assert COLOURS["constant"] in vertex_line(dot, 'label="x\\n')
    assert COLOURS["output"] in vertex_line(dot, "value 25")


def test_values_shapes_and_statistics():
    big = A.arange(20.0, requires_grad=True)
    dot = viz.to_dot((big * 2).sum(), show="values")
    assert "(20,) float32" in dot and "min=0 mean=19 max=38" in dot
    assert "value [0., 1., 2.," not in dot  # 20 elements: statistics, not numbers
    small = A.tensor([1.0, 2.0], requires_grad=True)
    assert "value [1., 2.]" in viz.to_dot((small * 2).sum(), show="values")
    assert "value" not in viz.to_dot((small * 2).sum(), show="shapes")


def test_gradient_beside_value_after_backward():
    names, J = classic()
    J.backward()
    dot = viz.to_dot(J, params=names, show="values")
    assert "w\\nscalar float32\\nvalue 3\\ngrad 20" in dot and "b\\nscalar float32\\nvalue 4\\ngrad 10" in dot


def test_bad_gradients_are_marked():
    w = A.tensor([1.0, 2.0], requires_grad=True)
    v = A.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * 2 + v * 0).sum()
    w.grad = A.tensor([float("nan"), 1.0])
    v.grad = A.zeros(2)
    dot = viz.to_dot(loss, params={"w": w, "v": v})
    w_line, v_line = vertex_line(dot, 'label="w\\n'), vertex_line(dot, 'label="v\\n')
    assert "!! grad NaN/Inf" in w_line and COLOURS["bad_grad"] in w_line
    assert "!! grad all zero" in v_line and "dashed" in v_line


def test_parameters_named_from_model_and_clusters():
    net = Net()
    x = A.randn(5, 4)
    with trace.record(net) as rec:
        out = net(x).sum()
    dot = viz.to_dot(out, model=net, recording=rec, show="shapes")
    for name in ("fc1.weight", "fc1.bias", "block.0.weight", "fc2.bias"):
        assert f'label="{name}\\n' in dot
    assert 'subgraph "cluster_fc1"' in dot and 'subgraph "cluster_block.0"' in dot
    assert 'subgraph "cluster_block.0"' in cluster_body(dot, "block")  # nested as the modules are
    assert 'subgraph "cluster_block.0"' not in cluster_body(dot, "fc1")
    assert 'label="fc1 (Linear)"' in dot


def test_max_depth_collapses_modules():
    net = Net()
    with trace.record(net) as rec:
        out = net(A.randn(5, 4)).sum()
    top = viz.to_dot(out, model=net, recording=rec, max_depth=0)
    boxes = [line for line in top.splitlines() if "box3d" in line]
    assert len(boxes) == 3 and "cluster_" not in top  # fc1, block, fc2 as one box each
    block = vertex_line(top, 'label="block (Sequential)')
    assert "in (5, 3)" in block and "out (5, 3)" in block and "12 params" in block
    assert "fc1.weight" not in top  # parameters live inside their collapsed module
    one = viz.to_dot(out, model=net, recording=rec, max_depth=1)
    assert 'subgraph "cluster_block"' in one and len([ln for ln in one.splitlines() if "box3d" in ln]) == 2
    # fc1's output goes through relu (outside any module) into block: edges labelled with the hidden shape.
    assert '[label="(5, 3) float32"]' in top


def test_draw_with_model_and_input_records_forward():
    net = Net()
    dot = viz.to_dot(model=net, input=A.randn(2, 4), max_depth=0)
    assert len([line for line in dot.splitlines() if "box3d" in line]) == 3


def test_backward_view_labels_edges_with_gradients():
    names, J = classic()
    steps = trace.backward_steps(J, retain_graph=True, names=names)
    dot = viz.to_dot(J, params=names, view="backward", steps=steps)
    keys = {label.split("\\n")[0]: key for key, label in vertices(dot).items()}
    arrows = {(src, dst): attrs for src, dst, attrs in edges(dot)}
    assert arrows[(keys["MulBackward"], keys["w"])] == 'label="20"'  # gradient flows op -> input
    assert arrows[(keys["AddBackward"], keys["b"])] == 'label="10"'
    assert "backward view" in dot


def test_tensor_without_graph_is_one_vertex():
    dot = viz.to_dot(A.tensor([1.0, 2.0, 3.0]))
    assert len(vertices(dot)) == 1 and not edges(dot)
    assert COLOURS["constant"] in dot


def test_large_graph_warns_and_suggests_max_depth():
    x = A.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(1100):
        y = y * 1.0
    with pytest.warns(UserWarning, match="max_depth"):
        dot = viz.to_dot(y)
    assert len(vertices(dot)) == 2201


def test_bad_arguments():
    _, J = classic()
    with pytest.raises(ValueError, match="view must be one of"):
        viz.to_dot(J, view="sideways")
    with pytest.raises(ValueError, match="max_depth"):
        viz.to_dot(J, max_depth=-1)
    with pytest.raises(TypeError, match="expected a Tensor"):
        viz.to_dot("loss")
    with pytest.raises(ValueError, match="needs model"):
        viz.to_dot(input=A.ones(2))


def test_missing_dot_binary_says_how_to_install(monkeypatch, tmp_path):
    _, J = classic()
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="apt-get install graphviz.*brew install graphviz"):
        viz.draw(J)
    assert viz.to_dot(J).startswith("digraph")


@pytest.mark.skipif(not HAS_DOT, reason="graphviz's dot is not installed")
def test_draw_renders_svg_with_dot(tmp_path):
    names, J = classic()
    picture = viz.draw(J, params=names)
    svg = picture.pipe(format="svg", encoding="utf-8")
    assert "<svg" in svg and "MulBackward" in svg
    path = picture.render(tmp_path / "classic", format="svg", cleanup=True)
    assert path.endswith(".svg") and open(path).read().count("<g id=\"node") == 12


class Conv(nn.Module):
    """A conv layer on the conv2d op (nn.Conv2d has not landed yet)."""

    def __init__(self, cin, cout, k, padding=0):
        super().__init__()
        self.weight = nn.Parameter(A.randn(cout, cin, k, k) * 0.1)
        self.bias = nn.Parameter(A.zeros(cout))
        self.padding = padding

    def forward(self, x):
        return A.conv2d(x, self.weight, self.bias, padding=self.padding)


class Pool(nn.Module):
    def forward(self, x):
        return A.max_pool2d(x, 2)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(Conv(1, 6, 5, 2), nn.ReLU(), Pool(), Conv(6, 16, 5), nn.ReLU(), Pool())
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                        nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def test_lenet5_batch_64_to_dot_under_a_second():
    model = LeNet5()
    with trace.record(model) as rec:
        loss = nn.functional.cross_entropy(model(A.randn(64, 1, 28, 28)), A.randint(0, 10, (64,)))
    start = time.perf_counter()
    dot = viz.to_dot(loss, model=model, recording=rec, show="values")
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"to_dot took {elapsed:.3f} s"
    assert 'subgraph "cluster_features.0"' in dot and "min=" in dot
    top = viz.to_dot(loss, model=model, recording=rec, max_depth=1)
    conv1 = vertex_line(top, 'label="features.0 (Conv)')
    assert "in (64, 1, 28, 28)" in conv1 and "out (64, 6, 28, 28)" in conv1 and "156 params" in conv1  # 6*25 + 6


def test_ten_layer_mlp_to_dot_under_a_second():
    layers = [nn.Linear(784 if i == 0 else 256, 256 if i < 9 else 10) for i in range(10)]
    model = nn.Sequential(*[m for layer in layers for m in (layer, nn.ReLU())][:-1])
    x = A.randn(64, 784)
    with trace.record(model) as rec:
        loss = nn.functional.cross_entropy(model(x), A.randint(0, 10, (64,)))
    start = time.perf_counter()
    dot = viz.to_dot(loss, model=model, recording=rec, show="values")
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"to_dot took {elapsed:.3f} s"
    assert dot.count('subgraph "cluster_') == 19
