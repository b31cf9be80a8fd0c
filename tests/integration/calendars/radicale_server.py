"""A real Radicale CalDAV server on loopback, with a temporary storage folder."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import caldav

USER, PASSWORD = "ana", "secret"


@dataclass(frozen=True)
class Radicale:
    url: str          # the server root, e.g. http://127.0.0.1:5232
    calendar_url: str  # ana's "work" collection

    def client(self, password: str = PASSWORD) -> caldav.DAVClient:
        return caldav.DAVClient(url=self.calendar_url, username=USER, password=password,
                                timeout=5)

    def calendar(self) -> caldav.Calendar:
        return self.client().calendar(url=self.calendar_url)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def radicale(folder: Path) -> Iterator[Radicale]:
    """Start Radicale (htpasswd auth, owner-only rights) and create ana's ``work`` calendar."""
    port = _free_port()
    (folder / "users").write_text(f"{USER}:{PASSWORD}\n")
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\n"
        "htpasswd_encryption = plain\ndelay = 0\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[rights]\ntype = owner_only\n[logging]\nlevel = error\n")
    process = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("Radicale did not start") from None
                time.sleep(0.05)  # waiting for a process to listen, not for time to pass
        root = f"http://127.0.0.1:{port}"
        server = Radicale(root, f"{root}/{USER}/work/")
        client = caldav.DAVClient(url=f"{root}/{USER}/", username=USER, password=PASSWORD,
                                  timeout=5)
        client.principal().make_calendar(name="work", cal_id="work")
        yield server
    finally:
        process.terminate()
        process.wait(10)
