"""Equilibrium solvers: one module per method; kernels compile on first use."""

from bargain.solvers.api import METHODS, solve
from bargain.solvers.result import Equilibrium, SolveResult

__all__ = ["METHODS", "Equilibrium", "SolveResult", "solve"]
