"""Test-session setup shared by the tests and the doctests of ``src/`` and ``docs/``."""

import os
import tempfile


def pytest_configure(config):
    # Derived conditions are cached on disk (bargain.symbolic.cache); tests and doctests
    # never read or fill the user's cache folder.
    os.environ["BARGAIN_CACHE_DIR"] = tempfile.mkdtemp(prefix="bargain-test-cache-")


# Scripts that regenerate stored peer answers (tests/data/*/) import the peers (pygambit,
# sgamesolver), which the test extra does not install; they are run by hand, not collected.
collect_ignore_glob = ["tests/data/*"]
