"""All extreme Nash equilibria of a two-player game by vertex enumeration, degenerate or not.

The equilibria of a bimatrix game ``(A, B)`` (payoffs shifted to be positive) are, after
normalisation, the completely labeled pairs of vertices ``(x, y) != (0, 0)`` of the
best-response polytopes (von Stengel 2007, *Algorithmic Game Theory* ch. 3, §3.3)::

    P = {x >= 0 : B^T x <= 1}        Q = {y >= 0 : A y <= 1}

where label ``i`` (a strategy of player 1) belongs to ``x`` if ``x_i = 0`` and to ``y`` if
``(A y)_i = 1``, and label ``m + j`` belongs to ``y`` if ``y_j = 0`` and to ``x`` if
``(B^T x)_j = 1``.  The vertices are enumerated by lexicographic reverse search
(:mod:`bargain.solvers.normal_form._polytope`), which is exact about degeneracy: it finds
every vertex
of a degenerate polytope and identifies it by its full label set.

Arithmetic: payoffs that are integers or simple fractions (see
:func:`bargain.solvers.normal_form.exact.payoffs_to_fractions`) are scaled to integers and both
polytopes are enumerated exactly (fraction-free int64 pivoting with exact 128-bit
intermediate products, then unbounded Python integers if an entry itself would not fit);
pairs are found by comparing label bit sets.  Other floats take a faster path: the
vertices of ``P`` in floating point and, for each, the one candidate partner in ``Q`` (the
solution of the square system of its missing labels, :mod:`bargain.solvers.normal_form._partner`).
Every sign decision on that path must clear a guard of ``1e-9`` (payoffs scaled to
``[1, 2]``); if one does not, the game is redone exactly at the payoffs' binary values.
``exact=True`` always uses exact arithmetic.  The result is the set of extreme equilibria
Gambit's ``enummixed`` and ``lrsnash`` report (Gambit lists some twice in degenerate
games; here each appears once).

Components: two extreme equilibria sharing a vertex lie in a common convex set of
equilibria, so the connected components of the equilibrium set are the connected
components of the bipartite graph of equilibrium vertex pairs; the maximal "cliques"
``X' x Y'`` (every pair an equilibrium) are listed per equilibrium in ``info["cliques"]``
(Avis, Rosenberg, Savani & von Stengel 2010, *Economic Theory* 42, §2).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from bargain.errors import SolverError
from bargain.solvers._interpreted import INTERPRETED_MAX_STRATEGIES, tiered
from bargain.solvers.normal_form import _polytope as poly
from bargain.solvers.normal_form._partner import complementary_partners
from bargain.solvers.normal_form._scaling import power_of_two_scale, rescaled
from bargain.solvers.normal_form.exact import payoffs_to_fractions, simple_fractions, verify_exact
from bargain.solvers.normal_form.vertex_components import MAX_CLIQUES, components_and_cliques
from bargain.solvers.result import MAX_EQUILIBRIA, Equilibrium, SolveResult
from bargain.solvers.tolerance import check_limit, check_tol

__all__ = ["vertex_enumeration"]

_GUARD = 1e-9
_INT64_INPUT = 2**31  # integer payoffs up to this size go to the int64 kernel first
#: default work limits, bases per polytope: in float or int64 arithmetic (about 2 s on
#: a random 30x30 game), and in Python big integers (each pivot costs ~200x more there)
MAX_BASES = 100_000
MAX_BASES_BIG = 1_000


def vertex_enumeration(
    game,
    *,
    tol: float = 1e-9,
    exact: bool = False,
    max_bases: int | None = None,
    max_equilibria: int = MAX_EQUILIBRIA,
) -> SolveResult:
    """Every extreme Nash equilibrium of a two-player game, and their components.

    Parameters
    ----------
    game : NormalFormGame
        Two players, numeric payoffs, any number of strategies (a player with a single
        strategy is allowed: the other player then simply best-responds).
    tol : float
        Each equilibrium's float regret must be at most `tol` (absolute; payoffs above
        ``2**500`` in magnitude are first divided by a power of two, and `tol` then
        applies to the scaled game, see :mod:`bargain.solvers.normal_form._scaling`).
    exact : bool
        Enumerate in exact arithmetic whatever the payoffs, and attach to every equilibrium
        its rational strategies (``eq.exact``), verified to have exactly zero regret.
    max_bases : int, optional
        Work limit: stop each polytope's enumeration after this many bases (degenerate
        games have many bases per vertex); the result is then ``complete=False`` with a
        note naming the limit, and holds the equilibria among the vertices found.
        Default: ``MAX_BASES = 100_000`` in float or int64 arithmetic and
        ``MAX_BASES_BIG = 1_000`` where exact pivots need Python big integers (larger
        games, or float payoffs read at their binary values): a few seconds on a random
        30x30 game, whose polytopes have millions of vertices.  A value given applies
        to every arithmetic.
    max_equilibria : int
        List at most this many extreme equilibria (default
        :data:`~bargain.solvers.result.MAX_EQUILIBRIA`), the first in the order below;
        ``complete`` is then False and ``count`` holds the number found.

    Returns
    -------
    SolveResult
        ``method="vertex"``; equilibria sorted by player 1's then player 2's strategy
        (lexicographically, largest probability on the first strategy first); each has
        ``component`` set and ``info["cliques"]``; ``components`` lists the equilibria of each
        connected component.

    Raises
    ------
    SolverError
        If the game does not have two players or is symbolic, or an exact check fails.

    Examples
    --------
    >>> from bargain.games.normal_form import NormalFormGame
    >>> A = [[3, 3], [2, 5], [0, 6]]
    >>> B = [[3, 2], [2, 6], [3, 1]]
    >>> r = vertex_enumeration(NormalFormGame([A, B]), exact=True)
    >>> for eq in r:
    ...     print([[str(p) for p in s] for s in eq.exact])
    [['1', '0', '0'], ['1', '0']]
    [['4/5', '1/5', '0'], ['2/3', '1/3']]
    [['0', '1/3', '2/3'], ['1/3', '2/3']]
    >>> r.components
    ((0,), (1,), (2,))
    """
    game.require(players=2, min_strategies=1, method="vertex")
    tol = check_tol(tol, method="vertex")
    if max_bases is not None:
        max_bases = check_limit("max_bases", max_bases, method="vertex")
    max_equilibria = check_limit("max_equilibria", max_equilibria, method="vertex")
    if not isinstance(exact, bool | np.bool_):
        raise SolverError(f"option 'exact' of method 'vertex': must be a bool, got {exact!r}")
    A = np.asarray(game.payoffs[0], dtype=float)
    B = np.asarray(game.payoffs[1], dtype=float)
    c = power_of_two_scale((A, B))
    if c != 1.0:  # payoffs too large for float arithmetic: solve them scaled
        return rescaled(
            game,
            c,
            lambda h: vertex_enumeration(
                h, tol=tol, exact=exact, max_bases=max_bases, max_equilibria=max_equilibria
            ),
            False,
        )
    m, n = A.shape
    small = m + n <= INTERPRETED_MAX_STRATEGIES  # no compile for one small game: _kernel
    notes: list[str] = []
    fracs = None  # exact payoffs, built only when an exact check needs them
    exact_input = _small_integers(A, B)
    if exact_input is None:
        fracs = simple_fractions([A, B])
        if fracs is None and exact:
            fracs, _ = payoffs_to_fractions([A, B])
        exact_input = fracs
    if exact_input is not None:
        arithmetic = "exact"
        found, status, how = _enumerate_exact(exact_input[0], exact_input[1], max_bases, small)
        notes.append(f"vertex enumeration in exact integer arithmetic ({how})")
    else:
        found, status = _enumerate_float(A, B, max_bases, small)
        arithmetic = "float"
        if status == poly.NEAR_DEGENERATE:
            fracs, _ = payoffs_to_fractions([A, B])
            found, status, how = _enumerate_exact(fracs[0], fracs[1], max_bases, small)
            arithmetic = "exact"
            notes.append(
                "floating-point pivoting met a (near-)degenerate step; redone in exact "
                f"integer arithmetic ({how}) at the payoffs' binary values"
            )
        else:
            notes.append(
                "vertex enumeration in floating point (no near-degenerate step met): "
                "vertices of P, each with its complementary vertex of Q"
            )
    complete = status != poly.CAP
    cap = (
        f"max_bases={max_bases}"
        if max_bases
        else f"max_bases (default: {MAX_BASES} in float or int64 arithmetic, {MAX_BASES_BIG} "
        "in big integers)"
    )
    if not complete:
        notes.append(
            f"vertex enumeration stopped at the work limit {cap} bases per "
            "polytope: equilibria may be missing; raise max_bases, or use method "
            "'lemke_howson' (labels='all') for a few equilibria of a large game"
        )
    (_, rows_x, Xx), (_, rows_y, Xy), pairs = found
    exact_arith = arithmetic == "exact"
    S1 = _float_strategies(Xx, rows_x[pairs[:, 0]], m)
    S2 = _float_strategies(Xy, rows_y[pairs[:, 1]], n)
    regrets, values = _bimatrix_regrets(A, B, S1, S2)
    equilibria_raw = []
    rejected = []
    exactly_verified = 0
    for t, (i, j) in enumerate(pairs):
        exact_prof = None
        regret = float(regrets[t])
        if exact or (exact_arith and regret > tol):
            exact_prof = (_exact_strategy(Xx[rows_x[i]]), _exact_strategy(Xy[rows_y[j]]))
            if fracs is None:
                fracs, _ = payoffs_to_fractions([A, B])
            # exact arithmetic: the pair is an equilibrium exactly; a float regret above
            # tol can only come from rounding (large payoffs), and is overruled by the proof
            exact_regret = verify_exact(fracs, exact_prof)
            if exact_regret != 0:
                raise SolverError(
                    f"vertex pair ({i}, {j}) fails the exact equilibrium check "
                    f"(regret {exact_regret}); please report this game"
                )
            if regret > tol:
                exactly_verified += 1
                regret = 0.0  # the exact regret; the float one is in info
        elif regret > tol:
            rejected.append(regret)
            continue
        equilibria_raw.append(
            (
                int(i),
                int(j),
                S1[t],
                S2[t],
                regret,
                values[t],
                exact_prof if exact else None,
                float(regrets[t]),
            )
        )
    if exactly_verified:
        notes.append(
            f"{exactly_verified} equilibria have a float regret above tol={tol} (rounding of "
            "large payoffs; see info['float_regret']) and were verified in exact arithmetic "
            "instead (max_regret 0)"
        )
    if rejected:
        complete = False
        notes.append(
            f"{len(rejected)} vertex pair(s) exceed tol={tol} in floating point (largest "
            f"regret {max(rejected):.3g}) and were dropped; rerun with exact=True"
        )
    # deterministic order: vertices in decreasing lexicographic order of their strategy
    equilibria_raw.sort(key=lambda e: (tuple(-e[2]), tuple(-e[3])))
    count = len(equilibria_raw) if complete else None
    if len(equilibria_raw) > max_equilibria:
        notes.append(
            f"{len(equilibria_raw)} extreme equilibria found; listed the first "
            f"{max_equilibria} (max_equilibria={max_equilibria}); components are those of "
            "the listed ones"
        )
        equilibria_raw = equilibria_raw[:max_equilibria]
        complete = False
    comp_of, components, cliques_of, whole = components_and_cliques(
        [(e[0], e[1]) for e in equilibria_raw]
    )
    if not whole:
        notes.append(
            "the maximal cliques of the equilibrium graph were cut off at "
            f"{MAX_CLIQUES} (info['cliques'] is partial; components are exact)"
        )
    equilibria = tuple(
        Equilibrium(
            strategies=(s1, s2),
            payoffs=value,
            max_regret=regret,
            exact=prof,
            component=comp_of[k],
            info={"cliques": cliques_of[k], "float_regret": float_regret},
        )
        for k, (_, _, s1, s2, regret, value, prof, float_regret) in enumerate(equilibria_raw)
    )
    big = [c for c in components if len(c) > 1]
    if big:
        notes.append(
            f"a continuum of equilibria: {len(big)} component(s) with more than one extreme "
            f"equilibrium (sizes {[len(c) for c in big]})"
        )
    return SolveResult(
        game=game,
        method="vertex",
        equilibria=equilibria,
        options={
            "tol": tol,
            "exact": exact,
            "max_bases": max_bases,
            "arithmetic": arithmetic,
            "capped": status == poly.CAP,
            "max_equilibria": max_equilibria,
        },
        tolerance=tol,
        complete=complete,
        notes=tuple(notes),
        components=components,
        count=count,
    )


def _bimatrix_regrets(A, B, S1, S2):
    """Regret and payoffs of many profiles at once (rows of S1, S2); the same quantity as
    :func:`bargain.solvers.verify.max_regret`, vectorised over profiles."""
    dev1 = S2 @ A.T  # (k, m): player 1's payoff of each pure strategy
    dev2 = S1 @ B  # (k, n)
    v1 = np.einsum("ki,ki->k", S1, dev1)
    v2 = np.einsum("kj,kj->k", S2, dev2)
    if len(S1) == 0:
        return np.zeros(0), np.zeros((0, 2))
    regret = np.maximum(np.maximum(dev1.max(axis=1) - v1, dev2.max(axis=1) - v2), 0.0)
    return regret, np.stack([v1, v2], axis=1)


def _full_mask(n_labels: int, nwords: int) -> np.ndarray:
    full = np.zeros(nwords, dtype=np.int64)
    for lab in range(n_labels):
        full[lab // poly._BITS] |= np.int64(1) << np.int64(lab % poly._BITS)
    return full


def _var_labels(m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    # P: x_i has label i, slack of column j label m + j; Q: y_j has m + j, slack of row i, i
    lab_p = np.arange(m + n, dtype=np.int64)
    lab_q = np.concatenate([np.arange(m, m + n), np.arange(m)]).astype(np.int64)
    return lab_p, lab_q


def _vertices(L, X):
    """Distinct nonzero vertices: their label sets and the row of `X` of each."""
    if len(L) == 0:
        return np.zeros((0, L.shape[1]), dtype=np.int64), np.zeros(0, dtype=np.int64)
    if L.shape[1] == 1:
        _, first = np.unique(L[:, 0], return_index=True)
    else:
        _, first = np.unique(L, axis=0, return_index=True)
    first = np.sort(first)
    first = first[np.any(X[first] != 0, axis=1)]  # drop the origin
    return np.ascontiguousarray(L[first]), first


def _exact_strategy(x) -> tuple[Fraction, ...]:
    total = sum(int(v) for v in x)
    return tuple(Fraction(int(v), total) for v in x)


def _float_strategies(X, rows, k: int) -> np.ndarray:
    """Normalised strategies of the vertices ``X[rows]`` (float or integer numerators)."""
    if len(rows) == 0:
        return np.zeros((0, k))
    if X.dtype == object:  # integers that may not fit a float: divide exactly first
        S = np.empty((len(rows), k))
        for a, r in enumerate(rows):
            total = sum(int(v) for v in X[r])
            S[a] = [float(Fraction(int(v), total)) for v in X[r]]
        return S
    S = np.array(X[rows], dtype=float).reshape(len(rows), k)
    return S / S.sum(axis=1, keepdims=True)


def _scaled(M: np.ndarray) -> np.ndarray:
    """Payoffs mapped affinely onto [1, 2] (same best responses, positive entries)."""
    lo, hi = float(M.min()), float(M.max())
    Ms = np.ones_like(M) if hi == lo else 1.0 + (M - lo) / (hi - lo)
    return np.ascontiguousarray(Ms)


def _kernel(kernel, small: bool):
    """`kernel`, or for a small game its interpreted twin while the kernel is not compiled
    or cached (:func:`~bargain.solvers._interpreted.tiered`).  The twin runs the same
    statements on the same NumPy types (int64 products wrap as in Numba: overflow warnings
    are silenced where it is called) and so gives the same answers without compiling."""
    return tiered(kernel, small)


def _enumerate_float(A, B, max_bases, small=False):  # max_bases None: the default, MAX_BASES
    """Vertices of P, and for each its complementary vertex of Q, in floating point.

    Returns ``(xs, ys, pairs), status``; on ``NEAR_DEGENERATE`` the caller redoes the game
    exactly.
    """
    m, n = A.shape
    nwords = (m + n + poly._BITS - 1) // poly._BITS
    lab_p, _ = _var_labels(m, n)
    cap = max_bases or MAX_BASES
    search = _kernel(poly.search_float, small)
    L, X, _, status = search(_scaled(B.T), lab_p, nwords, _GUARD, cap)
    if status == poly.NEAR_DEGENERATE:
        return None, status
    Lx, rows_x = _vertices(L, X)
    Y, found, st = _kernel(complementary_partners, small)(Lx, _scaled(A), _GUARD)
    if st == poly.NEAR_DEGENERATE:
        return None, st
    full = _full_mask(m + n, nwords)
    y_index: dict[bytes, int] = {}
    Ly, Yv, pairs = [], [], []
    for i in np.flatnonzero(found):
        labels = full & ~Lx[i]  # a nondegenerate partner has exactly the missing labels
        j = y_index.setdefault(labels.tobytes(), len(y_index))
        if j == len(Ly):
            Ly.append(labels)
            Yv.append(Y[i])
        pairs.append((i, j))
    Ly_arr = np.array(Ly, dtype=np.int64).reshape(len(Ly), nwords)
    Y_arr = np.array(Yv, dtype=float).reshape(len(Yv), n)
    pairs_arr = np.array(pairs, dtype=np.int64).reshape(len(pairs), 2)
    xs = (Lx, rows_x, X)
    ys = (Ly_arr, np.arange(len(Ly), dtype=np.int64), Y_arr)
    return (xs, ys, pairs_arr), status


def _to_positive_ints(F: np.ndarray) -> list[list[int]]:
    """Scale a Fraction matrix to integers and shift it so that every entry is >= 1."""
    den = 1
    for f in F.ravel():
        den = math.lcm(den, f.denominator)
    ints = [[int(f * den) for f in row] for row in F]
    lo = min(min(r) for r in ints)
    return [[v - lo + 1 for v in row] for row in ints]


def _positive(M: np.ndarray):
    """Integer matrix with every entry >= 1 (int64 when small enough, else Python ints)."""
    if M.dtype == object:
        ints = _to_positive_ints(M)
        if max(max(r) for r in ints) < _INT64_INPUT:
            return np.array(ints, dtype=np.int64)
        out = np.empty((len(ints), len(ints[0])), dtype=object)
        for i, row in enumerate(ints):
            for j, v in enumerate(row):
                out[i, j] = v
        return out
    return M - M.min() + 1  # int64 input below _INT64_INPUT in magnitude


def _enumerate_exact(MA, MB, max_bases, small=False):
    """Vertices of P and Q in exact arithmetic; MA, MB int64 or Fraction matrices;
    `max_bases` None: the defaults ``MAX_BASES`` (int64) and ``MAX_BASES_BIG``."""
    m, n = MA.shape
    nwords = (m + n + poly._BITS - 1) // poly._BITS
    lab_p, lab_q = _var_labels(m, n)
    out = []
    status = poly.OK
    hows = set()
    for M, lab in ((MB.T, lab_p), (MA, lab_q)):
        Mi = np.ascontiguousarray(_positive(M))
        res = None
        if Mi.dtype == np.int64:
            with np.errstate(over="ignore"):  # the 128-bit helpers wrap uint64 on purpose
                res = _kernel(poly.search_int, small)(
                    Mi, lab, nwords, _GUARD, max_bases or MAX_BASES
                )
            if res[3] == poly.OVERFLOW:
                res = None
                Mi = Mi.astype(object)
            else:
                hows.add("int64")
        if res is None:
            Mo = np.empty(Mi.shape, dtype=object)
            for idx, v in np.ndenumerate(Mi):
                Mo[idx] = int(v)
            big = max_bases or MAX_BASES_BIG
            res = poly.search_python(Mo, lab, nwords, False, False, _GUARD, big)
            hows.add("big-integer")
        L, X, _, st = res
        status = max(status, st)
        out.append((*_vertices(L, X), X))
    how = " and ".join(sorted(hows, reverse=True))
    (Lx, _, _), (Ly, _, _) = out
    with np.errstate(over="ignore"):  # the label hash wraps int64 on purpose
        pairs = _kernel(poly.pair_labels, small)(Lx, Ly, _full_mask(m + n, nwords), m, n)
    return (out[0], out[1], pairs), status, how


def _small_integers(A: np.ndarray, B: np.ndarray):
    """A and B as int64 if every payoff is an integer below 2**30 in magnitude, else None."""
    if all(np.all(M == np.round(M)) and np.all(np.abs(M) < 2**30) for M in (A, B)):
        return A.astype(np.int64), B.astype(np.int64)
    return None
