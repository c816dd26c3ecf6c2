"""Entry deterrence: the tutorial model.

An entrant decides whether to enter an incumbent's market; the incumbent then fights or
accommodates (Selten 1978, the chain-store stage game).  Fighting is an empty threat, so in
the subgame-perfect equilibrium the entrant enters and the incumbent accommodates.  In the
``entry_commitment`` regime the incumbent may first pay ``commitment_cost`` to tie its hands
(e.g. build capacity, Dixit 1980): after committing it fights any entry.  Where the
threat is empty (``monopoly_profit - entrant_profit >= -fight_cost``), commitment deters
entry and pays iff ``commitment_cost <= entrant_profit``.

References
----------
Selten, R. (1978). The chain store paradox. Theory and Decision 9, 127-159.
Dixit, A. (1980). The role of investment in entry-deterrence. Economic Journal 90, 95-106.
"""

from bargain import Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
from bargain.models import Output, Reference

ASSUMPTION = "assumption: illustrative value for the tutorial"

PARAMETERS = ParameterSet(
    [
        Parameter(
            "entrant_profit",
            2.0,
            (0.1, 10.0),
            "profit",
            "entrant's profit if accommodated",
            ASSUMPTION,
            label="entrant's profit",
            tex=r"$\pi_E$",
        ),
        Parameter(
            "fight_cost",
            1.0,
            (0.0, 10.0),
            "profit",
            "each firm's loss in a price war",
            ASSUMPTION,
            label="cost of a price war",
            tex=r"$f$",
        ),
        Parameter(
            "monopoly_profit",
            5.0,
            (1.0, 20.0),
            "profit",
            "incumbent's profit as a monopolist",
            ASSUMPTION,
            label="monopoly profit",
            tex=r"$\pi_M$",
        ),
        Parameter(
            "commitment_cost",
            1.0,
            (0.0, 10.0),
            "profit",
            "incumbent's cost of committing to fight",
            ASSUMPTION,
            label="commitment cost",
            tex=r"$c$",
        ),
    ]
)
PLAYERS = ("Entrant", "Incumbent")


def _entry_subgame(p, *, incumbent_shift=0):
    """The entrant's choice followed by the incumbent's reply, minus `incumbent_shift`."""
    a, f, m = p.entrant_profit, p.fight_cost, p.monopoly_profit
    return Decision(
        "Entrant",
        {
            "Out": Terminal(0, m - incumbent_shift),
            "In": Decision(
                "Incumbent",
                {
                    "Accommodate": Terminal(a, m - a - incumbent_shift),
                    "Fight": Terminal(-f, -f - incumbent_shift),
                },
            ),
        },
    )


def entry(p):
    """The entry game without commitment."""
    return GameTree(PLAYERS, _entry_subgame(p), parameters=PARAMETERS, title="entry deterrence")


def entry_commitment(p):
    """The incumbent may first commit (at a cost) to fight any entry."""
    f, m, k = p.fight_cost, p.monopoly_profit, p.commitment_cost
    committed = Decision("Entrant", {"Out": Terminal(0, m - k), "In": Terminal(-f, -f - k)})
    root = Decision("Incumbent", {"Commit": committed, "Open": _entry_subgame(p)})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="entry deterrence with commitment")


MODEL = Model(
    name="entry_deterrence",
    title="Entry deterrence (tutorial)",
    description=__doc__.split("\n\n")[1].replace("\n", " "),
    parameters=PARAMETERS,
    regimes=[
        Regime("entry", entry, "entrant moves, incumbent replies", agreement=("In", "Accommodate")),
        Regime(
            "entry_commitment",
            entry_commitment,
            "incumbent may commit first",
            agreement=("Commit", "Out"),
        ),
    ],
    outputs=[
        Output(
            "commitment_margin",
            lambda p: p.entrant_profit - p.commitment_cost,
            "what committing saves the incumbent when the threat is otherwise empty",
            "profit",
        )
    ],
    references=(
        Reference(
            kind="article",
            authors=("Selten, R.",),
            year=1978,
            title="The chain store paradox",
            container="Theory and Decision",
            volume="9",
            pages="127-159",
        ),
        Reference(
            kind="article",
            authors=("Dixit, A.",),
            year=1980,
            title="The role of investment in entry-deterrence",
            container="Economic Journal",
            volume="90",
            pages="95-106",
        ),
    ),
)

__all__ = ["MODEL"]
