"""Pictures of the computation graph: ``draw``/``to_dot`` for the whole graph, ``Stepper`` for backward one
vertex at a time. Everything is read through ``autograd.engine.traverse`` and the engine's backward events."""

from autograd.viz.dot import COLOURS
from autograd.viz.draw import draw, to_dot
from autograd.viz.stepper import Stepper

__all__ = ["COLOURS", "Stepper", "draw", "to_dot"]
