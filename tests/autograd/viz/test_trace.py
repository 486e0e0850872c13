"""trace.backward_steps and trace.record: order, values, the gates of backpropagation."""

import numpy as np
import pytest

import autograd as A
import nn
from autograd import engine, trace


def classic():
    """J = (y - (w*x + b))**2 with x=2, w=3, b=4, y=5 (the lecture example: J = 25, dJ/dw = 20, dJ/db = 10)."""
    x, y = A.tensor(2.0), A.tensor(5.0)
    w, b = A.tensor(3.0, requires_grad=True), A.tensor(4.0, requires_grad=True)
    return x, y, w, b, (y - (w * x + b)) ** 2


def test_classic_steps_by_hand():
    x, y, w, b, J = classic()
    steps = trace.backward_steps(J, names={"x": x, "y": y, "w": w, "b": b})
    assert [s.name for s in steps] == ["PowBackward", "SubBackward", "AddBackward", "b", "MulBackward", "w"]
    assert [s.kind for s in steps] == ["node", "node", "node", "leaf", "node", "leaf"]
    # Hand-computed: dJ/d(y - u) = 2 * (-5) = -10; sub sends -(-10) = 10 to u = w*x + b; add passes 10 on;
    # mul sends 10 * x = 20 to w.
    assert float(steps[0].grad_output) == 1.0 and float(steps[0].grad_inputs[0]) == -10.0
    assert steps[1].grad_inputs[0] is None and float(steps[1].grad_inputs[1]) == 10.0
    assert steps[3].grad_before is None and float(steps[3].grad_after) == 10.0
    assert float(steps[4].grad_inputs[0]) == 20.0 and steps[4].grad_inputs[1] is None
    assert float(w.grad) == 20.0 and float(b.grad) == 10.0
    assert str(steps[4]) == "MulBackward: grad_out=10 → grad_w=20, grad_x=None"
    assert str(steps[5]) == "w: grad=20; .grad None → 20"


def test_steps_follow_engine_traversal_order():
    x = A.randn(4, 3, requires_grad=True)
    h = (x * 2).tanh()
    loss = (h * h + h.exp()).sum()
    order = list(engine.traverse([loss.grad_fn]))
    steps = trace.backward_steps(loss)
    assert [s.vertex for s in steps] == order


def test_final_grads_equal_plain_backward():
    def run(use_steps):
        A.manual_seed(0)
        model = nn.Sequential(nn.Linear(5, 7), nn.Tanh(), nn.Linear(7, 3))
        x = A.randn(4, 5)
        loss = (model(x) ** 2).mean()
        model[0].weight.grad = A.ones(7, 5)  # accumulation on top of an existing .grad as well
        if use_steps:
            trace.backward_steps(loss, names=model)
        else:
            loss.backward()
        return [p.grad.numpy().copy() for p in model.parameters()]

    for traced, plain in zip(run(True), run(False)):
        np.testing.assert_array_equal(traced, plain)


def test_steps_are_copies_not_aliases():
    w = A.tensor([1.0, 2.0], requires_grad=True)
    steps = trace.backward_steps((w * 3).sum())
    w.grad.zero_()
    np.testing.assert_array_equal(steps[-1].grad_after.numpy(), [3.0, 3.0])


def test_gate_add_distributes():
    a, b = A.tensor(1.5, requires_grad=True), A.tensor(-2.0, requires_grad=True)
    steps = trace.backward_steps((a + b) * 7)
    add = next(s for s in steps if s.name == "AddBackward")
    assert float(add.grad_output) == 7.0
    assert [float(g) for g in add.grad_inputs] == [7.0, 7.0]


def test_gate_mul_swaps():
    a, b = A.tensor(3.0, requires_grad=True), A.tensor(-4.0, requires_grad=True)
    steps = trace.backward_steps((a * b) * 2)
    mul = [s for s in steps if s.name == "MulBackward"][-1]  # the inner a * b
    assert float(mul.grad_output) == 2.0
    assert [float(g) for g in mul.grad_inputs] == [2.0 * -4.0, 2.0 * 3.0]  # a gets b, b gets a


def test_gate_copy_adds():
    x = A.tensor(1.0, requires_grad=True)
    steps = trace.backward_steps(x * 3 + x * 5)
    leaf = [s for s in steps if s.kind == "leaf"]
    assert len(leaf) == 1 and float(leaf[0].grad_output) == 8.0  # 3 + 5 arrive summed
    sent = sorted(float(s.grad_inputs[0]) for s in steps if s.name == "MulBackward")
    assert sent == [3.0, 5.0]


def test_gate_max_routes():
    a, b = A.tensor([2.0, 9.0], requires_grad=True), A.tensor([5.0, 1.0], requires_grad=True)
    steps = trace.backward_steps((A.maximum(a, b) * A.tensor([10.0, 20.0])).sum())
    gate = next(s for s in steps if s.name == "MaximumBackward")
    np.testing.assert_array_equal(gate.grad_inputs[0].numpy(), [0.0, 20.0])  # only where a was the max
    np.testing.assert_array_equal(gate.grad_inputs[1].numpy(), [10.0, 0.0])


def test_record_classic_forward_in_order():
    x, y, w, b, _ = classic()
    with trace.record(names={"x": x, "y": y, "w": w, "b": b}) as rec:
        J = (y - (w * x + b)) ** 2
        J.backward()  # the ops of the gradient formulas are not part of the forward recording
    assert [op.name for op in rec] == ["mul", "add", "sub", "pow_scalar"]
    assert [float(op.output) for op in rec] == [6.0, 10.0, -5.0, 25.0]
    assert rec.output is J
    assert str(rec[0]) == "mul(w=3, x=2) → 6"
    assert rec.op_of(J.grad_fn) is rec[3]


def test_record_module_scopes():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
            self.head = nn.Linear(4, 2)

        def forward(self, x):
            return self.head(self.body(x)).sum()

    net = Net()
    with trace.record(net) as rec:
        net(A.randn(5, 3))
    scopes = {op.scope for op in rec}
    assert ("body", "body.0") in scopes and ("body", "body.1") in scopes and ("head",) in scopes
    assert rec.modules["body.0"].class_name == "Linear"
    assert rec.modules["body.0"].input_shapes == [(5, 3)] and rec.modules["body.0"].output_shapes == [(5, 4)]
    assert rec.modules["head"].num_params == 4 * 2 + 2
    with trace.record() as later:  # the hooks are gone: no scope is tracked any more
        net(A.randn(5, 3))
    assert {op.scope for op in later} == {()}


def test_record_empty_has_no_output():
    with trace.record() as rec:
        pass
    with pytest.raises(RuntimeError, match="no op was recorded"):
        _ = rec.output
