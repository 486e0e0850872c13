"""Transforms: ToTensor, Normalize, Compose, Lambda, GaussianNoise, RandomShift, RandomAffine."""

import numpy as np
import pytest

import autograd
from data import transforms as T


def seeded(seed):
    return autograd.Generator().manual_seed(seed)


def test_to_tensor_scales_uint8_to_unit_range_and_adds_a_channel():
    out = T.ToTensor()(np.array([[0, 255], [51, 102]], dtype=np.uint8))
    assert out.shape == (1, 2, 2) and out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), [[[0.0, 1.0], [0.2, 0.4]]], rtol=1e-6)


def test_to_tensor_follows_the_default_dtype():
    """As torchvision: uint8 images become the default floating dtype, here float64 with exact x / 255."""
    previous = autograd.get_default_dtype()
    autograd.set_default_dtype(autograd.float64)
    try:
        out = T.ToTensor()(np.array([[51, 1]], dtype=np.uint8))
    finally:
        autograd.set_default_dtype(previous)
    assert out.dtype == np.float64
    assert out.numpy()[0, 0, 0] == 0.2 and out.numpy()[0, 0, 1] == 1 / 255


def test_to_tensor_moves_channels_first():
    image = np.arange(18, dtype=np.uint8).reshape(2, 3, 3)  # H=2, W=3, C=3
    out = T.ToTensor()(image).numpy()
    assert out.shape == (3, 2, 3)
    for channel in range(3):
        np.testing.assert_allclose(out[channel], image[:, :, channel] / 255, rtol=1e-6)


def test_to_tensor_leaves_non_uint8_values_alone():
    image = np.array([[0.5, 2.0]], dtype=np.float64)
    out = T.ToTensor()(image)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.numpy(), [[[0.5, 2.0]]])


def test_to_tensor_rejects_tensors_and_bad_shapes():
    with pytest.raises(TypeError, match="ndarray"):
        T.ToTensor()(autograd.zeros(2, 2))
    with pytest.raises(ValueError, match="2- or 3-dimensional"):
        T.ToTensor()(np.zeros((1, 2, 2, 2), dtype=np.uint8))


def test_normalize_per_channel():
    image = autograd.tensor([[[1.0, 3.0]], [[2.0, 6.0]]])  # (C=2, H=1, W=2)
    out = T.Normalize(mean=(1.0, 2.0), std=(2.0, 4.0))(image)
    np.testing.assert_allclose(out.numpy(), [[[0.0, 1.0]], [[0.0, 1.0]]])
    np.testing.assert_array_equal(image.numpy(), [[[1.0, 3.0]], [[2.0, 6.0]]])


def test_normalize_mnist_constants_and_inplace():
    image = autograd.tensor([[[0.1307, 0.4388]]])
    assert T.Normalize((0.1307,), (0.3081,), inplace=True)(image) is image
    np.testing.assert_allclose(image.numpy(), [[[0.0, 1.0]]], atol=1e-6)


def test_normalize_errors():
    with pytest.raises(TypeError, match="float tensor"):
        T.Normalize((0.0,), (1.0,))(autograd.zeros(1, 2, 2, dtype=autograd.int64))
    with pytest.raises(ValueError, match="divide by zero"):
        T.Normalize((0.0,), (0.0,))(autograd.zeros(1, 2, 2))
    with pytest.raises(TypeError, match="Tensor"):
        T.Normalize((0.0,), (1.0,))(np.zeros((1, 2, 2)))


def test_compose_applies_in_order_and_lambda_wraps_functions():
    pipeline = T.Compose([T.Lambda(lambda x: x + 1), T.Lambda(lambda x: x * 10)])
    assert pipeline(1) == 20
    with pytest.raises(TypeError, match="callable"):
        T.Lambda(3)


def test_mnist_style_pipeline_shape():
    pipeline = T.Compose([T.ToTensor(), T.Normalize((0.5,), (0.5,))])
    out = pipeline(np.full((28, 28), 255, dtype=np.uint8))
    assert out.shape == (1, 28, 28)
    np.testing.assert_allclose(out.numpy(), 1.0)


def test_gaussian_noise_statistics_clipping_and_seed():
    image = autograd.full((1, 200, 200), 0.5)
    noisy = T.GaussianNoise(sigma=0.1, clip=False, generator=seeded(0))(image).numpy()
    assert noisy.dtype == np.float32 and noisy.shape == (1, 200, 200)
    assert abs(noisy.mean() - 0.5) < 0.002 and abs(noisy.std() - 0.1) < 0.002
    shifted = T.GaussianNoise(mean=0.2, sigma=0.0, clip=False)(image).numpy()
    np.testing.assert_allclose(shifted, 0.7, rtol=1e-6)
    clipped = T.GaussianNoise(sigma=1.0, generator=seeded(0))(image).numpy()
    assert clipped.min() == 0.0 and clipped.max() == 1.0
    again = T.GaussianNoise(sigma=0.1, clip=False, generator=seeded(0))(image).numpy()
    np.testing.assert_array_equal(noisy, again)


def test_shift_by_hand():
    image = np.zeros((3, 4), dtype=np.uint8)
    image[1, 1] = 9
    moved = T.shift(image, dx=2, dy=-1)
    expected = np.zeros((3, 4), dtype=np.uint8)
    expected[0, 3] = 9
    np.testing.assert_array_equal(moved, expected)
    np.testing.assert_array_equal(T.shift(image, dx=4, dy=0), np.zeros((3, 4)))


def test_random_shift_stays_within_max_shift_and_is_seeded():
    image = np.zeros((9, 9), dtype=np.uint8)
    image[4, 4] = 1
    transform = T.RandomShift(2, generator=seeded(0))
    offsets = set()
    for _ in range(200):
        out = transform(image)
        assert out.shape == (9, 9) and out.sum() == 1
        y, x = np.argwhere(out)[0]
        offsets.add((int(x) - 4, int(y) - 4))
    assert offsets == {(dx, dy) for dx in range(-2, 3) for dy in range(-2, 3)}
    first, second = (T.RandomShift(2, generator=seeded(1)) for _ in range(2))
    for _ in range(5):
        np.testing.assert_array_equal(first(image), second(image))


def test_random_shift_keeps_the_input_form():
    tensor_out = T.RandomShift(1, generator=seeded(0))(autograd.ones(2, 1, 5, 5))
    assert isinstance(tensor_out, autograd.Tensor) and tensor_out.shape == (2, 1, 5, 5)
    hwc = T.RandomShift(1, generator=seeded(0))(np.ones((5, 6, 3), dtype=np.uint8))
    assert isinstance(hwc, np.ndarray) and hwc.shape == (5, 6, 3)
    assert (hwc[..., 0] == hwc[..., 2]).all()  # all channels moved together


def test_affine_quarter_turn_by_hand():
    image = np.zeros((3, 3), dtype=np.uint8)
    image[1, 2] = 7  # the middle of the right edge
    turned = T.affine(image, angle=90, translate=(0, 0), scale=1.0)
    expected = np.zeros((3, 3), dtype=np.uint8)
    expected[2, 1] = 7  # a clockwise quarter turn takes it to the middle of the bottom edge
    np.testing.assert_array_equal(turned, expected)


def test_affine_translate_and_scale_by_hand():
    image = np.arange(25, dtype=np.float32).reshape(5, 5)
    np.testing.assert_array_equal(T.affine(image, 0, (1, 2), 1.0), T.shift(image, 1, 2))
    doubled = T.affine(image, 0, (0, 0), 2.0)
    assert doubled[2, 2] == image[2, 2]  # the centre stays put
    assert doubled[0, 0] == image[1, 1]  # (-2, -2) from the centre samples (-1, -1)


def test_random_affine_identity_and_translation_only():
    image = np.arange(100, dtype=np.uint8).reshape(10, 10)
    np.testing.assert_array_equal(T.RandomAffine(0, generator=seeded(0))(image), image)
    transform = T.RandomAffine(0, translate=(0.2, 0.2), generator=seeded(3))
    seen = set()
    for _ in range(50):
        out = transform(image)
        matches = [(dx, dy) for dx in range(-2, 3) for dy in range(-2, 3)
                   if np.array_equal(out, T.shift(image, dx, dy))]
        assert len(matches) == 1
        seen.add(matches[0])
    assert len(seen) > 5


def test_random_affine_is_seeded_and_keeps_form():
    image = autograd.rand(1, 28, 28, generator=seeded(0))
    first = T.RandomAffine(15, translate=(0.1, 0.1), scale=(0.9, 1.1), generator=seeded(4))(image)
    second = T.RandomAffine(15, translate=(0.1, 0.1), scale=(0.9, 1.1), generator=seeded(4))(image)
    assert isinstance(first, autograd.Tensor) and first.shape == (1, 28, 28)
    np.testing.assert_array_equal(first.numpy(), second.numpy())
    with pytest.raises(ValueError, match="between 0 and 1"):
        T.RandomAffine(10, translate=(2, 0))
