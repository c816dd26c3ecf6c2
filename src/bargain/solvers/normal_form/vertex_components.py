"""Components and maximal cliques of the extreme equilibria found by vertex enumeration.

Two extreme equilibria are adjacent when they share a vertex of one polytope; the
connected components of that bipartite graph are the components of the set of Nash
equilibria, and its maximal complete bipartite subgraphs (cliques) are the maximal convex
sets of equilibria (Avis, Rosenberg, Savani & von Stengel 2010).
"""

from __future__ import annotations

__all__ = ["MAX_CLIQUES", "components_and_cliques"]

#: the clique search stops after this many maximal cliques (there can be exponentially many)
MAX_CLIQUES = 2_000


def components_and_cliques(pairs: list[tuple[int, int]]):
    """Connected components and maximal cliques of the bipartite graph of vertex pairs.

    Parameters
    ----------
    pairs : list of (int, int)
        Equilibria as (vertex of P, vertex of Q) index pairs.

    Returns
    -------
    tuple
        ``(comp_of, components, cliques_of, whole)``: each pair's component index, the
        pairs of each component, the maximal cliques each pair belongs to, and False when
        the clique search stopped at :data:`MAX_CLIQUES` (their number can be exponential).

    Examples
    --------
    >>> comp_of, comps, cliques, whole = components_and_cliques([(0, 0), (0, 1), (1, 2)])
    >>> comp_of, comps, cliques, whole
    ([0, 0, 1], ((0, 1), (2,)), [(0,), (0,), (1,)], True)
    """
    parent: dict = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in pairs:
        parent[find(("x", i))] = find(("y", j))
    comp_index: dict = {}
    comp_of = []
    for i, _ in pairs:
        root = find(("x", i))
        comp_of.append(comp_index.setdefault(root, len(comp_index)))
    components = tuple(
        tuple(k for k, c in enumerate(comp_of) if c == ci) for ci in range(len(comp_index))
    )
    # maximal bicliques = closed pairs (X', Y') with Y' = N(X'), X' = N(Y'): close every
    # x-vertex's neighbourhood, then intersections of closed sets, until nothing new appears
    nbr_x: dict[int, int] = {}  # x-vertex -> bit set of its y-vertices
    for i, j in pairs:
        nbr_x[i] = nbr_x.get(i, 0) | (1 << j)

    def close(ys: int) -> tuple[int, int]:
        xs, common = 0, -1
        for i, nb in nbr_x.items():
            if nb & ys == ys:
                xs |= 1 << i
                common &= nb
        return xs, common

    cliques = {close(nb) for nb in nbr_x.values()}
    frontier = list(cliques)
    whole = True
    while frontier and whole:
        new = []
        for _, y1 in frontier:
            for _, y2 in list(cliques):
                ys = y1 & y2
                if ys and (c := close(ys)) not in cliques:
                    cliques.add(c)
                    new.append(c)
                    if len(cliques) >= MAX_CLIQUES:
                        whole = False
                        break
            if not whole:
                break
        frontier = new

    def members(bits: int) -> list[int]:
        return [t for t in range(bits.bit_length()) if bits >> t & 1]

    ordered = sorted(cliques, key=lambda c: (members(c[0]), members(c[1])))
    cliques_of = [
        tuple(q for q, (xs, ys) in enumerate(ordered) if xs >> i & 1 and ys >> j & 1)
        for i, j in pairs
    ]
    return comp_of, components, cliques_of, whole
