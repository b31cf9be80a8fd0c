"""A consistent copy of the whole database, and its restore.

* SQLite: the online backup API (``sqlite3.Connection.backup``) copies every
  page in one step under a read transaction, so writers may go on (WAL) and the
  copy is one instant's state. The copy is a plain single-file database
  (journal mode ``DELETE``), checked with ``PRAGMA integrity_check``.
* PostgreSQL: ``pg_dump --format=custom`` (one snapshot transaction; writers go
  on) and ``pg_restore --clean --if-exists --single-transaction``. The password
  is passed in ``PGPASSWORD``, never on a command line.

A restore replaces the target database's contents; stop the bots and workers
first. The kind of a file is read from its first bytes, so a PostgreSQL dump is
never restored into SQLite or the other way round.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore failed; the message says what and why, without secrets."""


@dataclass(frozen=True)
class Tool:
    """Where the PostgreSQL client programs are (``pg_dump``, ``pg_restore``)."""

    directory: str | None = None

    def path(self, name: str) -> str:
        """The program's path: in ``directory``, on ``PATH``, or the newest
        ``/usr/lib/postgresql/*/bin``.

        Raises:
            BackupError: not installed.
        """
        if self.directory:
            return str(Path(self.directory) / name)
        found = shutil.which(name)
        if found:
            return found
        installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
        if installed:
            return installed[-1]
        raise BackupError(f"{name} is not installed (Debian/Ubuntu: apt-get install "
                          "postgresql-client)")


def kind_of(url: str) -> str:
    """``sqlite`` or ``postgresql``."""
    return make_url(url).get_backend_name()


def backup(url: str, file: Path, *, tool: Tool = Tool()) -> None:
    """Write a consistent copy of the database at ``url`` to ``file`` (replaced if present).

    Raises:
        BackupError: the database cannot be read or the copy is not sound.
    """
    file = Path(file)
    partial = file.with_name(file.name + ".partial")
    partial.unlink(missing_ok=True)
    if kind_of(url) == "sqlite":
        _sqlite_backup(_sqlite_path(url), partial)
    else:
        _pg(tool, "pg_dump", url, ["--format=custom", "--no-owner", f"--file={partial}"])
    os.replace(partial, file)


def restore(url: str, file: Path, *, tool: Tool = Tool()) -> None:
    """Replace the contents of the database at ``url`` with the copy in ``file``.

    Raises:
        BackupError: ``file`` is not a backup of this kind of database, or the
            restore failed (a PostgreSQL restore is one transaction: nothing changes).
    """
    file = Path(file)
    try:
        with file.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {file}: {exc.strerror}") from None
    found = ("sqlite" if head == SQLITE_MAGIC else
             "postgresql" if head.startswith(PG_DUMP_MAGIC) else None)
    wanted = kind_of(url)
    if found is None:
        raise BackupError(f"{file} is not a Slotbot backup (neither SQLite nor pg_dump)")
    if found != wanted:
        raise BackupError(f"{file} is a {found} backup but SLOTBOT_DATABASE_URL is {wanted}")
    if wanted == "sqlite":
        _check(file)
        _sqlite_copy(file, Path(_sqlite_path(url)))
    else:
        _pg(tool, "pg_restore", url, ["--clean", "--if-exists", "--no-owner",
                                      "--single-transaction", "--exit-on-error", str(file)])


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return database


def _sqlite_backup(source: str, target: Path) -> None:
    if not Path(source).exists():
        raise BackupError(f"the SQLite database {source} does not exist")
    _sqlite_copy(Path(source), target)
    with sqlite3.connect(target) as copy:
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    _check(target)


def _sqlite_copy(source: Path, target: Path) -> None:
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)  # every page in one step: one consistent state
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite copy {source} → {target} failed: {exc}") from None


def _check(file: Path) -> None:
    with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as db:
        result = db.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise BackupError(f"{file} fails SQLite's integrity check: {result}")


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without password, and the environment carrying it."""
    plain = url.set(drivername="postgresql", password=None)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _pg(tool: Tool, program: str, url: str, args: list[str]) -> None:
    uri, env = _libpq(make_url(url))
    command = [tool.path(program), f"--dbname={uri}", *args]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BackupError(f"{program} failed (exit {done.returncode}): {detail}")
