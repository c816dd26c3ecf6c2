"""k-subsets in lexicographic order: the enumeration step of the support kernels (private).

Shared by support enumeration (:mod:`bargain.solvers.normal_form.support`) and the batch
vertex kernels (:mod:`bargain.solvers.normal_form._batch_vertices`); inlined into both.
"""

from __future__ import annotations

from numba import njit

__all__ = ["next_combination"]


@njit(cache=True, inline="always")
def next_combination(idx, k, n):  # pragma: no cover - compiled
    """Advance ``idx[:k]`` to the next k-subset of range(n) in lexicographic order.

    Returns False (leaving `idx` as it was) after the last subset.
    """
    i = k - 1
    while i >= 0 and idx[i] == n - k + i:
        i -= 1
    if i < 0:
        return False
    idx[i] += 1
    for j in range(i + 1, k):
        idx[j] = idx[j - 1] + 1
    return True
