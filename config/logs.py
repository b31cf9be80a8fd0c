"""Logging for every process: one line per event, private at every level.

:func:`configure` sets the level (``SLOTBOT_LOG_LEVEL``), the format
(``SLOTBOT_LOG_FORMAT``: ``text`` or ``json``) and, with ``SENTRY_DSN``, error
reporting through sentry-sdk. Privacy does not depend on the handler: a log
record factory cleans every record as it is created, so whatever handler
receives it (ours, pytest's, Sentry's) sees only the clean text:

* secrets are replaced by ``***``: the configured tokens and passwords, and
  anything shaped like a Telegram bot token (``123456:AA…``, also inside Bot API
  URLs), a Slack token (``xoxb-…``, ``xapp-…``), a bearer token or the password
  of a URL (``scheme://user:***@host``);
* email addresses are masked: ``carol@example.org`` → ``car***@example.org``;
* SQL parameters (``[parameters: …]`` of SQLAlchemy errors) are dropped above DEBUG;
* records of third-party libraries (python-telegram-bot, httpx, slack-sdk,
  tornado, SQLAlchemy, Celery …) keep their message template but every payload
  argument (dicts, lists, bytes, texts with spaces, objects) is replaced by its
  size, e.g. ``<dict of 3 keys>``, ``<42 chars>``; their f-string messages are
  cut before the first ``{`` or ``[`` — so message bodies and hostile payloads
  reach the log as a size and an id, never as content.

Our own modules never log message bodies; they log ids.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import IO, Any

#: Loggers whose records are Slotbot's own (their arguments are ids and counts).
OWN_LOGGERS = ("bots", "config", "core", "storage", "mail", "nlp", "slotbot")
#: ``SLOTBOT_LOG_FORMAT`` values.
FORMATS = ("text", "json")
#: ``SLOTBOT_LOG_LEVEL`` values.
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MASK = "***"

_TOKEN_PATTERNS = (
    re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}"),  # Telegram bot token (also in /bot<token>/)
    re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+"),  # Slack bot, user, app tokens
    re.compile(r"(?i)(?<=bearer )[A-Za-z0-9._~+/=-]+"),  # Authorization: Bearer …
    re.compile(r"\b(?:[sr]k_(?:live|test)|whsec)_[A-Za-z0-9]+"),  # Stripe keys, webhook secret
)
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^\s:/@]*):[^\s@/]+@")
_EMAIL = re.compile(r"(?P<head>[A-Za-z0-9._%+-]{1,3})[A-Za-z0-9._%+-]*@(?P<domain>[A-Za-z0-9-]+"
                    r"(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.DOTALL)
_SHORT_WORD = re.compile(r"[\w./:@<>*`'-]{0,64}")


class Redactor:
    """Replaces secrets and masks emails in a text (thread-safe; secrets can be added)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        """Also replace these exact values (empty and very short values are ignored)."""
        with self._lock:
            known = set(self._secrets) | {s for s in secrets if s and len(s) >= 4}
            # Longest first, so a secret containing another is replaced whole.
            self._secrets = tuple(sorted(known, key=len, reverse=True))

    def __call__(self, text: str, *, debug: bool = False) -> str:
        """The text with secrets replaced, emails masked and (unless ``debug``) SQL
        parameters dropped."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        text = _URL_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
        for pattern in _TOKEN_PATTERNS:
            text = pattern.sub(MASK, text)
        text = _EMAIL.sub(lambda m: f"{m['head']}{MASK}@{m['domain']}", text)
        if not debug:
            text = _SQL_PARAMETERS.sub("[parameters hidden]", text)
        return text


#: The process's redactor; :func:`configure` adds the configured secrets.
redact = Redactor()


def summarize(value: object) -> object:
    """A payload argument as its size; numbers, None and short single words unchanged.

    Examples: ``{"a": 1}`` → ``"<dict of 1 keys>"``, ``"hello there"`` → ``"<11 chars>"``,
    ``b"…"`` → ``"<N bytes>"``, ``42`` → ``42``, ``"sendMessage"`` → ``"sendMessage"``.
    """
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if _SHORT_WORD.fullmatch(value) else f"<{len(value)} chars>"
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, Mapping):
        return f"<{type(value).__name__} of {len(value)} keys>"
    if isinstance(value, list | tuple | set | frozenset):
        return f"<{type(value).__name__} of {len(value)} items>"
    if type(value).__name__ == "URL":  # httpx's request URLs: kept, the token is masked after
        return str(value).split("?", 1)[0]
    return f"<{type(value).__name__}>"


def _is_own(name: str) -> bool:
    return name.split(".", 1)[0] in OWN_LOGGERS


def _clean(record: logging.LogRecord) -> None:
    """Render ``record``'s message and exception text once, cleaned (see the module doc)."""
    debug = record.levelno <= logging.DEBUG
    if _is_own(record.name):
        message = record.getMessage()
    elif record.args:
        args = record.args
        if isinstance(args, Mapping) and "%(" in str(record.msg):
            safe: Any = {key: summarize(value) for key, value in args.items()}
        elif isinstance(args, Mapping):  # logging unwraps a lone mapping argument
            safe = (summarize(args),)
        else:
            safe = tuple(summarize(arg) for arg in args)
        try:
            message = str(record.msg) % safe
        except (TypeError, ValueError):
            message = f"{record.msg} <{len(args)} args>"
    else:
        message = str(record.msg)
        cut = min((i for i in (message.find("{"), message.find("[")) if i >= 0), default=-1)
        if cut >= 0:
            message = f"{message[:cut]}<{len(message) - cut} chars>"
    record.msg, record.args = redact(message, debug=debug), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text, debug=debug)
    if record.stack_info:
        record.stack_info = redact(record.stack_info, debug=debug)


_base_factory = logging.getLogRecordFactory()


def _private_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    try:
        _clean(record)
    except Exception:  # a log line must never break the caller
        record.msg, record.args, record.exc_info, record.exc_text = (
            f"<unloggable record from {record.name}>", None, None, None)
    return record


def install_privacy() -> None:
    """Clean every log record from now on (idempotent; :func:`configure` calls it)."""
    logging.setLogRecordFactory(_private_record)


def _timestamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """``2026-12-01T09:00:00.123Z INFO config.periodic: tick: …`` — one line; a
    traceback follows on the same line after `` | ``, its line breaks as `` ⏎ ``."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        extra = self.formatException(record.exc_info) if record.exc_info and not record.exc_text \
            else record.exc_text
        if extra:
            line += " | " + extra.strip().replace("\n", " ⏎ ")
        return line.replace("\n", " ⏎ ")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``ts``, ``level``, ``logger``, ``message``, and
    ``exc`` (the traceback) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {"ts": _timestamp(record), "level": record.levelname,
                                 "logger": record.name, "message": record.getMessage()}
        extra = self.formatException(record.exc_info) if record.exc_info and not record.exc_text \
            else record.exc_text
        if extra:
            entry["exc"] = extra
        return json.dumps(entry, ensure_ascii=False)


_HANDLER_NAME = "slotbot"


def configure(
    *,
    level: str | int = "WARNING",
    fmt: str = "text",
    secrets: Iterable[str] = (),
    stream: IO[str] | None = None,
    sentry_dsn: str | None = None,
) -> logging.Handler:
    """Set up the root logger: one handler, one line per event, private records.

    Calling it again replaces the handler (and adds the new secrets).

    Args:
        level: a name of :data:`LEVELS` or a ``logging`` number.
        fmt: ``text`` (human) or ``json`` (one object per line).
        secrets: exact values to replace by ``***`` wherever they appear.
        stream: where lines go (default ``sys.stderr``).
        sentry_dsn: report errors to Sentry (``SENTRY_DSN``); see :func:`init_sentry`.

    Returns:
        The installed handler.

    Raises:
        ValueError: unknown ``fmt`` or ``level``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}")
    if isinstance(level, str) and level.upper() not in LEVELS:
        raise ValueError(f"log level must be one of {', '.join(LEVELS)}")
    install_privacy()
    redact.add(secrets)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    # httpx logs every request, alembic every step at INFO: only wanted at DEBUG.
    for chatty in ("httpx", "httpcore", "alembic"):
        logging.getLogger(chatty).setLevel(
            logging.NOTSET if root.getEffectiveLevel() <= logging.DEBUG else logging.WARNING)
    if sentry_dsn:
        init_sentry(sentry_dsn)
    return handler


def scrub_event(event: Any) -> Any:
    """A Sentry event with every string cleaned (secrets, emails, SQL parameters) and
    the personal parts (``user``, ``request`` bodies, cookies) removed."""
    if isinstance(event, dict):
        cleaned = {key: scrub_event(value) for key, value in event.items()
                   if key not in ("user", "cookies", "data", "vars", "server_name")}
        return cleaned
    if isinstance(event, list | tuple):
        return [scrub_event(value) for value in event]
    if isinstance(event, str):
        return redact(event)
    return event


def init_sentry(dsn: str) -> None:
    """Report errors (and ERROR log lines) to Sentry, without personal data.

    ``send_default_pii`` is off, local variables are not sent, and every event
    and breadcrumb passes through :func:`scrub_event` before it leaves.
    """
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=lambda event, hint: scrub_event(event),
        before_breadcrumb=lambda crumb, hint: scrub_event(crumb),
    )
