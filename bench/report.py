"""Regenerate the table of periodic-job and start-up figures in bench/README.md.

One command runs, for this checkout and for a baseline commit in the same run,
``bench/jobs.py`` and ``bench/turn.py`` (on SQLite, and on PostgreSQL with
``--postgres``) and ``bench/startup.py``, then rewrites the part of bench/README.md between the
``report:start`` and ``report:end`` markers: each figure with the command that
measures it, the date, this commit, the baseline commit and the ratio.

The baseline is exported with ``git archive`` into a temporary directory and run
with the same interpreter and libraries; only its packages (``core``, ``storage``,
``bots``, …) differ. The benchmark scripts are this checkout's, so the figures
measure the same thing on both.

Usage::

    .venv/bin/python -m bench.report --baseline 2f3e80d            # SQLite only
    .venv/bin/python -m bench.report --baseline 2f3e80d \\
        --postgres postgresql+psycopg://…   # also PostgreSQL: drops and recreates `public`!
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "bench" / "README.md"
START, END = "<!-- report:start -->", "<!-- report:end -->"
_RUN = ("import runpy, sys; sys.argv = sys.argv[1:]; "
        "runpy.run_path(sys.argv[0], run_name='__main__')")


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def export(ref: str, into: Path) -> None:
    """Write the tree of commit ``ref`` into ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def run_json(script: str, tree: Path, *args: str) -> dict[str, Any]:
    """Run ``bench/<script>`` of this checkout on the code of ``tree``; its JSON output."""
    with tempfile.TemporaryDirectory() as cwd:  # never this checkout's packages by accident
        result = subprocess.run(
            [sys.executable, "-c", _RUN, str(ROOT / "bench" / script), *args, "--json"],
            env={**os.environ, "PYTHONPATH": str(tree)}, cwd=cwd, check=True,
            capture_output=True, text=True, timeout=3600,
        )
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


#: (figure, where in the JSON, format, higher is better)
JOB_FIGURES: list[tuple[str, Callable[[dict[str, Any]], float], str, bool]] = [
    ("reminder sweep: 5,000 due of 100,000 bookings, reminders/s",
     lambda r: r["reminders"]["reminders_per_s"], "{:,.0f}", True),
    ("reminder sweep, reminders per CPU s of the sweeping process",
     lambda r: r["reminders"]["reminders_per_cpu_s"], "{:,.0f}", True),
    ("arm 100,000 bookings, s", lambda r: r["reminders"]["arm_s"], "{:.1f}", False),
    ("write the digests, digests/s", lambda r: r["digests"]["digests_per_s"], "{:,.0f}", True),
    ("write the digests, digests per CPU s", lambda r: r["digests"]["digests_per_cpu_s"],
     "{:,.0f}", True),
    ("write the digests, median s", lambda r: r["digests"]["write_s"], "{:.2f}", False),
    ("same-run floor: the digests' outbox rows inserted alone, median s",
     lambda r: r["digests"]["insert_only_s"], "{:.2f}", False),
    ("render one digest's text, ms", lambda r: r["digests"]["render_ms_per_digest"], "{:.3f}",
     False),
    ("deliver the digests through PTB: 429s", lambda r: r["digests"]["429s"], "{:.0f}", False),
    ("deliver the digests: s at Telegram's limits (virtual)",
     lambda r: r["digests"]["virtual_s"], "{:.1f}", False),
]
TURN_FIGURES: list[tuple[str, Callable[[dict[str, Any]], float], str, bool]] = [
    (f"turn: {kind} at {hosts} hosts, {label}", (lambda k, h, f: lambda r: r[k][h][f])(
        kind, hosts.replace(",", ""), field), "{:.1f}", False)
    for kind in ("propose", "answer", "team search", "first message")
    for hosts in ("2", "1,000")
    for label, field in (("p50 ms", "p50_ms"), ("p95 ms", "p95_ms"), ("CPU p50 ms", "cpu_p50_ms"))
] + [
    (f"turn: {kind}, p50 at 1,000 hosts ÷ p50 at 2", (lambda k: lambda r: r[k]["1000"]["p50_ms"]
                                                      / r[k]["2"]["p50_ms"])(kind),
     "{:.2f}", False)
    for kind in ("propose", "answer", "team search")
]
STARTUP_FIGURES: list[tuple[str, Callable[[dict[str, Any]], float], str, bool]] = [
    ("`slotbot chat` first reply, median wall s", lambda r: r["median_s"], "{:.2f}", False),
    ("`slotbot chat` process, median CPU s", lambda r: r["cpu_median_s"], "{:.2f}", False),
]


def rows(figures: list[tuple[str, Callable[[dict[str, Any]], float], str, bool]],
         command: str, now: dict[str, Any], base: dict[str, Any]) -> list[str]:
    lines = []
    for name, pick, fmt, _ in figures:
        new, old = pick(now), pick(base)
        ratio = f"{new / old:.2f}×" if old else "–"
        lines.append(f"| {name} | `{command}` | {fmt.format(new)} | {fmt.format(old)} | {ratio} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="git commit to compare with")
    parser.add_argument("--postgres", help="PostgreSQL URL (its `public` schema is dropped)")
    parser.add_argument("--runs", type=int, default=15, help="start-up runs per checkout")
    parser.add_argument("--hosts", type=int, default=10_000,
                        help="hosts of the digest benchmark (bench.jobs --hosts)")
    parser.add_argument("--turn-repeat", type=int, default=60,
                        help="propose/answer pairs of bench.turn (its --repeat)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes to check the command; prints, writes nothing")
    args = parser.parse_args()
    sizes = (("--bookings", "2000", "--due", "100", "--hosts", "100") if args.quick
             else ("--hosts", str(args.hosts)))
    commit = git("rev-parse", "--short", "HEAD") + ("-dirty" if git("status", "--porcelain",
                                                                      "--untracked-files=no")
                                                     else "")
    baseline = git("rev-parse", "--short", args.baseline)
    turn_repeat = 3 if args.quick else args.turn_repeat
    engines = [("SQLite", None)] + ([("PostgreSQL", args.postgres)] if args.postgres else [])
    table = ["| figure | command | this commit | baseline | ratio |", "|---|---|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        base_tree = Path(tmp)
        export(args.baseline, base_tree)
        for label, url in engines:
            extra = (*sizes, *(("--database", url) if url else ()))
            command = " ".join(["python -m bench.jobs", *sizes] + (["--database $PG"] if url
                                                                       else []))
            now = run_json("jobs.py", ROOT, *extra)
            base = run_json("jobs.py", base_tree, *extra)
            table += [row.replace("| ", f"| {label}: ", 1)
                      for row in rows(JOB_FIGURES, command, now, base)]
            turn_args = (("--hosts", "2,1000", "--repeat", str(turn_repeat),
                          "--team-repeat", str(max(turn_repeat // 4, 2)),
                          "--first-repeat", str(max(turn_repeat // 2, 2)))
                         + (("--database", url) if url else ()))
            command = " ".join(["python -m bench.turn", *turn_args[:8]]
                               + (["--database $PG"] if url else []))
            now = run_json("turn.py", ROOT, *turn_args)
            base = run_json("turn.py", base_tree, *turn_args)
            table += [row.replace("| ", f"| {label}: ", 1)
                      for row in rows(TURN_FIGURES, command, now, base)]
        command = f"python -m bench.startup --runs {args.runs}"
        now = run_json("startup.py", ROOT, "--runs", str(args.runs), "--tree", str(ROOT))
        base = run_json("startup.py", ROOT, "--runs", str(args.runs), "--tree", str(base_tree))
        table += rows(STARTUP_FIGURES, command, now, base)
    load = os.getloadavg()[0]
    header = (f"Generated by `python -m bench.report --baseline {args.baseline} --hosts "
              f"{args.hosts} --runs {args.runs} --turn-repeat {args.turn_repeat}"
              f"{' --postgres $PG' if args.postgres else ''}` on "
              f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: this commit "
              f"**{commit}**, baseline **{baseline}** measured in the same run "
              f"(load average {load:.1f} on {os.cpu_count()} cores at the end).")
    block = "\n".join([START, "", header, "", *table, "", END])
    print(block)
    if args.quick:
        return
    text = README.read_text()
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    README.write_text(pattern.sub(lambda _: block, text) if pattern.search(text)
                      else text.rstrip() + "\n\n" + block + "\n")


if __name__ == "__main__":
    main()
