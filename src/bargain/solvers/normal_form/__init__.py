"""Solvers of games in strategic form: one module per method, kernels beside them.

pure (``pure``), support enumeration (``support``, degenerate faces in
``_support_faces``), vertex enumeration (``vertex``, with ``_polytope``, ``_int128``,
``_partner``), Lemke–Howson (``lemke_howson``), zero-sum LP (``zero_sum``), iterated
dominance (``dominance``), the logit QRE path (``logit``, ``_logit_kernels``), exact
certificates (``exact``), and many games at once (``batch``, ``family``,
``_batch_kernels``, ``_batch_vertices``).  ``_scaling`` divides huge payoffs by a power
of two before float kernels.  Nothing here imports the tree solvers.
"""
