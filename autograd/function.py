"""``Function``: one differentiable op, its forward and backward side by side; ``Node``: its record in the graph.

A call ``SomeOp.apply(*args, **kwargs)`` runs ``forward`` and, when gradients are being recorded, links a
``Node`` (``SomeOpBackward``) into the graph: the node is also the ``ctx`` the op's ``forward`` and ``backward``
see. Keyword arguments of ``apply`` become attributes of the context (``ctx.dim``, ``ctx.stride``).

Two kinds of forward exist, chosen by a class attribute:

* built-in ops (``array_forward = True``, set by ``register_op``) compute their forward on numpy arrays, which
  keeps the hot path free of Tensor overhead;
* user-defined ``Function`` subclasses receive Tensors, as ``torch.autograd.Function`` does.

Both write ``backward`` with Tensor operations, so the engine can record it when ``create_graph=True``.
"""

from __future__ import annotations

import itertools
import os
import traceback
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import tensor as _tensor_module  # resolved at call time: tensor.py imports the ops
from autograd.grad_mode import STATE as _GRAD
from autograd.grad_mode import no_grad

_sequence = itertools.count()

FREED_GRAPH_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have "
    "already been freed). Saved intermediate values of the graph are freed when you call .backward() or "
    "autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward."
)


class _AnomalyState:
    enabled: bool = False


ANOMALY = _AnomalyState()


class ForwardEvent:
    """One op call seen by a forward listener: the op class, its arguments, the output and its node (``None``
    when nothing was recorded)."""

    __slots__ = ("op", "inputs", "kwargs", "output", "node")

    def __init__(self, op: type, inputs: tuple, kwargs: dict, output: Any, node: Any) -> None:
        self.op, self.inputs, self.kwargs, self.output, self.node = op, inputs, kwargs, output, node


_forward_listeners: list[Callable[[ForwardEvent], None]] = []


class ForwardListenerHandle:
    """Returned by ``add_forward_listener``; ``remove()`` unsubscribes."""

    def __init__(self, fn: Callable[[ForwardEvent], None]) -> None:
        self.fn = fn

    def remove(self) -> None:
        if self.fn in _forward_listeners:
            _forward_listeners.remove(self.fn)


def add_forward_listener(fn: Callable[[ForwardEvent], None]) -> ForwardListenerHandle:
    """Call ``fn(event)`` after every op call, in execution order (used by ``trace.record``)."""
    _forward_listeners.append(fn)
    return ForwardListenerHandle(fn)


class Node:
    """Context of one op call and its vertex in the graph (the tensor's ``grad_fn``).

    Attributes
    ----------
    next_edges : tuple
        Per positional input: the ``Node`` that produced it, the leaf ``Tensor`` itself, or ``None`` when the
        input needs no gradient. Edges survive ``release``, so an op that saved nothing can be run again.
    needs_input_grad : tuple of bool
        Per positional input, whether it requires a gradient.
    seq : int
        Creation order; backward runs ready nodes newest first, as PyTorch does.
    """

    # Class-level defaults: a node only stores what differs, which keeps op calls cheap.
    fn: type[Function]
    next_edges: tuple = ()
    needs_input_grad: tuple = ()
    seq: int = -1
    _inputs: tuple | None = None
    _versions: tuple = ()
    _saved: tuple | None = None
    _saved_versions: tuple = ()
    _out: np.ndarray | None = None
    _out_box: list | None = None
    _out_version: int = 0
    _meta: tuple | None = None
    _released: bool = False
    _stashed: bool = False
    pre_hooks: list | None = None
    retain_ref: Callable | None = None
    created_at: str | None = None

    def __getattr__(self, name: str) -> Any:
        # Keyword arguments an op call left out fall back to the defaults declared on the op class.
        if not name.startswith("__"):
            try:
                return getattr(self.fn, name)
            except AttributeError:
                if self._released:
                    raise RuntimeError(FREED_GRAPH_MESSAGE) from None
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    # -- identity -------------------------------------------------------------------------------------
    def name(self) -> str:
        """The node's name, e.g. ``MulBackward`` (PyTorch's ``grad_fn.name()``)."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{self.name()} object at {id(self):#x}>"

    @property
    def next_functions(self) -> tuple:
        """Pairs ``(node_or_leaf_or_None, 0)`` per input, shaped like PyTorch's ``next_functions``."""
        return tuple((edge, 0) for edge in self.next_edges)

    # -- saved values, checked against in-place changes ------------------------------------------------
    def _check_alive(self) -> None:
        if self._released:
            raise RuntimeError(FREED_GRAPH_MESSAGE)

    @property
    def inputs(self) -> tuple:
        """The op's positional inputs (Tensors keep their graph); raises if one was modified in place."""
        self._check_alive()
        for arg, version in zip(self._inputs, self._versions):
            if version is not None and arg._version_box[0] != version:
                _raise_modified(self, arg, version)
        return self._inputs

    def input(self, index: int) -> Any:
        """One positional input, checked for in-place changes like ``inputs`` (only this one is checked,
        so an op can use just the inputs its needed gradients depend on, as PyTorch saves only those)."""
        self._check_alive()
        arg, version = self._inputs[index], self._versions[index]
        if version is not None and arg._version_box[0] != version:
            _raise_modified(self, arg, version)
        return arg

    @property
    def output(self):
        """The op's output as a Tensor whose ``grad_fn`` is this node, for exact higher-order gradients."""
        self._check_alive()
        if self._out_box[0] != self._out_version:
            _raise_modified(self, self._out, self._out_version, current=self._out_box[0])
        out = _tensor_module.Tensor._make(self._out, True, self)
        out._version_box = self._out_box
        return out

    def save_for_backward(self, *tensors: Any) -> None:
        """Keep tensors for ``backward``; reading them back checks they were not modified in place."""
        self._saved = tensors
        self._saved_versions = tuple(
            t._version_box[0] if isinstance(t, _tensor_module.Tensor) else None for t in tensors
        )

    @property
    def saved_tensors(self) -> tuple:
        self._check_alive()
        if self._saved is None:
            return ()
        for t, version in zip(self._saved, self._saved_versions):
            if version is not None and t._version_box[0] != version:
                _raise_modified(self, t, version)
        return self._saved

    def input_meta(self) -> tuple:
        """Per positional input: ``(shape, dtype)`` of Tensors, ``None`` otherwise (kept after release)."""
        if self._meta is None:
            Tensor = _tensor_module.Tensor
            self._meta = tuple(
                (a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None for a in self._inputs
            )
        return self._meta

    def release(self) -> None:
        """Free what backward needed (inputs, output, saved arrays); edges and op arguments stay."""
        if self._meta is None:
            self.input_meta()
        self._released = True
        self._inputs = None
        self._saved = None
        self._out = None
        if self._stashed:
            attributes = self.__dict__
            kinds = (np.ndarray, _tensor_module.Tensor)
            for key in [k for k, v in attributes.items() if isinstance(v, kinds)]:
                del attributes[key]


def _raise_modified(node: Node, tensor: Any, expected: int, current: int | None = None) -> None:
    data = tensor._data if hasattr(tensor, "_data") else tensor
    if current is None:
        current = tensor._version_box[0]
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        f"[{data.dtype} tensor of shape {list(data.shape)}], which is used by {node.name()}, is at version "
        f"{current}; expected version {expected} instead."
    )


_PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_LIBRARY_DIRS = tuple(os.path.join(_PACKAGE_ROOT, name) + os.sep for name in ("autograd", "nn", "optim", "data"))


def _user_frame() -> str:
    """``file:line`` of the innermost frame outside stepgrad's own packages (for anomaly mode)."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if not os.path.abspath(frame.filename).startswith(_LIBRARY_DIRS):
            return f"{frame.filename}:{frame.lineno} in {frame.name}"
    return "<unknown>"


class Function:
    """Base class of differentiable ops.

    Subclass it and define ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` as static methods,
    then call ``MyFunction.apply(*args)``, exactly as with ``torch.autograd.Function``. ``backward`` returns
    one gradient per positional argument of ``forward`` (``None`` where none is needed). A Function here
    returns a single Tensor.
    """

    array_forward: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # ``node_name`` lets two op classes share PyTorch's node name (tensor ** number and tensor ** tensor are
        # both ``PowBackward``).
        name = cls.__dict__.get("node_name") or cls.__name__
        cls._node_type = type(f"{name}Backward", (Node,), {"fn": cls})

    @staticmethod
    def forward(ctx: Node, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("Function subclasses must define forward(ctx, *args)")

    @staticmethod
    def backward(ctx: Node, *grad_outputs: Any) -> Any:
        raise NotImplementedError("Function subclasses must define backward(ctx, *grad_outputs)")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any):
        Tensor = _tensor_module.Tensor
        ctx = cls._node_type()
        if kwargs:
            ctx.__dict__.update(kwargs)
        # One pass over the arguments: their arrays and, when recording, which need a gradient, where their
        # gradient goes and their versions. (Written out: this is the hottest loop of the library.)
        record = False
        arrays = []
        if _GRAD.enabled:
            needs, edges, versions = [], [], []
            for a in args:
                if isinstance(a, Tensor):
                    arrays.append(a._data)
                    versions.append(a._version_box[0])
                    if a._requires_grad:
                        record = True
                        needs.append(True)
                        edges.append(a.grad_fn if a.grad_fn is not None else a)
                        continue
                else:
                    arrays.append(a)
                    versions.append(None)
                needs.append(False)
                edges.append(None)
        else:
            for a in args:
                arrays.append(a._data if isinstance(a, Tensor) else a)
        if record:
            ctx.needs_input_grad = tuple(needs)
        elif not cls.array_forward:
            ctx.needs_input_grad = (False,) * len(args)

        if cls.array_forward:
            out = cls.forward(ctx, *arrays)
        else:
            with no_grad():
                out = cls.forward(ctx, *args)
            if isinstance(out, (tuple, list)):
                raise TypeError(f"{cls.__name__}.forward: stepgrad Functions return one Tensor, got a {type(out)}")
            if isinstance(out, Tensor):
                out = out._data
        if type(out) is not np.ndarray:
            out = np.asarray(out)

        result = Tensor._make(out)
        if record and out.dtype.kind == "f":
            if len(ctx.__dict__) > len(kwargs) + 1:
                ctx._stashed = True  # forward kept arrays on ctx: release() must look for them
            ctx.seq = next(_sequence)
            ctx._inputs = args
            ctx.next_edges = tuple(edges)
            ctx._versions = versions
            ctx._out = out
            ctx._out_box = result._version_box
            result._requires_grad = True
            result.grad_fn = ctx
            if ANOMALY.enabled:
                ctx.created_at = _user_frame()
        if _forward_listeners:
            event = ForwardEvent(cls, args, kwargs, result, result.grad_fn)
            for listener in list(_forward_listeners):
                listener(event)
        return result


def wrap(array: np.ndarray, requires_grad: bool = False) -> Any:
    """Wrap a numpy array as a Tensor (no copy) without creating a graph node."""
    return _tensor_module.Tensor._make(array, requires_grad)
