"""Golden files: expected renderings, compared byte-for-byte (line endings normalised).

Regenerate after an intended change with ``SLOTBOT_UPDATE_GOLDEN=1 pytest …``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def assert_golden(relative: str, actual: str | bytes) -> None:
    """``actual`` equals the file ``tests/golden/<relative>`` (CRLF and LF count as one).

    With ``SLOTBOT_UPDATE_GOLDEN=1`` the file is (re)written instead.
    """
    data = actual.encode() if isinstance(actual, str) else actual
    path = ROOT / relative
    if os.environ.get("SLOTBOT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    expected = path.read_bytes()
    assert data.replace(b"\r\n", b"\n") == expected.replace(b"\r\n", b"\n"), relative
