"""Start-up benchmark: how long ``slotbot chat`` takes to its first reply.

Each run starts a fresh process (``python -c 'from config.cli import main; main()'
chat …``, what the ``slotbot`` script does) on a SQLite file loaded with
``examples/hosts.yaml``, writes one message ("hi") to its stdin and times until
the first ``bot>`` line arrives on its stdout. Prints the median, min and max of
``--runs`` runs and the median CPU time of the process (JSON with ``--json``).

``--tree DIR`` runs the code of another checkout (``bench.report`` passes the
baseline's): its packages come first on ``PYTHONPATH``; the interpreter and
installed libraries are this virtualenv's. ``--baseline DIR`` measures that
checkout too, its runs alternating with the tree's (one of each per round), so a
shared machine's load falls on both alike; it prints both and their ratios.

Usage::

    .venv/bin/python -m bench.startup --runs 15
    git archive main | tar -x -C /tmp/base    # a baseline checkout
    .venv/bin/python -m bench.startup --runs 9 --baseline /tmp/base
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "from config.cli import main; main()"
NOW = "2026-12-01T09:00:00+00:00"


def first_reply_seconds(tree: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning ``slotbot chat`` to its first ``bot>`` line, and its CPU seconds.

    The CPU time (user + system, the whole process) is what a busy machine
    changes least; the wall time is what a user waits.
    """
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "chat", "--as", "bench", "--now", NOW],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, env=env, cwd=env["SLOTBOT_BENCH_DIR"],
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("hi\n")
    child.stdin.flush()
    for line in child.stdout:
        if line.startswith("bot>"):
            elapsed = time.perf_counter() - began
            break
    else:
        raise RuntimeError(f"no reply from slotbot chat in {tree}")
    child.stdin.close()
    child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_utime + usage.ru_stime


def measure(trees: list[Path], runs: int) -> list[dict[str, float]]:
    """Per tree: median, min and max seconds to the first reply over ``runs`` runs.

    Each tree gets its own database and compiled-module cache and one warm-up run;
    then the trees take turns, one run each per round.
    """
    with tempfile.TemporaryDirectory() as tmp:
        envs = [_prepared(tree, Path(tmp) / str(n)) for n, tree in enumerate(trees)]
        results: list[list[tuple[float, float]]] = [[] for _ in trees]
        for _ in range(runs):
            for tree, env, found in zip(trees, envs, results, strict=True):
                found.append(first_reply_seconds(tree, env))
    return [_summary(found) for found in results]


def _prepared(tree: Path, directory: Path) -> dict[str, str]:
    """The environment of ``tree``'s runs: a SQLite file in ``directory`` loaded with
    ``examples/hosts.yaml``, and warm OS file cache and ``.pyc`` files."""
    directory.mkdir()
    # Compiled modules are kept (in the temp dir) as an installed slotbot keeps
    # them: a PYTHONDONTWRITEBYTECODE inherited from the caller would make every
    # run compile the whole project from source.
    env = {**os.environ, "PYTHONPATH": str(tree), "SLOTBOT_BENCH_DIR": str(directory),
           "SLOTBOT_DATABASE_URL": f"sqlite:///{directory / 'slotbot.db'}",
           "PYTHONPYCACHEPREFIX": str(directory / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-c", ENTRY, "load", str(ROOT / "examples/hosts.yaml")],
                   env=env, cwd=directory, check=True, capture_output=True, timeout=120)
    first_reply_seconds(tree, env)  # warm the OS file cache and .pyc files
    return env


def _summary(results: list[tuple[float, float]]) -> dict[str, float]:
    times = [wall for wall, _ in results]
    return {"runs": len(results), "median_s": statistics.median(times), "min_s": min(times),
            "max_s": max(times), "cpu_median_s": statistics.median(c for _, c in results)}


def _line(label: str, result: dict[str, float]) -> str:
    return (f"{label}: median {result['median_s']:.3f} s (min {result['min_s']:.3f}, "
            f"max {result['max_s']:.3f}, {result['runs']:.0f} runs); "
            f"CPU median {result['cpu_median_s']:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose code to run")
    parser.add_argument("--baseline", type=Path, help="also this checkout, runs alternating")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if args.baseline is None:
        result = measure([args.tree], args.runs)[0]
        print(json.dumps(result) if args.json else _line("slotbot chat, first reply", result))
        return
    result, base = measure([args.tree, args.baseline], args.runs)
    ratios = {key: result[key] / base[key] for key in ("median_s", "cpu_median_s")}
    if args.json:
        print(json.dumps({**result, "baseline": base, "ratio": ratios,
                          "load_average": os.getloadavg()[0]}))
        return
    print(_line(f"slotbot chat, first reply, {args.tree}", result))
    print(_line(f"baseline {args.baseline}", base))
    print(f"ratio: wall {ratios['median_s']:.3f}, CPU {ratios['cpu_median_s']:.3f} "
          f"(load average {os.getloadavg()[0]:.1f} at the end)")


if __name__ == "__main__":
    main()
