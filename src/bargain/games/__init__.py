"""What a game is: parameters, normal-form games, game trees, Gambit files."""

from bargain.games.bayesian import bayesian
from bargain.games.extensive_form import Chance, Decision, GameTree, InfoSet, Node, Terminal
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet

__all__ = [
    "Chance",
    "Decision",
    "GameTree",
    "InfoSet",
    "Node",
    "NormalFormGame",
    "Parameter",
    "ParameterSet",
    "Terminal",
    "bayesian",
]
