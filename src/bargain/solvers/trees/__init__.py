"""Solvers of game trees: backward induction and subgame perfection, trees at many
parameter points, and the sequence form.

``backward_induction`` (the perfect-information kernel), ``subgame_perfect`` and
``subgames`` (any tree, information sets solved in their strategic form), ``points``
(one tree at every row of a parameter array, with leaves compiled by ``compile``),
``sequence_form`` (2-player trees with imperfect information; ``_seqform_build``,
``_seqform_exact``, ``_lemke``), and ``behavior`` (behavior strategies, realization
plans, regrets per information set).
"""
