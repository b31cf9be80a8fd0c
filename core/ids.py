"""Ids of stored objects, for code that needs them to be there."""

from __future__ import annotations


def stored_id(value: int | None) -> int:
    """The id of an object that has been stored (added and flushed).

    Args:
        value: the object's ``id`` attribute.

    Returns:
        ``value``, narrowed to ``int``.

    Raises:
        RuntimeError: if ``value`` is None, i.e. the object was never stored (a
            programming error, not a user's).
    """
    if value is None:
        raise RuntimeError("object has no id yet")
    return value
