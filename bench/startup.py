"""Start-up benchmark: how long ``slotbot chat`` takes to its first reply.

Each run starts a fresh process (``python -c 'from config.cli import main; main()'
chat …``, what the ``slotbot`` script does) on a SQLite file loaded with
``examples/hosts.yaml``, writes one message ("hi") to its stdin and times until
the first ``bot>`` line arrives on its stdout. Prints the median, min and max of
``--runs`` runs and the median CPU time of the process (JSON with ``--json``).

``--tree DIR`` runs the code of another checkout (``bench.report`` passes the
baseline's): its packages come first on ``PYTHONPATH``; the interpreter and
installed libraries are this virtualenv's.

Usage::

    .venv/bin/python -m bench.startup --runs 15
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


def measure(tree: Path, runs: int) -> dict[str, float]:
    """Median, min and max seconds to the first reply over ``runs`` runs (one warm-up)."""
    with tempfile.TemporaryDirectory() as tmp:
        # Compiled modules are kept (in the temp dir) as an installed slotbot keeps
        # them: a PYTHONDONTWRITEBYTECODE inherited from the caller would make every
        # run compile the whole project from source.
        env = {**os.environ, "PYTHONPATH": str(tree), "SLOTBOT_BENCH_DIR": tmp,
               "SLOTBOT_DATABASE_URL": f"sqlite:///{Path(tmp) / 'slotbot.db'}",
               "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-c", ENTRY, "load", str(ROOT / "examples/hosts.yaml")],
                       env=env, cwd=tmp, check=True, capture_output=True, timeout=120)
        first_reply_seconds(tree, env)  # warm the OS file cache and .pyc files
        results = [first_reply_seconds(tree, env) for _ in range(runs)]
    times = [wall for wall, _ in results]
    return {"runs": runs, "median_s": statistics.median(times), "min_s": min(times),
            "max_s": max(times), "cpu_median_s": statistics.median(c for _, c in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose code to run")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = measure(args.tree, args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"slotbot chat, first reply: median {result['median_s']:.3f} s "
              f"(min {result['min_s']:.3f}, max {result['max_s']:.3f}, {args.runs} runs); "
              f"CPU median {result['cpu_median_s']:.3f} s")


if __name__ == "__main__":
    main()
