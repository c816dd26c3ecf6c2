"""Vertices of a best-response polytope ``{z >= 0 : M z <= 1}`` by lexicographic reverse search.

Private helper of :mod:`bargain.solvers.normal_form.vertex`.  The method is Avis & Fukuda's reverse
search (Avis & Fukuda 1992, *Discrete Comput. Geom.* 8) with the lexicographic ratio test of
``lrs`` (Avis 2000): the right-hand side ``1`` is perturbed symbolically to
``1 + (eps, eps**2, ...)``, which makes every feasible basis non-degenerate.  The
lexicographically feasible bases are then the vertices of a *simple* polytope whose graph is
connected; the simplex method for ``min sum(z)`` with Bland's entering rule and the
lexicographic leaving rule leads from each of them to the origin along a unique path, so these
paths form a spanning tree, which the search walks from the root down without storing
anything but the current path.  Every vertex of the unperturbed polytope has at least one
lexicographically feasible basis, so the walk meets every vertex (degenerate ones included);
a vertex is identified by its full label set (cobasic variables plus basic variables at
zero), which determines the point.

One kernel serves three arithmetics, chosen by the caller:

* ``int64`` arrays, ``fl=False``: exact fraction-free integer pivoting (Edmonds 1967, the
  scheme of lrs): the tableau holds ``det(B) * B^-1 [M I 1]``, every entry a minor of the
  input, and each step divides exactly by the previous determinant.  Products that do not
  fit in int64 are formed exactly in 128 bits
  (:mod:`bargain.solvers.normal_form._int128`); when a new
  entry itself might not fit, the kernel stops with status ``OVERFLOW``.
* ``object`` arrays of Python ints (the same code run by the interpreter, via
  :data:`search_python`): the same exact pivoting in unbounded integers.
* ``float64`` arrays, ``fl=True``: ordinary pivoting in floating point.  Every decision that
  depends on a sign (ratio-test ties, zero right-hand sides, reduced costs) is taken only
  when the quantity is farther than ``guard`` from zero; otherwise the kernel stops with
  status ``NEAR_DEGENERATE`` and the caller redoes the game in exact arithmetic.
"""

from __future__ import annotations

import types

import numpy as np
from numba import njit

from bargain.solvers.normal_form._int128 import cmp_prod, exact_quot, quot_fits, small_prod

__all__ = [
    "CAP",
    "NEAR_DEGENERATE",
    "OK",
    "OVERFLOW",
    "pair_labels",
    "search",
    "search_float",
    "search_int",
    "search_python",
]

OK, OVERFLOW, NEAR_DEGENERATE, CAP = 0, 1, 2, 3
_BITS = 63  # label bits per int64 word (bit 63 is left alone so Python ints fit)


@njit(cache=True)
def _lexmin_row(T, c, d, k, N, fl, check, guard, det):
    """Leaving row for entering column `c` by the lexicographic ratio test.

    Returns the row, or -1 (no positive entry), -2 (overflow), -3 (near-degenerate).
    """
    best = -1
    if fl:
        # floating point: the first component decides, or we do not trust the step
        qb = 0.0
        for i in range(d):
            a = T[i, c]
            if abs(a) <= guard:
                return -3
            if a < 0:
                continue
            qi = T[i, N] / a
            if best >= 0:
                if abs(qi - qb) <= guard:
                    return -3
                if qi > qb:
                    continue
            best = i
            qb = qi
        return best
    for i in range(d):
        a = T[i, c]
        if a <= 0:
            continue
        if best < 0:
            best = i
            continue
        b = T[best, c]
        # exact: compare (T[i, q] / a) with (T[best, q] / b) for q = rhs, then slack columns
        for t in range(d + 1):
            q = N if t == 0 else k + t - 1
            if check:
                sgn = cmp_prod(T[i, q], b, T[best, q], a)
            else:
                x = T[i, q] * b - T[best, q] * a
                sgn = (x > 0) - (x < 0)
            if sgn < 0:
                best = i
                break
            if sgn > 0:
                break
    return best


@njit(cache=True)
def _pivot(S, D, r, c, det, R, W, fl, check):
    """Pivot tableau `S` on (r, c) into `D`; return (new det, status)."""
    p = S[r, c]
    if fl:
        for j in range(W):
            D[r, j] = S[r, j] / p
        for i in range(R):
            if i != r:
                f = S[i, c]
                for j in range(W):
                    D[i, j] = S[i, j] - f * D[r, j]
        D[r, c] = 1.0
        for i in range(R):
            if i != r:
                D[i, c] = 0.0
        # the determinant stays 1; written p * 0 + 1 so that both branches return p's type
        # (a float literal here would make Numba return the int64 determinant as a float)
        return p * 0 + 1, OK
    for i in range(R):
        if i == r:
            for j in range(W):
                D[i, j] = S[i, j]
            continue
        f = S[i, c]
        for j in range(W):
            if check and not (small_prod(p, S[i, j]) and small_prod(f, S[r, j])):
                if not quot_fits(p, S[i, j], f, S[r, j], det):
                    return p, OVERFLOW
                D[i, j] = exact_quot(p, S[i, j], f, S[r, j], det)
            else:
                D[i, j] = (p * S[i, j] - f * S[r, j]) // det
    return p, OK


@njit(cache=True)
def _grow(a, cap):
    out = np.zeros((cap, *a.shape[1:]), dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


@njit(cache=True)
def search(M, var_label, nwords, fl, check, guard, max_bases):
    """Every lexicographically feasible basis of ``{z >= 0 : M z <= 1}``, from the origin.

    Parameters
    ----------
    M : (d, k) array, entries > 0 (int64, float64, or object of Python ints)
    var_label : (k + d,) int64, the label of each variable (structural first, then slacks)
    nwords : number of int64 words of a label set (63 labels per word)
    fl, check, guard : floating point?  check int64 overflow?  float sign guard
    max_bases : stop after this many bases (status CAP)

    Returns
    -------
    labels : (n, nwords) int64 bit sets; X : (n, k) numerators of z; dets : (n,) denominators
    (z = X / det); status : OK, OVERFLOW, NEAR_DEGENERATE or CAP.
    """
    d, k = M.shape
    N = k + d
    R = d + 1  # tableau rows: constraints, then the objective (reduced costs of sum z)
    W = N + 1  # columns: variables, then the right-hand side
    cap_depth = 16
    Tst = np.zeros((cap_depth, R, W), dtype=M.dtype)
    Bst = np.zeros((cap_depth, d), dtype=np.int64)  # basic variable of each row
    Pst = np.zeros((cap_depth, N), dtype=np.int64)  # row of a basic variable, -1 if cobasic
    Dst = np.zeros(cap_depth, dtype=M.dtype)  # determinant (1 in floating point)
    Cst = np.zeros(cap_depth, dtype=np.int64)  # next entering candidate to try
    cap_out = 64
    Lout = np.zeros((cap_out, nwords), dtype=np.int64)
    Xout = np.zeros((cap_out, k), dtype=M.dtype)
    Dout = np.zeros(cap_out, dtype=M.dtype)
    T0 = Tst[0]
    for i in range(d):
        for j in range(k):
            T0[i, j] = M[i, j]
        T0[i, k + i] = 1
        T0[i, N] = 1
        Bst[0, i] = k + i
    for j in range(k):
        T0[d, j] = 1
        Pst[0, j] = -1
    for i in range(d):
        Pst[0, k + i] = i
    Dst[0] = 1
    depth = 0
    count = 0
    status = OK
    emit = True
    while depth >= 0:
        T = Tst[depth]
        det = Dst[depth]
        if emit:
            emit = False
            if count == max_bases:
                status = CAP
                break
            if count == cap_out:
                cap_out *= 2
                Lout = _grow(Lout, cap_out)
                Xout = _grow(Xout, cap_out)
                Dout = _grow(Dout, cap_out)
            for j in range(N):
                if Pst[depth, j] < 0:
                    lab = var_label[j]
                    Lout[count, lab // _BITS] |= np.int64(1) << np.int64(lab % _BITS)
            for i in range(d):
                v = Bst[depth, i]
                rhs = T[i, N]
                if fl and abs(rhs) <= guard:
                    status = NEAR_DEGENERATE
                    break
                if rhs == 0:
                    lab = var_label[v]
                    Lout[count, lab // _BITS] |= np.int64(1) << np.int64(lab % _BITS)
                if v < k:
                    Xout[count, v] = rhs
            if status != OK:
                break
            Dout[count] = det
            count += 1
        v = Cst[depth]
        if v >= N:
            depth -= 1  # every candidate tried: back to the parent (kept on the stack)
            continue
        Cst[depth] = v + 1
        if Pst[depth, v] >= 0:
            continue
        # a child is reached by entering v only if v worsens the objective (c_v > 0) ...
        cv = T[d, v]
        if fl and abs(cv) <= guard:
            status = NEAR_DEGENERATE
            break
        if cv <= 0:
            continue
        r = _lexmin_row(T, v, d, k, N, fl, check, guard, det)
        if r < 0:
            status = OVERFLOW if r == -2 else NEAR_DEGENERATE
            break
        u = Bst[depth, r]
        p = T[r, v]
        # ... and if Bland's rule at the child picks u (the variable that left) to enter:
        # no cobasic j < u may have a negative reduced cost c'_j = c_j - c_v T[r,j] / p there.
        # (The lexicographic ratio test at the child then sends u back out of row r: the
        # perturbed polytope is simple, so the edge B -> child is also the edge child -> B.)
        bland = True
        for j in range(u):
            if j == v or Pst[depth, j] >= 0:
                continue
            if check:
                cj = cmp_prod(p, T[d, j], cv, T[r, j])
            else:
                cj = p * T[d, j] - cv * T[r, j]
                if fl and abs(cj) <= guard * abs(p):
                    status = NEAR_DEGENERATE
                    break
            if cj < 0:
                bland = False
                break
        if status != OK:
            break
        if not bland:
            continue
        if depth + 1 == cap_depth:
            cap_depth *= 2
            Tst = _grow(Tst, cap_depth)
            Bst = _grow(Bst, cap_depth)
            Pst = _grow(Pst, cap_depth)
            Dst = _grow(Dst, cap_depth)
            Cst = _grow(Cst, cap_depth)
            T = Tst[depth]
        C = Tst[depth + 1]
        newdet, st = _pivot(T, C, r, v, det, R, W, fl, check)
        if st != OK:
            status = st
            break
        Dst[depth + 1] = newdet
        for i in range(d):
            Bst[depth + 1, i] = Bst[depth, i]
        for j in range(N):
            Pst[depth + 1, j] = Pst[depth, j]
        Bst[depth + 1, r] = v
        Pst[depth + 1, v] = r
        Pst[depth + 1, u] = -1
        Cst[depth + 1] = 0
        depth += 1
        emit = True
    return Lout[:count], Xout[:count], Dout[:count], status


@njit(cache=True)
def search_float(M, var_label, nwords, guard, max_bases):
    """:func:`search` in floating point (``fl=True``, no overflow checks).

    The flags are constants here, so Numba compiles ``search`` for them alone: the exact
    branches and the 128-bit helpers are left out, which keeps this kernel small and quick
    to load from the cache.
    """
    return search(M, var_label, nwords, True, False, guard, max_bases)


@njit(cache=True)
def search_int(M, var_label, nwords, guard, max_bases):
    """:func:`search` in exact int64 arithmetic with overflow checks (no float branches)."""
    return search(M, var_label, nwords, False, True, guard, max_bases)


def _as_python(fn):
    """The interpreter version of a kernel, calling the interpreter versions of its helpers."""
    # Under NUMBA_DISABLE_JIT=1 @njit returns plain functions (no py_func): use them.
    py = getattr(fn, "py_func", fn)
    env = dict(py.__globals__)
    for name in ("_lexmin_row", "_pivot", "_grow"):
        env[name] = getattr(globals()[name], "py_func", globals()[name])
    return types.FunctionType(py.__code__, env, py.__name__)


#: :func:`search` run by the interpreter: exact on ``object`` arrays of Python ints (no bound).
search_python = _as_python(search)


@njit(cache=True)
def _popcount(L, t):
    c = 0
    for w in range(L.shape[1]):
        x = L[t, w]
        while x != 0:
            x &= x - 1
            c += 1
    return c


@njit(cache=True)
def _hash(words):
    h = np.int64(0)
    for w in range(words.shape[0]):
        h = h * np.int64(1000003) + words[w]
    return h


@njit(cache=True)
def _covers(Lx, i, Ly, j, full):
    for w in range(full.shape[0]):
        if (Lx[i, w] | Ly[j, w]) != full[w]:
            return False
    return True


@njit(cache=True)
def pair_labels(Lx, Ly, full, m, n):
    """Index pairs (i, j) whose label sets together cover `full` (completely labeled).

    A vertex of P (dimension m) has at least m labels, one of Q at least n; a pair of
    vertices with exactly m and n labels is complementary only if the label sets are
    complements, which is found by sorting and binary search.  Pairs involving a degenerate
    vertex (more labels than its dimension) are checked one by one.
    """
    nx, ny, nw = Lx.shape[0], Ly.shape[0], Lx.shape[1]
    cap = 16
    out = np.zeros((cap, 2), dtype=np.int64)
    count = 0
    degx = np.zeros(nx, dtype=np.bool_)
    degy = np.zeros(ny, dtype=np.bool_)
    for i in range(nx):
        degx[i] = _popcount(Lx, i) > m
    for j in range(ny):
        degy[j] = _popcount(Ly, j) > n
    dy = np.flatnonzero(degy)
    keys = np.empty(ny, dtype=np.int64)
    for j in range(ny):
        keys[j] = _hash(Ly[j]) if not degy[j] else np.iinfo(np.int64).max
    order = np.argsort(keys, kind="mergesort")
    sorted_keys = keys[order]
    comp = np.empty(nw, dtype=np.int64)
    for i in range(nx):
        if degx[i]:
            for j in range(ny):
                if _covers(Lx, i, Ly, j, full):
                    if count == cap:
                        cap *= 2
                        out = _grow(out, cap)
                    out[count, 0] = i
                    out[count, 1] = j
                    count += 1
            continue
        for w in range(nw):
            comp[w] = full[w] & ~Lx[i, w]
        h = _hash(comp)
        t = np.searchsorted(sorted_keys, h)
        while t < ny and sorted_keys[t] == h:
            j = order[t]
            t += 1
            if not degy[j] and _covers(Lx, i, Ly, j, full):
                if count == cap:
                    cap *= 2
                    out = _grow(out, cap)
                out[count, 0] = i
                out[count, 1] = j
                count += 1
        for j in dy:
            if _covers(Lx, i, Ly, j, full):
                if count == cap:
                    cap *= 2
                    out = _grow(out, cap)
                out[count, 0] = i
                out[count, 1] = j
                count += 1
    return out[:count]
