"""The trees of a report: ``trees/REGIME.tex``, a standalone TikZ picture of each regime
whose game is a tree (symbolic payoffs, the parameters' symbols)."""

from __future__ import annotations

from typing import Any

__all__ = ["regime_trees"]


def regime_trees(model: Any) -> dict[str, str]:
    """``{"trees/REGIME.tex": TikZ source}`` for every regime whose game is a tree.

    Normal-form regimes have no tree and are left out.  Each file compiles on its own
    (``standalone`` class) or, inside a paper, with ``\\usepackage{standalone}`` and
    ``\\input``/``\\includestandalone``.

    Examples
    --------
    >>> import bargain as bg
    >>> sorted(regime_trees(bg.load_model("entry_deterrence")))
    ['trees/entry.tex', 'trees/entry_commitment.tex']
    """
    out = {}
    for name in model.regimes:
        game = model.game(name, symbolic=True)
        if hasattr(game, "to_tikz"):
            out[f"trees/{name}.tex"] = game.to_tikz()
    return out
