"""Module bookkeeping: registration through attributes, dotted names (written by hand to match PyTorch),
modes, gradients, hooks and reprs (PyTorch 2.13's exact text)."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.bn = nn.BatchNorm1d(3)
        self.register_buffer("scale", autograd.ones(1))
        self.register_buffer("cache", autograd.zeros(2), persistent=False)

    def forward(self, x):
        return self.bn(self.fc(x)) * self.scale


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), Block())
        self.heads = nn.ModuleList([nn.Linear(3, 1), nn.Linear(3, 2)])
        self.extra = nn.ModuleDict({"emb": nn.Embedding(5, 2), "act": nn.Tanh()})
        self.temperature = nn.Parameter(autograd.ones(1))

    def forward(self, x):
        h = self.layers(x)
        return [head(h) for head in self.heads]


def test_named_parameters_match_pytorch_names():
    # Written by hand from PyTorch's rules: own parameters first, then children in registration order.
    assert [name for name, _ in Net().named_parameters()] == [
        "temperature",
        "layers.0.weight", "layers.0.bias",
        "layers.2.fc.weight", "layers.2.fc.bias", "layers.2.bn.weight", "layers.2.bn.bias",
        "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias",
        "extra.emb.weight",
    ]


def test_state_dict_keys_match_pytorch():
    assert list(Net().state_dict()) == [
        "temperature",
        "layers.0.weight", "layers.0.bias",
        "layers.2.scale",
        "layers.2.fc.weight", "layers.2.fc.bias",
        "layers.2.bn.weight", "layers.2.bn.bias", "layers.2.bn.running_mean", "layers.2.bn.running_var",
        "layers.2.bn.num_batches_tracked",
        "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias",
        "extra.emb.weight",
    ]


def test_named_modules_children_and_buffers():
    net = Net()
    assert [name for name, _ in net.named_modules()] == [
        "", "layers", "layers.0", "layers.1", "layers.2", "layers.2.fc", "layers.2.bn",
        "heads", "heads.0", "heads.1", "extra", "extra.emb", "extra.act",
    ]
    assert [name for name, _ in net.named_children()] == ["layers", "heads", "extra"]
    assert [name for name, _ in net.named_buffers()] == [
        "layers.2.scale", "layers.2.cache", "layers.2.bn.running_mean", "layers.2.bn.running_var",
        "layers.2.bn.num_batches_tracked",
    ]
    assert len(list(net.parameters(recurse=False))) == 1
    assert [name for name, _ in net.layers.named_parameters(prefix="layers", recurse=False)] == []
    assert len(list(net.modules())) == 13


def test_shared_module_and_parameter_are_listed_once():
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    assert [name for name, _ in seq.named_parameters()] == ["0.weight", "0.bias"]
    assert [name for name, _ in seq.named_modules()] == ["", "0", "1"]
    # state_dict keeps every path, as PyTorch does.
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_setattr_registers_and_reassigning_moves_between_registries():
    m = nn.Module()
    m.w = nn.Parameter(autograd.zeros(2))
    m.child = nn.Linear(1, 1)
    m.plain = 3
    assert list(m._parameters) == ["w"] and list(m._modules) == ["child"] and m.plain == 3
    m.w = None
    assert m.w is None and list(m.state_dict()) == ["child.weight", "child.bias"]
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'w'"):
        m.w = autograd.zeros(2)
    m.register_buffer("buf", autograd.zeros(1))
    with pytest.raises(TypeError, match="as buffer"):
        m.buf = 5
    with pytest.raises(KeyError, match="attribute 'plain' already exists"):
        m.register_buffer("plain", autograd.zeros(1))
    with pytest.raises(KeyError, match="contain"):
        m.add_module("a.b", nn.ReLU())
    with pytest.raises(TypeError, match="not a Module subclass"):
        m.add_module("x", 3)
    with pytest.raises(TypeError, match="parameter 'p'"):
        m.register_parameter("p", autograd.zeros(1))
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'missing'"):
        _ = m.missing
    del m.child
    del m.buf
    assert list(m.state_dict()) == []
    m.register_module("again", nn.ReLU())
    assert isinstance(m.get_submodule("again"), nn.ReLU)


def test_assigning_before_init_is_an_error():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Broken()


def test_parameter_is_a_leaf_tensor_requiring_grad():
    p = nn.Parameter(autograd.tensor([1.0, 2.0]))
    assert isinstance(p, autograd.Tensor) and p.requires_grad and p.is_leaf
    assert not nn.Parameter(autograd.zeros(1), requires_grad=False).requires_grad
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert nn.Parameter().shape == (0,)
    data = autograd.zeros(3)
    nn.Parameter(data).detach().numpy()[0] = 7.0  # shares memory with the tensor it wraps
    assert data[0].item() == 7.0


def test_train_eval_and_requires_grad():
    net = Net()
    assert net.training and all(m.training for m in net.modules())
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError, match="boolean"):
        net.train("yes")
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_zero_grad_sets_none_or_zeros_in_place():
    lin = nn.Linear(3, 2)
    lin(autograd.ones(4, 3)).sum().backward()
    grad = lin.weight.grad
    lin.zero_grad(set_to_none=False)
    assert lin.weight.grad is grad and np.all(grad.numpy() == 0)
    lin.zero_grad()
    assert lin.weight.grad is None and lin.bias.grad is None


def test_apply_visits_children_first():
    seen = []
    Net().apply(lambda m: seen.append(type(m).__name__))
    assert seen[0] == "Linear" and seen[-1] == "Net"
    assert len(seen) == 13


def test_forward_hooks_and_pre_hooks():
    lin = nn.Linear(2, 2)
    calls = []
    pre = lin.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    post = lin.register_forward_hook(lambda m, args, out: calls.append(out.shape) or out + 1)
    out = lin(autograd.ones(3, 2))
    np.testing.assert_allclose(out.detach().numpy(), np.broadcast_to(lin.bias.detach().numpy() + 1, (3, 2)),
                               rtol=1e-6)
    assert calls == [(3, 2)]
    pre.remove()
    post.remove()
    assert lin(autograd.ones(1, 2)).shape == (1, 2) and calls == [(3, 2)]


def test_missing_forward():
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


def test_repr_matches_pytorch_text():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 800), nn.ReLU(), nn.Dropout(0.2), nn.Linear(800, 10))
    assert repr(mlp) == (
        "Sequential(\n"
        "  (0): Flatten(start_dim=1, end_dim=-1)\n"
        "  (1): Linear(in_features=784, out_features=800, bias=True)\n"
        "  (2): ReLU()\n"
        "  (3): Dropout(p=0.2, inplace=False)\n"
        "  (4): Linear(in_features=800, out_features=10, bias=True)\n"
        ")"
    )
    nested = nn.Sequential(OrderedDict(block=nn.Sequential(nn.BatchNorm1d(5, momentum=None), nn.Tanh())))
    assert repr(nested) == (
        "Sequential(\n"
        "  (block): Sequential(\n"
        "    (0): BatchNorm1d(5, eps=1e-05, momentum=None, affine=True, bias=True, track_running_stats=True)\n"
        "    (1): Tanh()\n"
        "  )\n"
        ")"
    )
    # ModuleList folds runs of identical children (PyTorch 2.13 output).
    assert repr(nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)])) == (
        "ModuleList(\n"
        "  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (2): ReLU()\n"
        "  (3): Linear(in_features=2, out_features=2, bias=True)\n"
        ")"
    )
    assert repr(nn.ModuleDict({"a": nn.Tanh()})) == "ModuleDict(\n  (a): Tanh()\n)"
    assert repr(nn.Sequential()) == "Sequential()" and repr(nn.ModuleList()) == "ModuleList()"
    assert repr(nn.Module()) == "Module()"


@pytest.mark.parametrize(
    ("module", "text"),
    [
        (nn.Softplus(), "Softplus(beta=1.0, threshold=20.0)"),
        (nn.ELU(), "ELU(alpha=1.0)"),
        (nn.LeakyReLU(), "LeakyReLU(negative_slope=0.01)"),
        (nn.LeakyReLU(0.2, inplace=True), "LeakyReLU(negative_slope=0.2, inplace=True)"),
        (nn.GELU(), "GELU(approximate='none')"),
        (nn.GELU("tanh"), "GELU(approximate='tanh')"),
        (nn.Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)"),
        (nn.Softmax(1), "Softmax(dim=1)"),
        (nn.LogSoftmax(), "LogSoftmax(dim=None)"),
        (nn.SELU(), "SELU()"),
        (nn.Sigmoid(), "Sigmoid()"),
        (nn.ReLU(inplace=True), "ReLU(inplace=True)"),
        (nn.Unflatten(1, (2, 5)), "Unflatten(dim=1, unflattened_size=(2, 5))"),
        (nn.Embedding(10, 3, padding_idx=0), "Embedding(10, 3, padding_idx=0)"),
        (nn.LayerNorm(4), "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"),
        (nn.Bilinear(2, 3, 4), "Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)"),
        (nn.Identity(), "Identity()"),
        (nn.CrossEntropyLoss(), "CrossEntropyLoss()"),
        (nn.Linear(3, 1, bias=False), "Linear(in_features=3, out_features=1, bias=False)"),
        (nn.BatchNorm1d(4, affine=False), "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=False, bias=False, "
                                          "track_running_stats=True)"),
    ],
)
def test_layer_reprs(module, text):
    assert repr(module) == text


def test_parameter_counts_of_named_architectures():
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 800), nn.ReLU(), nn.Linear(800, 10))
    assert sum(p.numel() for p in mlp.parameters()) == 636_010
    assert sum(p.numel() for p in nn.Linear(400, 120).parameters()) == 48_120
