"""ParameterList and ParameterDict: registration under PyTorch's names (parameters, named_parameters,
state_dict and loading), wrapping of plain tensors, list and dict behaviour, reprs and errors."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import autograd
import nn
import optim


class Mixture(nn.Module):
    def __init__(self):
        super().__init__()
        self.means = nn.ParameterList([nn.Parameter(autograd.zeros(2)), autograd.ones(2)])
        self.scales = nn.ParameterDict({"beta": autograd.ones(1), "alpha": nn.Parameter(autograd.zeros(1))})

    def forward(self, x):
        return sum(m * x for m in self.means) * self.scales["alpha"] + self.scales["beta"]


def test_members_are_registered_under_pytorchs_names():
    model = Mixture()
    names = [name for name, _ in model.named_parameters()]
    # a plain dict is sorted, as PyTorch's ParameterDict does
    assert names == ["means.0", "means.1", "scales.alpha", "scales.beta"]
    assert list(model.state_dict()) == names
    assert len(list(model.parameters())) == 4
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in model.parameters())
    model.load_state_dict({name: autograd.full_like(value, 3.0) for name, value in model.state_dict().items()})
    np.testing.assert_array_equal(model.means[1].detach().numpy(), [3.0, 3.0])


def test_parameters_train_through_the_containers():
    model = Mixture()
    opt = optim.SGD(model.parameters(), lr=0.1)
    model(autograd.ones(2)).sum().backward()
    opt.step()
    np.testing.assert_allclose(model.scales["alpha"].detach().numpy(), [-0.1 * 2])  # d/dalpha = sum(m * x) = 2
    np.testing.assert_allclose(model.scales["beta"].detach().numpy(), [1 - 0.1 * 2])


def test_parameter_list_behaves_as_a_list():
    values = nn.ParameterList()
    assert repr(values) == "ParameterList()" and len(values) == 0
    plain = autograd.ones(3)
    values.append(plain).extend([autograd.zeros(2, 3), "not a tensor", None])
    values += [autograd.zeros(1)]
    assert len(values) == 5
    assert isinstance(values[0], nn.Parameter) and np.shares_memory(values[0].detach().numpy(), plain.numpy())
    assert values[2] == "not a tensor" and values[3] is None
    assert [name for name, _ in values.named_parameters()] == ["0", "1", "4"]
    assert values[-1] is values[4]
    tail = values[1:3]
    assert isinstance(tail, nn.ParameterList) and len(tail) == 2 and tail[0] is values[1]
    values[2] = autograd.ones(4)
    assert isinstance(values[2], nn.Parameter) and "2" in dict(values.named_parameters())
    assert "0" not in dir(values)
    with pytest.raises(IndexError, match="index 5 is out of range for a list of 5"):
        values[5]
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an iterable, but got Tensor"):
        values.extend(autograd.ones(3))
    with pytest.raises(RuntimeError, match="ParameterList should not be called"):
        values(autograd.ones(1))


def test_parameter_list_repr_matches_pytorch():
    values = nn.ParameterList([autograd.zeros(2, 3), autograd.ones(4, dtype=autograd.float64), "x"])
    assert repr(values) == (
        "ParameterList(\n"
        "    (0): Parameter containing: [autograd.float32 of size 2x3]\n"
        "    (1): Parameter containing: [autograd.float64 of size 4]\n"
        "    (2): Object of type: str\n"
        ")"
    )


def test_parameter_dict_behaves_as_a_dict():
    scales = nn.ParameterDict(OrderedDict(b=autograd.ones(1), a=autograd.zeros(2)))  # an OrderedDict keeps its order
    assert list(scales) == ["b", "a"] and list(scales.keys()) == ["b", "a"]
    assert "a" in scales and "c" not in scales and len(scales) == 2
    scales["c"] = autograd.ones(3)
    assert isinstance(scales["c"], nn.Parameter)
    assert scales.get("missing", 7) == 7
    assert scales.setdefault("d", None) is None and "d" in scales
    assert [k for k, _ in scales.items()] == ["b", "a", "c", "d"]
    assert scales.popitem()[0] == "d"
    assert scales.pop("b").shape == (1,)
    assert list(reversed(scales)) == ["c", "a"]
    merged = scales | nn.ParameterDict([("z", autograd.ones(1))])
    assert list(merged) == ["a", "c", "z"] and merged["a"] is scales["a"]
    assert list(scales.copy()) == ["a", "c"]
    assert list(scales.fromkeys(["p", "q"])) == ["p", "q"]
    del scales["a"]
    assert list(scales.state_dict()) == ["c"]
    scales.clear()
    assert len(scales) == 0 and list(scales.parameters()) == []
    assert repr(nn.ParameterDict({"w": autograd.zeros(2)})) == (
        "ParameterDict(  (w): Parameter containing: [autograd.float32 of size 2])")  # PyTorch's layout, one entry


def test_parameter_dict_errors():
    scales = nn.ParameterDict()
    with pytest.raises(TypeError, match="keys must be strings, got a key of type 'int'"):
        scales[1] = autograd.ones(1)
    with pytest.raises(KeyError, match="would hide the attribute ParameterDict.keys"):
        scales["keys"] = autograd.ones(1)
    assert len(scales) == 0
    with pytest.raises(ValueError, match="element #0 has length 3; 2 is required"):
        scales.update([("a", autograd.ones(1), 3)])
    with pytest.raises(TypeError, match="should be called with an iterable of key/value pairs, but got int"):
        scales.update(3)
    with pytest.raises(RuntimeError, match="ParameterDict should not be called"):
        scales(autograd.ones(1))
