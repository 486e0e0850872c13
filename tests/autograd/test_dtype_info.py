"""finfo, iinfo, promotion queries, inference_mode and the ``autograd.autograd`` namespace."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import grad_mode


def test_finfo_float32_and_default() -> None:
    info = autograd.finfo(autograd.float32)
    assert info.bits == 32 and info.dtype == "float32"
    assert info.eps == 2.0**-23
    assert info.tiny == info.smallest_normal == 2.0**-126
    assert info.max == -info.min == float(np.finfo(np.float32).max)
    assert info.resolution == 1e-6
    assert autograd.finfo().dtype == "float32"
    assert autograd.finfo(autograd.float16).resolution == 1e-3
    assert autograd.finfo(autograd.float64).eps == 2.0**-52


def test_iinfo_and_wrong_categories() -> None:
    info = autograd.iinfo(autograd.uint8)
    assert (info.bits, info.min, info.max, info.dtype) == (8, 0, 255, "uint8")
    assert autograd.iinfo(autograd.int64).max == 2**63 - 1
    with pytest.raises(TypeError, match="finfo.*int32"):
        autograd.finfo(autograd.int32)
    with pytest.raises(TypeError, match="iinfo.*bool"):
        autograd.iinfo(autograd.bool)


def test_promote_types_result_type_can_cast() -> None:
    assert autograd.promote_types(autograd.float16, autograd.int64) == autograd.float16
    assert autograd.promote_types(autograd.int8, autograd.uint8) == autograd.int16
    assert autograd.promote_types(autograd.bool, autograd.uint8) == autograd.uint8
    assert autograd.result_type(autograd.tensor([1, 2]), 1.0) == autograd.float32
    zero_dim = autograd.tensor(1.0, dtype=autograd.float64)
    assert autograd.result_type(zero_dim, autograd.tensor([1], dtype=autograd.int32)) == autograd.float64
    assert autograd.result_type(autograd.tensor([1.0], dtype=autograd.float16), zero_dim) == autograd.float16
    assert autograd.result_type(2, 3.0) == autograd.float32
    assert autograd.can_cast(autograd.int64, autograd.uint8)
    assert autograd.can_cast(autograd.float64, autograd.float16)
    assert not autograd.can_cast(autograd.float32, autograd.int64)
    assert not autograd.can_cast(autograd.uint8, autograd.bool)
    with pytest.raises(TypeError, match="result_type"):
        autograd.result_type("a", 1)


def test_is_floating_point_and_default_dtype() -> None:
    assert autograd.is_floating_point(autograd.tensor([1.0]))
    assert not autograd.is_floating_point(autograd.tensor([1]))
    assert autograd.tensor([1.0]).is_floating_point()
    with pytest.raises(TypeError, match="is_floating_point"):
        autograd.is_floating_point(1.0)
    assert autograd.get_default_dtype() == autograd.float32


def test_inference_mode_block_decorator_and_mode_false() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    with autograd.inference_mode():
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad

    @autograd.inference_mode
    def bare() -> bool:
        return autograd.is_grad_enabled()

    @autograd.inference_mode()
    def called() -> bool:
        return autograd.is_grad_enabled()

    assert not bare() and not called() and autograd.is_grad_enabled()
    with autograd.inference_mode(False):
        assert autograd.is_grad_enabled()
    with autograd.no_grad(), autograd.inference_mode(mode=False):
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()


def test_torch_autograd_namespace_reuses_the_same_objects() -> None:
    ns = autograd.autograd
    for name in ["grad", "backward", "Function", "gradcheck", "gradgradcheck", "set_detect_anomaly",
                 "detect_anomaly", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode"]:
        assert getattr(ns, name) is getattr(autograd, name), name
    assert ns.inference_mode is grad_mode.inference_mode
    x = autograd.tensor([3.0], requires_grad=True)
    (g,) = ns.grad((x * x).sum(), x)
    assert g.tolist() == [6.0]
