"""Convolution, pooling and 2-D normalisation layers: PyTorch's parameters, names, repr, modes and errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from stepgrad.models import LeNet5, mlp


def test_lenet5_parameter_counts_match_the_classic_architecture() -> None:
    model = LeNet5()
    assert sum(p.numel() for p in model.features[0].parameters()) == 156  # 6 * (5 * 5 * 1) + 6
    assert sum(p.numel() for p in model.classifier[1].parameters()) == 48_120  # 400 * 120 + 120
    assert sum(p.numel() for p in model.parameters()) == 61_706
    assert model(autograd.zeros(2, 1, 28, 28)).shape == (2, 10)


def test_mlp_has_636010_parameters() -> None:
    assert sum(p.numel() for p in mlp().parameters()) == 636_010


def test_conv_parameter_names_shapes_and_default_init_bounds() -> None:
    autograd.manual_seed(0)
    conv = nn.Conv2d(3, 8, 3, bias=True)
    assert [name for name, _ in conv.named_parameters()] == ["weight", "bias"]
    assert conv.weight.shape == (8, 3, 3, 3) and conv.bias.shape == (8,)
    bound = 1 / np.sqrt(3 * 3 * 3)  # kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    assert np.abs(conv.weight.detach().numpy()).max() <= bound
    assert np.abs(conv.bias.detach().numpy()).max() <= bound
    transposed = nn.ConvTranspose2d(4, 6, 3, groups=2)
    assert transposed.weight.shape == (4, 3, 3, 3)


def test_layer_reprs_match_pytorch() -> None:
    assert repr(nn.Conv2d(1, 6, 5, padding=2)) == "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))"
    assert repr(nn.Conv1d(2, 4, 3, padding="same")) == "Conv1d(2, 4, kernel_size=(3,), stride=(1,), padding=same)"
    assert repr(nn.ConvTranspose2d(3, 4, 3, stride=2, output_padding=1, bias=False)) == (
        "ConvTranspose2d(3, 4, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1), bias=False)"
    )
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.AvgPool2d(2)) == "AvgPool2d(kernel_size=2, stride=2, padding=0)"
    assert repr(nn.AdaptiveAvgPool2d((1, 1))) == "AdaptiveAvgPool2d(output_size=(1, 1))"
    # PyTorch stores these as tuples (_single, _pair), unlike MaxPool2d and AvgPool2d
    assert repr(nn.AvgPool1d(3, stride=2)) == "AvgPool1d(kernel_size=(3,), stride=(2,), padding=(0,))"
    assert repr(nn.MaxUnpool2d(2)) == "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"


def test_batchnorm2d_normalises_per_channel_and_tracks_running_stats() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(4, 3, 5, 5)).astype(np.float32)
    bn = nn.BatchNorm2d(3)
    out = bn(autograd.tensor(x)).detach().numpy()
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1, atol=1e-3)
    unbiased = x.var(axis=(0, 2, 3), ddof=1)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.1 * x.mean(axis=(0, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.9 + 0.1 * unbiased, rtol=1e-5)
    assert [name for name, _ in bn.named_buffers()] == ["running_mean", "running_var", "num_batches_tracked"]
    bn.eval()
    expected = (x - bn.running_mean.numpy()[None, :, None, None]) / np.sqrt(
        bn.running_var.numpy()[None, :, None, None] + 1e-5)
    np.testing.assert_allclose(bn(autograd.tensor(x)).detach().numpy(), expected, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="expected 4D input"):
        bn(autograd.zeros(4, 3))


def test_dropout2d_zeroes_whole_channels_in_training_only() -> None:
    autograd.manual_seed(0)
    drop = nn.Dropout2d(0.5)
    x = autograd.ones(8, 16, 3, 3)
    out = drop(x).numpy()
    per_channel = out.reshape(8, 16, 9)
    assert set(np.unique(per_channel.min(axis=2))) <= {0.0, 2.0}
    assert np.all(per_channel.min(axis=2) == per_channel.max(axis=2))  # a channel is all kept or all dropped
    assert 0 < (per_channel[:, :, 0] == 0).mean() < 1
    drop.eval()
    np.testing.assert_array_equal(drop(x).numpy(), x.numpy())


@pytest.mark.parametrize(
    ("layer", "shape", "pattern"),
    [
        (lambda: nn.Conv2d(1, 6, 5), (2, 3, 28, 28), r"Conv2d\(1, 6, .*expected input with 1 channels"),
        (lambda: nn.Conv2d(1, 6, 5), (64, 28, 28), r"Conv2d\(1, 6, .*needs a channel dimension"),
        (lambda: nn.Conv2d(1, 6, 5), (1, 1, 3, 3), r"Conv2d\(1, 6, .*Kernel size can't be greater"),
        (lambda: nn.MaxPool2d(3), (1, 1, 2, 2), r"max_pool2d: .*too small"),
    ],
)
def test_bad_input_names_the_layer_and_shapes(layer, shape, pattern) -> None:  # noqa: ANN001
    with pytest.raises(RuntimeError, match=pattern):
        layer()(autograd.zeros(*shape))


def test_constructor_validation() -> None:
    with pytest.raises(ValueError, match="in_channels \\(3\\) must be divisible by groups \\(2\\)"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(RuntimeError, match="non-positive stride"):
        nn.Conv2d(1, 1, 3, stride=0)(autograd.zeros(1, 1, 5, 5))
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        nn.Conv2d(1, 1, 3, stride=2, padding="same")


def test_conv_layer_state_dict_loads_by_pytorch_names() -> None:
    model = LeNet5()
    keys = list(model.state_dict())
    assert keys[:4] == ["features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias"]
    other = LeNet5()
    other.load_state_dict(model.state_dict())
    x = autograd.randn(2, 1, 28, 28)
    np.testing.assert_array_equal(model(x).detach().numpy(), other(x).detach().numpy())


def test_conv_transpose_output_size_picks_output_padding_or_names_the_valid_range() -> None:
    layer = nn.ConvTranspose2d(3, 2, 3, stride=2)
    x = autograd.zeros(1, 3, 5, 5)
    assert layer(x, output_size=(12, 11)).shape == (1, 2, 12, 11)  # sizes 11 .. 12 per axis at stride 2
    with pytest.raises(ValueError, match=r"output size of \(20, 12\), but valid sizes range from \[11, 11\] to "
                                         r"\[12, 12\] \(for an input of \(5, 5\)\)"):
        layer(x, output_size=(20, 12))


def test_adaptive_avg_pool_rejects_a_size_of_three_values() -> None:
    with pytest.raises(RuntimeError, match="output_size must be an int or 2 values"):
        autograd.adaptive_avg_pool2d(autograd.zeros(1, 1, 4, 4), (2, 3, 4))


def test_conv_transpose1d_is_the_adjoint_of_conv1d() -> None:
    """<T(x), y> = <x, C(y)> with the same weight, PyTorch's names and shapes, and output_size support."""
    layer = nn.ConvTranspose1d(3, 4, 3, stride=2, padding=1, output_padding=1, bias=False)
    assert {k: tuple(v.shape) for k, v in layer.state_dict().items()} == {"weight": (3, 4, 3)}
    rng = np.random.default_rng(0)
    x = autograd.tensor(rng.standard_normal((2, 3, 6)))
    layer.weight.data = autograd.tensor(rng.standard_normal((3, 4, 3)))
    out = layer(x)
    assert out.shape == (2, 4, 12)  # (6 - 1) * 2 - 2 + 2 + 1 + 1
    y = autograd.tensor(rng.standard_normal(out.shape))
    back = autograd.conv1d(y, layer.weight.detach(), stride=2, padding=1)
    np.testing.assert_allclose((out.detach() * y).sum().item(), (x * back).sum().item(), rtol=1e-10)
    assert layer(x, output_size=(11,)).shape == (2, 4, 11)


def test_adaptive_max_pool_windows_indices_and_gradient() -> None:
    """A 3x3 input to 2x2: PyTorch's windows along each axis are [0, 2) and [1, 3), so they overlap."""
    x = autograd.tensor(np.array([[[[1.0, 5.0, 2.0], [3.0, 0.0, 7.0], [4.0, 4.0, 6.0]]]]), requires_grad=True)
    out, indices = autograd.adaptive_max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(out.detach().numpy()[0, 0], [[5, 7], [4, 7]])
    np.testing.assert_array_equal(indices.numpy()[0, 0], [[1, 5], [6, 5]])  # 4 twice: the first one, 6
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], [[0, 1, 0], [0, 0, 2], [1, 0, 0]])
    with_nan = autograd.tensor(np.array([[[float("nan"), 1.0, float("nan")]]]))
    _, where = nn.AdaptiveMaxPool2d((1, 1), return_indices=True)(with_nan)
    assert where.numpy().item() == 2  # of several NaNs the last one, as PyTorch's kernel
    assert repr(nn.AdaptiveMaxPool2d((2, None))) == "AdaptiveMaxPool2d(output_size=(2, None))"


def test_upsample_is_nearest_interpolate_with_pytorch_repr() -> None:
    layer = nn.Upsample(scale_factor=2)
    assert repr(layer) == "Upsample(scale_factor=2.0, mode='nearest')"
    x = autograd.tensor(np.arange(4.0).reshape(1, 1, 2, 2))
    doubled = np.repeat(np.repeat(np.arange(4.0).reshape(2, 2), 2, axis=0), 2, axis=1)
    np.testing.assert_array_equal(layer(x).numpy()[0, 0], doubled)
    assert repr(nn.Upsample(size=(3, 4))) == "Upsample(size=(3, 4), mode='nearest')"
