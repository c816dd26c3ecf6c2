"""Properties over random utilities: the closed-form egame12 and the generic tree agree,
probabilities are probabilities, and the best response moves the right way."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain import Decision, GameTree, Terminal
from bargain.estimate._egame12_lik import egame12_derivatives, egame12_probs
from bargain.estimate._tree import compile_tree, tree_probabilities

TREE = compile_tree(
    GameTree(
        ("1", "2"),
        Decision(
            "1",
            {
                "sq": Terminal(0, 0, label="sq"),
                "esc": Decision(
                    "2", {"cap": Terminal(0, 0, label="cap"), "war": Terminal(0, 0, label="war")}
                ),
            },
        ),
    )
)

utility = st.floats(-6, 6, allow_nan=False)


@settings(deadline=None, max_examples=60, derandomize=True)
@given(
    u11=utility,
    u13=utility,
    u14=utility,
    u24=utility,
    link=st.sampled_from(["probit", "logit"]),
    private=st.booleans(),
)
def test_closed_form_and_generic_tree_agree(u11, u13, u14, u24, link, private):
    if private and link == "logit":
        link = "probit"
    one = np.array([1.0])
    p1, p2, p3, p4, _ = egame12_probs(
        u11 * one, u13 * one, u14 * one, u24 * one, 0 * one, 0 * one, link=link, private=private
    )
    values = [[u11 * one, u13 * one, u14 * one], [0 * one, 0 * one, u24 * one]]
    P, _, _ = tree_probabilities(TREE, values, link=link, private=private, grad=False)
    np.testing.assert_allclose(P[:, 0], [p1[0], p2[0] * p3[0], p2[0] * p4[0]], atol=1e-12)
    assert abs(P[:, 0].sum() - 1.0) < 1e-12
    assert np.all((P > 0) & (P < 1))


@settings(deadline=None, max_examples=60, derandomize=True)
@given(
    u11=utility,
    u13=utility,
    u14=utility,
    u24=utility,
    bump=st.floats(0.01, 3),
    private=st.booleans(),
)
def test_raising_a_utility_raises_its_choice(u11, u13, u14, u24, bump, private):
    one = np.array([1.0])

    def probs(a, b, c, d):
        return egame12_probs(
            a * one, b * one, c * one, d * one, 0 * one, 0 * one, link="probit", private=private
        )

    base = probs(u11, u13, u14, u24)
    # player 2 fights more often when war pays more; player 1 keeps the status quo more
    # often when the status quo pays more
    assert probs(u11, u13, u14, u24 + bump)[3][0] >= base[3][0]
    assert probs(u11 + bump, u13, u14, u24)[0][0] >= base[0][0]


@settings(deadline=None, max_examples=40, derandomize=True)
@given(st.lists(st.tuples(utility, utility, utility, st.integers(0, 2)), min_size=1, max_size=20))
def test_kernel_loglik_is_the_log_of_the_observed_outcome_probability(rows):
    df = pd.DataFrame(rows, columns=["u11", "u14", "u24", "y"])
    z = np.zeros(len(df))
    ll, _ = egame12_derivatives(
        df["y"].to_numpy(),
        df["u11"].to_numpy(),
        z,
        df["u14"].to_numpy(),
        df["u24"].to_numpy(),
        z,
        z,
        link="probit",
        private=False,
    )
    p1, p2, p3, p4, _ = egame12_probs(
        df["u11"].to_numpy(),
        z,
        df["u14"].to_numpy(),
        df["u24"].to_numpy(),
        z,
        z,
        link="probit",
        private=False,
    )
    want = np.log(np.choose(df["y"].to_numpy(), [p1, p2 * p3, p2 * p4]))
    np.testing.assert_allclose(ll, want, rtol=1e-10, atol=1e-12)
