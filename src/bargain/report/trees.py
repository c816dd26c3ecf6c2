"""The trees of a report: ``trees/REGIME.tex``, a standalone TikZ picture of each regime
whose game is a tree (symbolic payoffs, the parameters' symbols)."""

from __future__ import annotations

from typing import Any

__all__ = ["regime_trees"]


def regime_trees(model: Any, *, use_cache: bool = True) -> dict[str, str]:
    """``{"trees/REGIME.tex": TikZ source}`` for every regime whose game is a tree.

    Normal-form regimes have no tree and are left out.  The pictures are kept in the
    derivation cache (:mod:`bargain.symbolic.cache`, keyed like the derived conditions), so
    a warm report builds no symbolic game; `use_cache` False rebuilds and stores nothing.
    Each file compiles on its own (``standalone`` class) or, inside a paper,
    with ``\\usepackage{standalone}`` and ``\\input``/``\\includestandalone``.

    Examples
    --------
    >>> import bargain as bg
    >>> sorted(regime_trees(bg.load_model("entry_deterrence")))
    ['trees/entry.tex', 'trees/entry_commitment.tex']
    """
    from bargain.symbolic.cache import load_entry, model_key, store_entry

    structural = {p.name: p.default for p in model.parameters.parameters if p.integer}
    key = model_key(model, what="regime_trees", structural=structural)
    if use_cache:
        cached = load_entry(key)
        if isinstance(cached, dict) and all(isinstance(v, str) for v in cached.values()):
            return cached
    out = {}
    for name in model.regimes:
        game = model.game(name, symbolic=True)
        if hasattr(game, "to_tikz"):
            out[f"trees/{name}.tex"] = game.to_tikz()
    if use_cache:
        store_entry(key, out)
    return out
