"""F.interpolate(mode='nearest'): PyTorch's source-index rule, both size and scale_factor, and gradients.

PyTorch (2.13, CPU) reads input position min(floor(i * scale), in - 1) for output i, with scale = 1 / scale_factor,
or in / out when ``size`` is given or ``recompute_scale_factor=True``. Its kernels round differently: 4-D input
with out_H + out_W <= 128 takes ATen's ``nearest_idx`` (out == in reads i, out == 2 * in reads i // 2, otherwise
float32 arithmetic); 3-D, 5-D and larger 4-D outputs take the generic kernel (no special cases; arithmetic in
the input's precision, the product rounded to float32 before the floor). The expected indices below are
computed from that rule.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn.functional as F


def picked(shape: tuple, axis: int, dtype: type = np.float64, **kwargs) -> list[int]:
    """The input positions that interpolate reads along spatial ``axis`` of an input of ``shape``."""
    spatial = shape[2:]
    ramp = np.arange(spatial[axis], dtype=dtype).reshape([-1 if d == axis else 1 for d in range(len(spatial))])
    out = F.interpolate(autograd.tensor(np.broadcast_to(ramp, shape).copy()), **kwargs).numpy()
    return np.moveaxis(out, 2 + axis, -1).reshape(-1, out.shape[2 + axis])[0].astype(int).tolist()


def float32_rule(n_in: int, n_out: int, scale: float) -> list[int]:
    """min(floor(i * scale), n_in - 1) with the scale and the product in float32."""
    source = np.arange(n_out, dtype=np.float32) * np.float32(scale)
    return np.minimum(np.floor(source), n_in - 1).astype(int).tolist()


def test_nearest_upsampling_by_two_repeats_each_pixel() -> None:
    x = autograd.tensor(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), requires_grad=True)
    y = F.interpolate(x, scale_factor=2)
    np.testing.assert_array_equal(y.detach().numpy()[0, 0], [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((1, 1, 2, 2), 4.0))


def test_nearest_to_a_size_uses_floor_of_i_times_in_over_out() -> None:
    x = autograd.tensor(np.arange(5.0).reshape(1, 1, 5))
    # out 3 from in 5: sources floor(0 * 5/3) = 0, floor(5/3) = 1, floor(10/3) = 3
    assert F.interpolate(x, size=3).tolist() == [[[0.0, 1.0, 3.0]]]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_scale_and_product_are_float32(dtype: type) -> None:
    # 11 * 30/22 = 15 exactly: in float64 the product is 14.999..., in float32 it rounds to 15
    expected = float32_rule(30, 22, 30 / 22)
    assert expected[11] == 15
    assert picked((1, 1, 30), 0, dtype, size=22) == expected
    assert picked((1, 1, 6, 30), 1, dtype, size=(6, 22)) == expected
    # 37 / 3.7 = 10 and 39 / 2.6 = 15: float32(1 / scale_factor) times i rounds up to them
    assert picked((1, 1, 11), 0, dtype, scale_factor=3.7) == float32_rule(11, 40, 1 / 3.7)
    assert float32_rule(11, 40, 1 / 3.7)[37] == 10
    assert picked((1, 1, 16), 0, dtype, scale_factor=2.6) == float32_rule(16, 41, 1 / 2.6)
    assert float32_rule(16, 41, 1 / 2.6)[39] == 15


def test_float64_input_in_the_generic_kernel_rounds_the_float64_product_to_float32() -> None:
    # out = floor(33 * 2.7) = 89; output 81 reads 81 / 2.7 = 30: 81 * float32(1 / 2.7) is 29.99999 in float32,
    # while 81 * (1 / 2.7) in float64 is 29.999999999999996, which float32 rounds to 30
    assert float32_rule(33, 89, 1 / 2.7)[81] == 29
    assert picked((1, 1, 33), 0, np.float32, scale_factor=2.7)[81] == 29
    expected = np.minimum(np.floor((np.arange(89) * (1 / 2.7)).astype(np.float32)), 32).astype(int).tolist()
    assert expected[81] == 30
    assert picked((1, 1, 33), 0, np.float64, scale_factor=2.7) == expected


def test_4d_input_copies_at_equal_size_and_halves_at_double_size_whatever_the_factor() -> None:
    # scale_factor 2.2 on 4 gives out 8 = 2 * 4: 4-D input reads i // 2; 3-D and 5-D input floor(i / 2.2)
    assert picked((1, 1, 4, 4), 1, scale_factor=2.2) == [i // 2 for i in range(8)]
    assert picked((1, 1, 4), 0, scale_factor=2.2) == float32_rule(4, 8, 1 / 2.2) == [0, 0, 0, 1, 1, 2, 2, 3]
    assert picked((1, 1, 2, 2, 4), 2, scale_factor=(1, 1, 2.2)) == [0, 0, 0, 1, 1, 2, 2, 3]
    # scale_factor 1.1 on 5 gives out 5: 4-D input copies; 3-D input reads floor(i / 1.1)
    assert picked((1, 1, 5, 5), 0, scale_factor=1.1) == [0, 1, 2, 3, 4]
    assert picked((1, 1, 5), 0, scale_factor=1.1) == float32_rule(5, 5, 1 / 1.1) == [0, 0, 1, 2, 3]


def test_4d_outputs_with_out_h_plus_out_w_above_128_take_the_general_rule() -> None:
    # H: out = floor(4 * 1.2) = 4 = in; W keeps its size, so out_H + out_W = 4 + W
    assert picked((1, 1, 4, 124), 0, scale_factor=(1.2, 1.0)) == [0, 1, 2, 3]
    assert picked((1, 1, 4, 125), 0, scale_factor=(1.2, 1.0)) == float32_rule(4, 4, 1 / 1.2) == [0, 0, 1, 2]


def test_recompute_scale_factor_uses_in_over_the_computed_out() -> None:
    # out = floor(5 * 2.3) = 11; scale 5/11 with recompute_scale_factor, else 1/2.3: output 9 reads 4 or 3
    with_recompute = float32_rule(5, 11, 5 / 11)
    without = float32_rule(5, 11, 1 / 2.3)
    assert (with_recompute[9], without[9]) == (4, 3)
    assert picked((1, 1, 5), 0, scale_factor=2.3, recompute_scale_factor=True) == with_recompute
    assert picked((1, 1, 5), 0, scale_factor=2.3) == without
    assert picked((1, 1, 5, 3), 0, scale_factor=(2.3, 1.0), recompute_scale_factor=True) == with_recompute


@pytest.mark.parametrize(("shape", "kwargs"), [((1, 2, 30), {"size": 22}), ((2, 1, 5, 7), {"scale_factor": (2.3, 0.6)}),
                                               ((1, 1, 3, 2, 4), {"size": (5, 3, 2)})])
def test_gradient_is_summed_onto_the_picked_positions(shape: tuple, kwargs: dict) -> None:
    x = autograd.tensor(np.random.default_rng(0).standard_normal(shape), requires_grad=True)
    y = F.interpolate(x, **kwargs)
    y.sum().backward()
    counts = np.ones(())
    for axis, n_in in enumerate(shape[2:]):
        # how many outputs read each input position along this axis
        along = np.bincount(picked(shape, axis, **kwargs), minlength=n_in)
        counts = np.multiply.outer(counts, along)
    np.testing.assert_array_equal(x.grad.numpy(), np.broadcast_to(counts, shape))
    assert autograd.gradcheck(lambda t: F.interpolate(t, **kwargs), [x])
    assert autograd.gradgradcheck(lambda t: F.interpolate(t, **kwargs), [x])


def test_unsupported_modes_and_arguments_are_clear_errors() -> None:
    x = autograd.zeros(1, 1, 4, 4)
    with pytest.raises(NotImplementedError, match="only 'nearest'"):
        F.interpolate(x, scale_factor=2, mode="bilinear")
    with pytest.raises(ValueError, match="exactly one of size and scale_factor, got neither"):
        F.interpolate(x)
    with pytest.raises(ValueError, match="exactly one of size and scale_factor, got both"):
        F.interpolate(x, size=4, scale_factor=2)


@pytest.mark.parametrize(
    ("shape", "kwargs", "error", "pattern"),
    [
        ((1, 1, 1, 9), {"scale_factor": 0.5}, ValueError, r"> 0, but got input \(1, 9\) and output \(0, 4\)"),
        ((1, 1, 5), {"size": 0}, ValueError, r"> 0, but got input \(5,\) and output \(0,\)"),
        ((1, 1, 0), {"size": 3}, ValueError, r"> 0, but got input \(0,\) and output \(3,\)"),
        ((1, 1, 5), {"scale_factor": -2.0}, ValueError, "scale_factor must be positive and finite, got -2.0"),
        ((1, 1, 5), {"scale_factor": float("inf")}, ValueError, "scale_factor must be positive and finite"),
        ((1, 1, 4, 4), {"size": (4, 4, 4)}, ValueError, r"size=\(4, 4, 4\) has 3 entries, but .* has 2 spatial"),
        ((1, 1, 4, 4), {"scale_factor": (2,)}, ValueError, r"scale_factor=\(2,\) has 1 entries, but .* 2 spatial"),
        ((1, 1, 4, 4), {"size": 4.0}, TypeError, "size must be an int or a tuple of ints, got 4.0"),
        ((1, 1, 4, 4), {"scale_factor": 2, "align_corners": True}, ValueError,
         "align_corners can only be set .* got align_corners=True with mode='nearest'"),
        ((1, 1, 4, 4), {"scale_factor": 2, "align_corners": False}, ValueError, "align_corners can only be set"),
        ((1, 1, 4, 4), {"size": 4, "recompute_scale_factor": True}, ValueError,
         "recompute_scale_factor=True needs scale_factor, got size=4"),
        ((4, 4), {"size": 2}, ValueError, r"expected 3-D, 4-D or 5-D input .* got shape \(4, 4\)"),
    ],
)
def test_bad_arguments_name_interpolate_and_what_was_given(shape: tuple, kwargs: dict, error: type,
                                                           pattern: str) -> None:
    with pytest.raises(error, match=f"^interpolate: .*{pattern}"):
        F.interpolate(autograd.zeros(*shape), **kwargs)


def test_an_empty_batch_keeps_its_shape() -> None:
    assert F.interpolate(autograd.zeros(0, 3, 5), size=3).shape == (0, 3, 3)
