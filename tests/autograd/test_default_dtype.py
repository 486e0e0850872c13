"""``set_default_dtype``: what follows the default floating dtype under float64, and what does not.

Every expected dtype and value below was checked by hand against PyTorch 2.13 under
``torch.set_default_dtype(torch.float64)``; the values are worked out here, not taken from stepgrad.
Each test that changes the default runs under the ``float64_default`` fixture, which restores float32.
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Iterator

import numpy as np
import pytest

import autograd
import nn
import optim

F32, F64, I64 = autograd.float32, autograd.float64, autograd.int64


@pytest.fixture
def float64_default() -> Iterator[None]:
    previous = autograd.get_default_dtype()
    autograd.set_default_dtype(autograd.float64)
    try:
        yield
    finally:
        autograd.set_default_dtype(previous)


def _not_float32_values(array: np.ndarray) -> bool:
    """True when some value is not representable in float32 (so it was not made in float32 and cast up)."""
    return bool(np.any(array.astype(np.float32).astype(np.float64) != array))


# -- the setting itself -------------------------------------------------------------------------------------


def test_default_is_float32_and_set_round_trips() -> None:
    assert autograd.get_default_dtype() == F32
    try:
        assert autograd.set_default_dtype(F64) is None
        assert autograd.get_default_dtype() == F64
        assert autograd.zeros(1).dtype == F64
        autograd.set_default_dtype("float32")  # a name works too (as for every dtype= in stepgrad)
        assert autograd.get_default_dtype() == F32
        assert autograd.zeros(1).dtype == F32
    finally:
        autograd.set_default_dtype(F32)


@pytest.mark.parametrize("bad", [autograd.int64, autograd.bool, autograd.uint8, None, "not a dtype"])
def test_non_floating_dtypes_raise_type_error_and_change_nothing(bad: object) -> None:
    with pytest.raises(TypeError, match=r"set_default_dtype\(\): only floating-point types .*float32 or float64"):
        autograd.set_default_dtype(bad)
    assert autograd.get_default_dtype() == F32


def test_float16_is_refused_with_the_reason() -> None:
    # PyTorch accepts float16 (and bfloat16); stepgrad computes in numpy and supports float32 and float64 only
    with pytest.raises(TypeError, match=r"set_default_dtype\(\): stepgrad supports float32 and float64.*float16"):
        autograd.set_default_dtype(autograd.float16)
    assert autograd.get_default_dtype() == F32


# -- tensor creation ----------------------------------------------------------------------------------------


def test_python_floats_get_float64_exactly(float64_default: None) -> None:
    x = autograd.tensor(1.5)
    assert x.dtype == F64 and x.shape == ()
    assert autograd.tensor(0.1).item() == 0.1  # the double nearest 0.1, not float32's 0.100000001490116
    mixed = autograd.tensor([1, 2.0])
    assert mixed.dtype == F64 and mixed.tolist() == [1.0, 2.0]
    assert autograd.tensor([]).dtype == F64
    assert autograd.Tensor([1, 2]).dtype == F64  # torch.Tensor(data) is the default tensor type


def test_integers_bools_numpy_and_explicit_dtypes_are_unaffected(float64_default: None) -> None:
    assert autograd.tensor([1, 2]).dtype == I64
    assert autograd.tensor(True).dtype == autograd.bool
    assert autograd.tensor(np.array([1.5], dtype=np.float32)).dtype == F32
    assert autograd.tensor(np.float32(1.5)).dtype == F32
    assert autograd.tensor(1.5, dtype=F32).dtype == F32
    assert autograd.tensor(0.1, dtype=F32).item() == float(np.float32(0.1))
    assert autograd.zeros(2, dtype=F32).dtype == F32
    assert autograd.arange(3, dtype=F32).dtype == F32
    assert autograd.tensor([1, 2]).float().dtype == F32  # float() is float32 whatever the default


def test_factories_without_dtype(float64_default: None) -> None:
    for made in (autograd.zeros(3), autograd.ones(2), autograd.empty(2), autograd.eye(2), autograd.rand(2),
                 autograd.randn(2), autograd.full((2,), 1.5), autograd.linspace(0, 1, 3)):
        assert made.dtype == F64
    assert autograd.zeros(3).tolist() == [0.0, 0.0, 0.0]
    assert autograd.linspace(0, 1, 3).tolist() == [0.0, 0.5, 1.0]
    assert autograd.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    halves = autograd.arange(0, 1, 0.5)
    assert halves.dtype == F64 and halves.tolist() == [0.0, 0.5]
    assert autograd.arange(3.0).dtype == F64
    assert autograd.arange(3).dtype == I64  # integer bounds stay int64
    assert autograd.full((2,), 1).dtype == I64 and autograd.full((2,), True).dtype == autograd.bool
    assert autograd.randint(0, 3, (2,)).dtype == I64 and autograd.randperm(3).dtype == I64
    assert _not_float32_values(autograd.rand(64).numpy())  # drawn in float64, not float32 widened
    assert autograd.zeros_like(autograd.tensor([1])).dtype == I64  # *_like follows the input
    assert autograd.full_like(autograd.tensor([1]), 2.5).dtype == I64


# -- type promotion -----------------------------------------------------------------------------------------


def test_integer_tensors_promote_to_float64(float64_default: None) -> None:
    ints = autograd.tensor([1, 2])
    assert (ints + 1.5).dtype == F64 and (ints + 1.5).tolist() == [2.5, 3.5]
    assert (ints / 2).dtype == F64 and (ints / 2).tolist() == [0.5, 1.0]
    assert (ints / ints).dtype == F64
    assert autograd.sqrt(autograd.tensor([4, 9])).tolist() == [2.0, 3.0]
    for result in (autograd.sqrt(ints), autograd.exp(ints), autograd.sin(ints), autograd.sigmoid(ints),
                   autograd.atan2(ints, ints), autograd.logsumexp(ints, 0), ints ** 0.5,
                   autograd.clamp(ints, 0.5, 1.5), autograd.tensor([1]) + autograd.tensor(1.5)):
        assert result.dtype == F64
    assert autograd.result_type(ints, 1.5) == F64
    assert autograd.promote_types(I64, F32) == F32  # explicit dtypes decide, not the default
    assert (autograd.tensor(1.0) + 1e-10).item() > 1.0  # float32 would round 1 + 1e-10 back to 1


def test_float32_tensors_stay_float32(float64_default: None) -> None:
    x = autograd.tensor([1.0, 2.0], dtype=F32)
    assert (x * 2.5).dtype == F32
    assert (x + autograd.tensor(1.5)).dtype == F32  # a zero-dimensional float64 does not widen a float32 vector
    assert autograd.sqrt(x).dtype == F32
    assert autograd.tensor([1, 2]).mul(autograd.tensor(2.5, dtype=F32)).dtype == F32


def test_finfo_and_repr_follow_the_default(float64_default: None) -> None:
    assert autograd.finfo().dtype == "float64" and autograd.finfo().eps == 2.0**-52
    assert repr(autograd.tensor([1.5])) == "tensor([1.5000])"
    assert repr(autograd.tensor([1.5], dtype=F32)) == "tensor([1.5000], dtype=autograd.float32)"


def test_float32_repr_is_plain_again_after_restoring() -> None:
    assert repr(autograd.tensor([1.5], dtype=F64)) == "tensor([1.5000], dtype=autograd.float64)"
    assert repr(autograd.tensor([1.5])) == "tensor([1.5000])"


def test_no_module_freezes_the_default_by_importing_it() -> None:
    # ``from autograd.dtypes import DEFAULT_FLOAT`` binds float32 at import time and ignores set_default_dtype
    root = pathlib.Path(autograd.__file__).parent.parent
    pattern = re.compile(r"^\s*from autograd\.dtypes import (\([^)]*|[^\n]*)\bDEFAULT_FLOAT\b", re.MULTILINE)
    offenders = [str(path.relative_to(root)) for package in ("autograd", "nn", "optim", "data")
                 for path in (root / package).rglob("*.py") if pattern.search(path.read_text())]
    assert offenders == []


# -- nn layers ----------------------------------------------------------------------------------------------


LAYERS = {
    "Linear": lambda: nn.Linear(2, 3),
    "Bilinear": lambda: nn.Bilinear(2, 2, 3),
    "Conv1d": lambda: nn.Conv1d(1, 2, 3),
    "Conv2d": lambda: nn.Conv2d(1, 2, 3),
    "ConvTranspose2d": lambda: nn.ConvTranspose2d(1, 2, 3),
    "BatchNorm1d": lambda: nn.BatchNorm1d(3),
    "LayerNorm": lambda: nn.LayerNorm(3),
    "GroupNorm": lambda: nn.GroupNorm(1, 2),
    "Embedding": lambda: nn.Embedding(3, 2),
    "RNN": lambda: nn.RNN(2, 3),
    "LSTM": lambda: nn.LSTM(2, 3, proj_size=2),
    "GRUCell": lambda: nn.GRUCell(2, 3),
    "MultiheadAttention": lambda: nn.MultiheadAttention(4, 2, add_bias_kv=True, kdim=3, vdim=3),
    "PReLU": lambda: nn.PReLU(),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layers_built_under_float64_hold_float64(name: str, float64_default: None) -> None:
    state = LAYERS[name]().state_dict()
    floating = {key: value.dtype for key, value in state.items() if key != "num_batches_tracked"}
    assert floating and set(floating.values()) == {F64}, floating
    if "num_batches_tracked" in state:
        assert state["num_batches_tracked"].dtype == I64


def test_random_init_is_float64_precision(float64_default: None) -> None:
    layer = nn.Linear(20, 30)
    assert _not_float32_values(layer.weight.detach().numpy()) and _not_float32_values(layer.bias.detach().numpy())
    nn.init.normal_(layer.weight)
    assert layer.weight.dtype == F64 and _not_float32_values(layer.weight.detach().numpy())
    assert nn.Parameter().dtype == F64 and nn.Parameter().shape == (0,)


def test_layers_built_before_the_switch_keep_float32() -> None:
    layer = nn.Linear(2, 3)
    try:
        autograd.set_default_dtype(F64)
        assert layer.weight.dtype == F32 and nn.Linear(2, 3).weight.dtype == F64
    finally:
        autograd.set_default_dtype(F32)
    assert nn.Linear(2, 3).weight.dtype == F32


def test_linear_trains_one_sgd_step_in_float64(float64_default: None) -> None:
    # y = w . x + b = 1*1 + 2*3 + 0.5 = 7.5; loss = (7.5 - 7)^2 = 0.25; dL/dy = 1, so dL/dw = x, dL/db = 1
    layer = nn.Linear(2, 1)
    with autograd.no_grad():
        layer.weight.copy_(autograd.tensor([[1.0, 2.0]]))
        layer.bias.copy_(autograd.tensor([0.5]))
    output = layer(autograd.tensor([[1.0, 3.0]]))
    loss = nn.functional.mse_loss(output, autograd.tensor([[7.0]]))
    assert output.dtype == loss.dtype == F64 and loss.item() == 0.25
    optimizer = optim.SGD(layer.parameters(), lr=0.1)
    optimizer.zero_grad()
    loss.backward()
    assert layer.weight.grad.dtype == F64 and layer.weight.grad.tolist() == [[1.0, 3.0]]
    assert layer.bias.grad.tolist() == [1.0]
    optimizer.step()
    assert layer.weight.dtype == F64
    assert layer.weight.tolist() == [[1.0 - 0.1 * 1.0, 2.0 - 0.1 * 3.0]]  # float64 arithmetic, exactly
    assert layer.bias.tolist() == [0.5 - 0.1 * 1.0]


def test_conv2d_trains_one_sgd_step_in_float64(float64_default: None) -> None:
    # A 2x2 kernel of ones over [[0, 1, 2], [3, 4, 5], [6, 7, 8]] sums each window: [[8, 12], [20, 24]].
    # The gradient of the sum of outputs is, for each kernel tap, the sum of the inputs it touched: the same
    # numbers; the bias sees four outputs.
    conv = nn.Conv2d(1, 1, 2)
    assert conv.weight.dtype == conv.bias.dtype == F64
    with autograd.no_grad():
        conv.weight.fill_(1.0)
        conv.bias.fill_(0.0)
    image = autograd.arange(9.0).reshape(1, 1, 3, 3)
    assert image.dtype == F64
    output = conv(image)
    assert output.dtype == F64 and output.tolist() == [[[[8.0, 12.0], [20.0, 24.0]]]]
    optimizer = optim.SGD(conv.parameters(), lr=0.01)
    output.sum().backward()
    assert conv.weight.grad.dtype == F64 and conv.weight.grad.tolist() == [[[[8.0, 12.0], [20.0, 24.0]]]]
    assert conv.bias.grad.tolist() == [4.0]
    optimizer.step()
    expected = [[[[1.0 - 0.01 * g for g in row] for row in ((8.0, 12.0), (20.0, 24.0))]]]
    assert conv.weight.dtype == F64 and conv.weight.tolist() == expected
    assert conv.bias.tolist() == [-0.01 * 4.0]
