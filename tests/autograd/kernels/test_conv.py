"""conv2d kernels: hand examples, parity with the numpy references, and the adjoint identity."""

import numpy as np
import pytest

from autograd.kernels import _planes, _workspace, algorithm, batch_last, channels_last, direct
from autograd.kernels.conv import (
    conv2d_backward_input,
    conv2d_backward_input_ref,
    conv2d_backward_weight,
    conv2d_backward_weight_ref,
    conv2d_forward,
    conv2d_forward_ref,
    conv_output_size,
)

TOLERANCE = {np.float32: 1e-4, np.float64: 1e-11}


def random_case(seed: int, dtype: type) -> dict:
    """A small random convolution: shapes, stride, padding, dilation and groups all drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    groups = int(rng.choice([1, 1, 2, 3]))
    N = int(rng.integers(1, 4))
    C, O = groups * int(rng.integers(1, 4)), groups * int(rng.integers(1, 4))
    KH, KW = (int(k) for k in rng.integers(1, 4, size=2))
    stride = (1, 1) if seed % 2 else tuple(int(s) for s in rng.integers(1, 4, size=2))  # (1, 1): grid layout
    dilation = tuple(int(d) for d in rng.integers(1, 3, size=2))
    padding = (int(rng.integers(0, KH)), int(rng.integers(0, KW)))
    H = 1 if seed % 5 == 0 else int(rng.integers(dilation[0] * (KH - 1) + 1, 10))  # H = 1: the 1-D case
    if H == 1:
        KH, stride, padding, dilation = 1, (1, stride[1]), (0, padding[1]), (1, dilation[1])
    W = int(rng.integers(dilation[1] * (KW - 1) + 1, 11))
    OH = conv_output_size(H, KH, stride[0], padding[0], dilation[0])
    OW = conv_output_size(W, KW, stride[1], padding[1], dilation[1])
    return {
        "x": rng.standard_normal((N, C, H, W)).astype(dtype),
        "weight": rng.standard_normal((O, C // groups, KH, KW)).astype(dtype),
        "grad_out": rng.standard_normal((N, O, OH, OW)).astype(dtype),
        "geometry": (stride, padding, dilation, groups),
    }


def run_all(case: dict, forward, backward_input, backward_weight, keep: bool = False) -> tuple[np.ndarray, ...]:
    """The three passes; with ``keep``, the weight gradient gets the unfolded input the forward kept (if any)."""
    x, weight, grad_out, geometry = case["x"], case["weight"], case["grad_out"], case["geometry"]
    out, grad_x, grad_w = (np.empty(a.shape, a.dtype) for a in (grad_out, x, weight))  # C-contiguous
    unfolded = forward(x, weight, out, *geometry, keep)
    backward_input(grad_out, weight, grad_x, *geometry)
    backward_weight(x, grad_out, grad_w, *geometry, unfolded)
    return out, grad_x, grad_w


@pytest.mark.usefixtures("every_algorithm")
def test_hand_example() -> None:
    x = np.array([[1, 2, 2, -2], [1, 0, 2, 4], [2, -1, -1, 3], [0, 0, -3, -2]], dtype=np.float64)
    w = np.array([[1, 0, 3], [2, -1, -1], [0, 1, -3]], dtype=np.float64)
    for kernel in (conv2d_forward, conv2d_forward_ref):
        out = np.empty((1, 1, 2, 2))
        kernel(x[None, None], w[None, None], out, (1, 1), (0, 0), (1, 1), 1)
        np.testing.assert_array_equal(out[0, 0], [[9, -20], [22, 11]])


def test_output_size() -> None:
    assert conv_output_size(10, 3, 1, 1, 1) == 10
    assert conv_output_size(10, 3, 2, 1, 1) == 5
    assert conv_output_size(28, 5, 1, 0, 1) == 24
    assert conv_output_size(7, 3, 1, 0, 2) == 3


@pytest.mark.usefixtures("both_builds", "every_algorithm")
@pytest.mark.parametrize("keep", [False, True], ids=["unfold_again", "keep_unfolded"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(15))
def test_parity_with_reference(seed: int, dtype: type, keep: bool) -> None:
    case = random_case(seed, dtype)
    ours = run_all(case, conv2d_forward, conv2d_backward_input, conv2d_backward_weight, keep)
    reference = run_all(case, conv2d_forward_ref, conv2d_backward_input_ref, conv2d_backward_weight_ref)
    for got, want in zip(ours, reference, strict=True):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


@pytest.mark.usefixtures("every_algorithm")
@pytest.mark.parametrize("seed", range(6))
def test_adjoint_identity(seed: int) -> None:
    """<conv(x, w), g> == <x, backward_input(g, w)> == <w, backward_weight(x, g)> (conv is bilinear)."""
    case = random_case(seed, np.float64)
    out, grad_x, grad_w = run_all(case, conv2d_forward, conv2d_backward_input, conv2d_backward_weight)
    products = [np.vdot(out, case["grad_out"]), np.vdot(case["x"], grad_x), np.vdot(case["weight"], grad_w)]
    np.testing.assert_allclose(products[1:], [products[0]] * 2, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(("name", "seed"), [("gemm", 3), ("gemm", 6), ("channels_last", 6)])  # 3: 3 groups, 6: stride 2
def test_chunked_images_match(name: str, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tiny unfold budget forces one image per chunk of the GEMM paths; results must not change."""
    monkeypatch.setattr(algorithm, "ALGORITHM", name)
    case = random_case(seed, np.float64)
    case["x"] = np.concatenate([case["x"]] * 3)
    case["grad_out"] = np.concatenate([case["grad_out"]] * 3)
    whole = run_all(case, conv2d_forward, conv2d_backward_input, conv2d_backward_weight, keep=True)
    monkeypatch.setattr(_workspace, "COLS_BYTES", 1)
    chunked = run_all(case, conv2d_forward, conv2d_backward_input, conv2d_backward_weight, keep=True)
    for got, want in zip(chunked, whole, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "cols_bytes", "kept"), [("channels_last", None, True), ("channels_last", 1, False),
                                                       ("gemm", None, False), ("direct", None, False)])
def test_only_a_whole_channels_last_batch_is_kept(
    name: str, cols_bytes: int | None, kept: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keep_unfolded returns the channels-last matrix (N, OH, OW, KH * KW * C) when one chunk holds the whole
    batch, and None otherwise (several chunks, or passes that build no reusable matrix)."""
    monkeypatch.setattr(algorithm, "ALGORITHM", name)
    if cols_bytes is not None:
        monkeypatch.setattr(_workspace, "COLS_BYTES", cols_bytes)
    case = random_case(6, np.float64)  # stride 2, one group
    x, weight, grad_out, geometry = case["x"], case["weight"], case["grad_out"], case["geometry"]
    unfolded = conv2d_forward(x, weight, np.empty(grad_out.shape), *geometry, True)
    if not kept:
        assert unfolded is None
        return
    N, OH, OW = grad_out.shape[0], *grad_out.shape[2:]
    assert unfolded.shape == (N, OH, OW, weight[0].size)
    assert conv2d_forward(x, weight, np.empty(grad_out.shape), *geometry) is None  # kept only when asked
    with pytest.raises(ValueError, match="unfolded input of shape .* does not match x"):
        conv2d_backward_weight(x[:1], grad_out[:1], np.empty(weight.shape), *geometry, unfolded[:0])


@pytest.mark.usefixtures("every_algorithm")
@pytest.mark.parametrize("kernel", [conv2d_backward_input, conv2d_backward_input_ref])
def test_backward_input_with_output_padding(kernel) -> None:
    """Transposed convolution: grad_x taller/wider than the forward needs; unreached positions are zero."""
    rng = np.random.default_rng(0)
    grad_out = rng.standard_normal((2, 4, 3, 3))
    weight = rng.standard_normal((4, 2, 3, 3))
    grad_x = np.full((2, 2, 8, 8), np.nan)  # stride 2, padding 1: taps reach rows 0..5; output_padding 2
    kernel(grad_out, weight, grad_x, (2, 2), (1, 1), (1, 1), 1)
    assert np.all(grad_x[:, :, 6:, :] == 0) and np.all(grad_x[:, :, :, 6:] == 0)
    expected = np.empty((2, 2, 6, 6))
    conv2d_backward_input_ref(grad_out, weight, expected, (2, 2), (1, 1), (1, 1), 1)
    np.testing.assert_allclose(grad_x[:, :, :6, :6], expected, rtol=1e-12, atol=1e-12)


@pytest.mark.usefixtures("every_algorithm")
def test_non_contiguous_inputs_match() -> None:
    case = random_case(4, np.float64)
    want = run_all(case, conv2d_forward, conv2d_backward_input, conv2d_backward_weight)
    for key in ("x", "weight", "grad_out"):
        case[key] = np.asfortranarray(case[key])
    got = run_all(case, conv2d_forward, conv2d_backward_input, conv2d_backward_weight)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_output_too_large_for_input_is_rejected() -> None:
    x, w = np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 3, 3))
    with pytest.raises(ValueError, match="conv2d: output 3x3 needs a padded input of at least 5x5"):
        conv2d_forward(x, w, np.empty((1, 1, 3, 3)), (1, 1), (0, 0), (1, 1), 1)


@pytest.mark.usefixtures("every_algorithm")
def test_backward_input_stride_one_with_output_padding() -> None:
    """Dilation 2 allows output_padding 1 at stride 1: the extra last row and column of grad_x get zero."""
    rng = np.random.default_rng(1)
    grad_out = rng.standard_normal((2, 3, 4, 5))
    weight = rng.standard_normal((3, 2, 2, 2))
    grad_x = np.full((2, 2, 7, 8), np.nan)  # the forward pass needs 6x7 (taps reach rows 0..5, columns 0..6)
    conv2d_backward_input(grad_out, weight, grad_x, (1, 1), (0, 0), (2, 2), 1)
    assert np.all(grad_x[:, :, 6, :] == 0) and np.all(grad_x[:, :, :, 7] == 0)
    expected = np.empty((2, 2, 6, 7))
    conv2d_backward_input_ref(grad_out, weight, expected, (1, 1), (0, 0), (2, 2), 1)
    np.testing.assert_allclose(grad_x[:, :, :6, :7], expected, rtol=1e-12, atol=1e-12)


@pytest.mark.usefixtures("both_builds")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(4))
def test_correlate_taps_match_references(seed: int, dtype: type) -> None:
    """The two direct-convolution loops against their numpy references, on random taps and planes."""
    rng = np.random.default_rng(seed)
    N, P, T = int(rng.integers(1, 4)), direct.PLANE_BLOCK * int(rng.integers(1, 3)), int(rng.integers(1, 9))
    S = direct.POSITION_BLOCK * int(rng.integers(1, 3))
    image = S + 20
    src = rng.standard_normal(N * image + 20).astype(dtype)
    offsets = rng.integers(0, 40, size=T).astype(np.int64)  # reads end at most 20 past the last image
    weights = direct.block_weights(rng.standard_normal((T, P)).astype(dtype))
    got, want = np.empty((P, N, S), dtype), np.empty((P, N, S), dtype)
    direct.correlate_taps(src, image, offsets, weights, got)
    direct.correlate_taps_ref(src, image, offsets, weights, want)
    np.testing.assert_allclose(got, want, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])
    rows = int(rng.integers(1, 4))  # rows of `run` positions, row_stride apart in src
    row_stride = (N * image - 40) // rows
    run = row_stride - int(rng.integers(0, 3))
    grad = rng.standard_normal((P, rows * run + int(rng.integers(0, 40)))).astype(dtype)  # unread tail
    offsets = rng.integers(0, 40, size=8).astype(np.int64)
    got, want = np.empty((8, P), dtype), np.empty((8, P), dtype)
    direct.correlate_taps_weight(src, offsets, grad, rows, run, row_stride, got)
    direct.correlate_taps_weight_ref(src, offsets, grad, rows, run, row_stride, want)
    np.testing.assert_allclose(got, want, rtol=10 * TOLERANCE[dtype], atol=10 * TOLERANCE[dtype])


@pytest.mark.usefixtures("both_builds")
@pytest.mark.parametrize("channel_major", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_phase_plane_copies_match_references(seed: int, channel_major: bool) -> None:
    """to_planes and from_planes against their numpy references, on random strides, paddings and sizes."""
    rng = np.random.default_rng(seed)
    N, C, H, W = (int(v) for v in np.concatenate([rng.integers(1, 4, size=2), rng.integers(1, 9, size=2)]))
    sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
    ph, pw = (int(v) for v in rng.integers(0, 3, size=2))
    rows, width = -(-(H + 2 * ph) // sh), -(-(W + 2 * pw) // sw)
    front = int(rng.integers(0, 4))
    plane = front + rows * width + int(rng.integers(0, 3))
    x = rng.standard_normal((N, C, H, W))
    got, want = np.full(N * C * sh * sw * plane, np.nan), np.full(N * C * sh * sw * plane, np.nan)
    _planes.to_planes(x, got, channel_major, front, plane, ph, pw, sh, sw, rows, width)
    _planes.to_planes_ref(x, want, channel_major, front, plane, ph, pw, sh, sw, rows, width)
    np.testing.assert_array_equal(got, want)
    P, S = C + int(rng.integers(0, 3)), rows * width + int(rng.integers(0, 5))
    results = rng.standard_normal(sh * sw * P * N * S)
    got, want = np.full(x.shape, np.nan), np.full(x.shape, np.nan)
    _planes.from_planes(results, got, P, S, ph, pw, sh, sw, width)
    _planes.from_planes_ref(results, want, P, S, ph, pw, sh, sw, width)
    np.testing.assert_array_equal(got, want)


@pytest.mark.usefixtures("both_builds")
@pytest.mark.parametrize("seed", range(6))
def test_batch_last_copies_match_references(seed: int) -> None:
    """to_batch_last, from_batch_last and fold_batch_last against their numpy references."""
    rng = np.random.default_rng(seed)
    N, C, H, W = (int(v) for v in np.concatenate([rng.integers(1, 5, size=2), rng.integers(1, 9, size=2)]))
    ph, pw = (int(v) for v in rng.integers(0, 3, size=2))
    rows = H + 2 * ph - int(rng.integers(0, 2)) * (ph > 0)  # may crop the bottom padding
    width = W + 2 * pw - int(rng.integers(0, 2)) * (pw > 0)
    x = rng.standard_normal((N, C, H, W))
    plane = rows * width * N + int(rng.integers(0, 3))
    got, want = np.full(C * plane + 3, np.nan), np.full(C * plane + 3, np.nan)
    batch_last.to_batch_last(x, got, plane, rows, width, ph, pw)
    batch_last.to_batch_last_ref(x, want, plane, rows, width, ph, pw)
    np.testing.assert_array_equal(got, want)
    assert np.isnan(got[-3:]).all()  # nothing past the planes is written
    row_stride = width * N + int(rng.integers(0, 4))
    planes = rng.standard_normal(C * rows * row_stride)
    out = (rows - ph, width - pw)
    got, want = np.full((N, C, *out), np.nan), np.full((N, C, *out), np.nan)
    batch_last.from_batch_last(planes, got, rows, row_stride, ph, pw)
    batch_last.from_batch_last_ref(planes, want, rows, row_stride, ph, pw)
    np.testing.assert_array_equal(got, want)
    KH, KW, sh, dh, dw = (int(v) for v in rng.integers(1, 3, size=5))
    OH, OW = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    cols = rng.standard_normal((C * KH * KW, OH, OW * N))
    target = rng.standard_normal((C, (OH - 1) * sh + (KH - 1) * dh + 1 + ph, (KW - 1) * dw + OW + pw, N))
    got, want = target.copy(), target.copy()
    batch_last.fold_batch_last(cols, got, KH, KW, sh, dh, dw)
    batch_last.fold_batch_last_ref(cols, want, KH, KW, sh, dh, dw)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.usefixtures("both_builds")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("stride", "padding", "dilation"), [((2, 1), (1, 2), (1, 1)), ((3, 1), (0, 1), (2, 2)), ((1, 1), (2, 0), (1, 3))]
)
def test_batch_last_matches_reference(
    stride: tuple, padding: tuple, dilation: tuple, dtype: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch-last passes, on strides along H alone (which the random cases leave out) and with enough
    images that each row's run spans several position blocks."""
    monkeypatch.setattr(algorithm, "ALGORITHM", "batch")
    rng = np.random.default_rng(sum(stride) + sum(padding))
    x, weight = rng.standard_normal((37, 3, 11, 9)).astype(dtype), rng.standard_normal((5, 3, 3, 2)).astype(dtype)
    OH = conv_output_size(11, 3, stride[0], padding[0], dilation[0])
    OW = conv_output_size(9, 2, stride[1], padding[1], dilation[1])
    case = {"x": x, "weight": weight, "grad_out": rng.standard_normal((37, 5, OH, OW)).astype(dtype)}
    case["geometry"] = (stride, padding, dilation, 1)
    ours = run_all(case, conv2d_forward, conv2d_backward_input, conv2d_backward_weight)
    reference = run_all(case, conv2d_forward_ref, conv2d_backward_input_ref, conv2d_backward_weight_ref)
    for got, want in zip(ours, reference, strict=True):
        np.testing.assert_allclose(got, want, rtol=10 * TOLERANCE[dtype], atol=10 * TOLERANCE[dtype])


@pytest.mark.usefixtures("both_builds")
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(6))
def test_channels_last_copies_match_references(seed: int, dtype: type) -> None:
    """unfold_channels_last and fold_channels_last against their numpy references, on random strides,
    dilations, paddings and sizes, with one and with several per-thread images."""
    rng = np.random.default_rng(seed)
    N, C, H, W = (int(v) for v in np.concatenate([rng.integers(1, 5, size=2), rng.integers(1, 9, size=2)]))
    ph, pw = (int(v) for v in rng.integers(0, 3, size=2))
    KH, KW, dh, dw, sh, sw = (int(v) for v in rng.integers(1, 3, size=6))
    OH = conv_output_size(H, KH, sh, ph, dh)
    OW = conv_output_size(W, KW, sw, pw, dw)
    if OH < 1 or OW < 1:
        KH, KW, dh, dw, OH, OW = 1, 1, 1, 1, conv_output_size(H, 1, sh, ph, 1), conv_output_size(W, 1, sw, pw, 1)
    taps = (KH, KW, dh, dw, sh, sw)
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    cols = rng.standard_normal((N, OH, OW, KH * KW * C)).astype(dtype)
    for workers in (1, 3):
        images = np.full((workers, H + 2 * ph, W + 2 * pw, C), np.nan, dtype)  # garbage must not leak through
        got, want = (np.full(cols.shape, np.nan, dtype) for _ in range(2))
        channels_last.unfold_channels_last(x, got, images, ph, pw, *taps)
        channels_last.unfold_channels_last_ref(x, want, images, ph, pw, *taps)
        np.testing.assert_array_equal(got, want)
        images[...] = np.nan
        got, want = (np.full(x.shape, np.nan, dtype) for _ in range(2))
        channels_last.fold_channels_last(cols, got, images, ph, pw, *taps)
        channels_last.fold_channels_last_ref(cols, want, images, ph, pw, *taps)
        np.testing.assert_allclose(got, want, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])
