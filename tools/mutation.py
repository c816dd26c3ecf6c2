"""Mutation testing of the decision-critical modules with mutmut (not part of CI).

Each module is mutated on its own, in a scratch copy of the repository, and each mutant is
run against that module's own small test selection with ``NUMBA_DISABLE_JIT=1`` (so that
the Numba kernels run as Python and mutants inside them are seen by the tests)::

    pip install -e ".[test,mutation]"
    nice -n 19 python tools/mutation.py backward_induction        # one module
    nice -n 19 python tools/mutation.py --all                     # every module in turn
    python tools/mutation.py --table                              # the score table

What the script does for a module:

1. copies ``src/``, ``tests/``, ``models/``, ``conftest.py`` and ``pyproject.toml`` into
   ``--workdir`` (default ``$TMPDIR/bargain-mutation/MODULE``);
2. removes the ``@njit`` decorators of the mutated file in that copy.  mutmut 3 does not
   mutate decorated functions (its trampoline replaces the function object), and under
   ``NUMBA_DISABLE_JIT=1`` ``njit`` returns the function unchanged, so the code that runs
   is the same;
3. appends a ``[tool.mutmut]`` section (the file to mutate, the test selection) to the
   copy's ``pyproject.toml`` and runs ``mutmut run`` there;
4. reads mutmut's verdicts and writes ``tools/mutation_results/MODULE.json`` (counts, and
   the diff of every surviving mutant).

The score is ``(killed + timeout) / mutants``; a mutant that no selected test reaches
("no tests") counts as survived.  ``--table`` prints the Markdown table of the stored
results (as in ``docs/testing.md``).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "tools" / "mutation_results"

#: module key -> (file to mutate, test selection).  The selection is the tests that
#: exercise that module directly; each must take a few seconds per mutant.
MODULES: dict[str, tuple[str, list[str]]] = {
    "backward_induction": (
        "src/bargain/solvers/trees/backward_induction.py",
        [
            "tests/solvers/test_backward_induction.py",
            "tests/solvers/test_spe_oracle.py",
            "tests/solvers/test_backward_induction_messages.py",
            "tests/solvers/test_backward_induction_tolerance.py",
            "tests/solvers/test_backward_induction_mutants.py",
        ],
    ),
    "batch_spe_points": (
        "src/bargain/solvers/trees/points.py",
        [
            "tests/solvers/test_points.py",
            "tests/solvers/test_batch_spe_oracle.py",
            "tests/solvers/test_points_mutants.py",
        ],
    ),
    "batch_spe_kernel": (
        "src/bargain/solvers/trees/compile.py",
        [
            "tests/solvers/test_points.py",
            "tests/solvers/test_batch_spe_oracle.py",
            "tests/solvers/test_points_mutants.py",
        ],
    ),
    "intervals": (
        "src/bargain/sweep/intervals.py",
        [
            "tests/sweep/test_intervals.py",
            "tests/sweep/test_intervals_strict.py",
            "tests/sweep/test_intervals_mutants.py",
        ],
    ),
    "symbolic_cases": (
        "src/bargain/symbolic/cases.py",
        ["tests/symbolic/test_conditions.py", "tests/symbolic/test_conditions_reading.py"],
    ),
    "support": (
        "src/bargain/solvers/normal_form/support.py",
        ["tests/solvers/test_support.py", "tests/solvers/test_support_mutants.py"],
    ),
    "vertex": (
        "src/bargain/solvers/normal_form/vertex.py",
        ["tests/solvers/test_vertex.py", "tests/solvers/test_vertex_mutants.py"],
    ),
    "lemke_howson": (
        "src/bargain/solvers/normal_form/lemke_howson.py",
        [
            "tests/solvers/test_lemke_howson.py",
            "tests/solvers/test_against_nashpy.py",
            "tests/solvers/test_lemke_howson_mutants.py",
        ],
    ),
    "sequence_form": (
        "src/bargain/solvers/trees/sequence_form.py",
        ["tests/solvers/test_sequence_form.py", "tests/solvers/test_sequence_form_mutants.py"],
    ),
}

#: extra pytest arguments of a module's runs.  Without the JIT, the int64 products of
#: ``_int128.py`` are NumPy scalars, which wrap around as the compiled code does but also
#: warn, and the suite turns warnings into errors; ignoring that one warning makes the
#: interpreted run do what the compiled one does.
PYTEST_ARGS: dict[str, list[str]] = {
    "vertex": ["-W", "ignore:overflow encountered:RuntimeWarning"],
}

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
STATUS.update({34: "skipped", 36: "timeout", 24: "timeout", -24: "timeout", 152: "timeout"})
STATUS.update({255: "timeout", -11: "segfault", -9: "segfault", None: "not checked"})


def strip_njit(path: Path) -> int:
    """Delete the ``@njit`` decorator lines of the functions in `path`; their number."""
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    drop: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if isinstance(target, ast.Name) and target.id == "njit":
                drop.update(range(dec.lineno - 1, dec.end_lineno))
    path.write_text("".join(line for i, line in enumerate(lines) if i not in drop))
    return len(drop)


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(s) for s in items) + "]"


def prepare(key: str, work: Path) -> None:
    """A fresh scratch copy of the repository for mutating `key`."""
    target, tests = MODULES[key]
    extra = PYTEST_ARGS.get(key, [])
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc", ".hypothesis")
    for name in ("src", "tests", "models"):
        shutil.copytree(ROOT / name, work / name, ignore=ignore)
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, work / name)
    strip_njit(work / target)
    with open(work / "pyproject.toml", "a") as f:
        f.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["src"]\n'
            f"only_mutate = {_toml_list([target])}\n"
            f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
            f"pytest_add_cli_args = {_toml_list(['-p', 'no:cacheprovider', *extra])}\n"
            'also_copy = ["conftest.py", "models"]\n'
        )


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["NUMBA_DISABLE_JIT"] = "1"
    env.pop("PYTHONPATH", None)  # mutmut puts mutants/src first on sys.path itself
    return env


_GENERATE = """
import mutmut.__main__ as mm
mm.makedirs("mutants", exist_ok=True)
mm.copy_src_dir()
mm.copy_also_copy_files()
mm.create_mutants(1)
"""


def generate(key: str, work: Path) -> list[str]:
    """Let mutmut write its mutants (without running them); their names."""
    if not (work / "mutants" / (MODULES[key][0] + ".meta")).exists():
        subprocess.check_call([sys.executable, "-c", _GENERATE], cwd=work, env=_env())
    return sorted(
        json.loads((work / "mutants" / (MODULES[key][0] + ".meta")).read_text())["exit_code_by_key"]
    )


def run(key: str, work: Path, max_children: int, names: list[str]) -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    cmd = ["nice", "-n", "19", str(mutmut), "run", "--max-children", str(max_children), *names]
    return subprocess.call(cmd, cwd=work, env=_env())


def verdicts(key: str, work: Path) -> dict[str, str]:
    target, _ = MODULES[key]
    meta = work / "mutants" / (target + ".meta")
    data = json.loads(meta.read_text())
    return {k: STATUS.get(v, "suspicious") for k, v in data["exit_code_by_key"].items()}


def diff_of(work: Path, name: str) -> str:
    mutmut = Path(sys.executable).with_name("mutmut")
    out = subprocess.run(
        [str(mutmut), "show", name], cwd=work, env=_env(), capture_output=True, text=True
    )
    return out.stdout


def record(key: str, work: Path, names: list[str], seed: int | None) -> dict:
    """Counts and survivors' diffs of the mutants `names` that were run; saved as JSON."""
    import importlib.metadata

    target, tests = MODULES[key]
    generated = verdicts(key, work)
    v = {n: generated[n] for n in names if generated[n] != "not checked"}
    counts: dict[str, int] = {}
    for s in v.values():
        counts[s] = counts.get(s, 0) + 1
    dead = counts.get("killed", 0) + counts.get("timeout", 0)
    result = {
        "module": target,
        "tests": tests,
        "pytest_args": PYTEST_ARGS.get(key, []),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "mutmut": importlib.metadata.version("mutmut"),
        "generated": len(generated),
        "sampled": len(names),
        "seed": seed,
        "mutants": len(v),
        "counts": counts,
        "score": round(dead / len(v), 4) if v else None,
        "survivors": {
            n: diff_of(work, n) for n, s in sorted(v.items()) if s not in ("killed", "timeout")
        },
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{key}.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def table() -> str:
    rows = [
        "| module | generated | run | killed | survived | no tests | timeout | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, (target, _) in MODULES.items():
        f = RESULTS / f"{key}.json"
        if not f.exists():
            rows.append(f"| `{target.removeprefix('src/bargain/')}` | not run | | | | | | |")
            continue
        r = json.loads(f.read_text())
        c = r["counts"]
        rows.append(
            f"| `{target.removeprefix('src/bargain/')}` | {r['generated']} | {r['mutants']} "
            f"| {c.get('killed', 0)} "
            f"| {c.get('survived', 0)} | {c.get('no tests', 0)} | {c.get('timeout', 0)} "
            + (f"| {100 * r['score']:.1f} % |" if r["score"] is not None else "| — |")
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("modules", nargs="*", help="module keys: " + ", ".join(MODULES))
    p.add_argument("--all", action="store_true", help="every module in turn")
    p.add_argument("--table", action="store_true", help="print the score table and exit")
    p.add_argument("--max-children", type=int, default=1, help="mutants run at once")
    p.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "bargain-mutation")
    p.add_argument(
        "--sample",
        type=int,
        default=0,
        help="run a seeded random sample of this many mutants (0: all of them)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the sample")
    p.add_argument("--fresh", action="store_true", help="remake the work folder")
    p.add_argument("--record-only", action="store_true", help="record the verdicts so far (no run)")
    a = p.parse_args(argv)
    if a.table:
        print(table())
        return 0
    keys = list(MODULES) if a.all else a.modules
    unknown = [k for k in keys if k not in MODULES]
    if unknown:
        p.error(f"unknown module {unknown[0]!r}; choose from {', '.join(MODULES)}")
    for key in keys:
        work = a.workdir / key
        if a.fresh or not work.exists():
            prepare(key, work)
        names = generate(key, work)
        if a.sample and a.sample < len(names):
            names = sorted(random.Random(a.seed).sample(names, a.sample))
        if not a.record_only:
            run(key, work, a.max_children, names)
        r = record(key, work, names, a.seed if a.sample else None)
        print(f"{key}: {r['mutants']} mutants, {r['counts']}, score {r['score']}")
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
