"""The statements of each transaction committed on an engine: what commits together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event


@contextmanager
def committed_transactions(engine: Engine) -> Iterator[list[list[str]]]:
    """Yields a list that gets, for each transaction committed on ``engine`` inside the
    block, its statements in order (whitespace folded)."""
    transactions: list[list[str]] = []
    statements: list[str] = []

    def run(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()))

    def commit(_conn: object) -> None:
        transactions.append(statements[:])
        statements.clear()

    event.listen(engine, "before_cursor_execute", run)
    event.listen(engine, "commit", commit)
    try:
        yield transactions
    finally:
        event.remove(engine, "before_cursor_execute", run)
        event.remove(engine, "commit", commit)


def answering(transactions: list[list[str]]) -> list[list[str]]:
    """The transactions that wrote an inbox row's answer (``replies=``)."""
    return [t for t in transactions if any("replies=" in s for s in t)]
