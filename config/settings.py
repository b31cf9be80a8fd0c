"""Settings from environment variables and an optional ``.env`` (DESIGN 3.1).

Validated once at start-up by :func:`load_settings`; every missing or malformed
value stops the program with one line naming the variable. Numbers are finite
and bounded (``inf``, ``nan`` and 99999999999 days are refused), URLs have a
known scheme and a host.

Adding a setting: one field per line, with its bounds (``ge``/``le``) and the
environment variable as its alias.
"""

from __future__ import annotations

import re
from datetime import time
from email.utils import parseaddr
from typing import Literal
from urllib.parse import urlsplit

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Telegram's rule for ``setWebhook``'s ``secret_token``.
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")

#: Shortest key of the signed guest links (``SLOTBOT_LINK_SECRET``).
MIN_LINK_KEY_CHARS = 32

#: Celery broker URL schemes Slotbot supports (``memory://`` needs no server).
BROKER_SCHEMES = ("memory", "redis", "rediss", "amqp", "amqps", "pyamqp", "sentinel")

#: Messages a guest may send (``limits`` notation) unless ``SLOTBOT_GUEST_RATE_LIMIT`` is set.
DEFAULT_GUEST_RATE = "20/minute"


def url_with_host(value: str, schemes: tuple[str, ...]) -> str:
    """Return ``value`` if it is a URL of one of ``schemes`` with a host name.

    Raises:
        ValueError: naming what is missing (the value itself is not echoed:
            it may hold a password).
    """
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ValueError("is not a valid URL") from None
    if parts.scheme not in schemes:
        raise ValueError(f"must start with {' or '.join(s + '://' for s in schemes)}")
    if not parts.hostname:
        raise ValueError("needs a host name, like " + f"{schemes[0]}://example.com/…")
    return value


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Every setting Slotbot reads. Secrets are ``SecretStr`` so they never print."""

    #: ``allow_inf_nan=False``: no float setting may be inf or nan (a dead periodic loop).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True,
                                      allow_inf_nan=False)

    database_url: str = Field(default="sqlite:///slotbot.db", alias="SLOTBOT_DATABASE_URL")
    #: ``memory://`` (no server; ``slotbot serve`` runs the jobs itself) or a Redis/AMQP URL.
    broker_url: str = Field(default="memory://", alias="SLOTBOT_BROKER_URL")
    #: Days finished bookings and old notifications are kept (1 day to 100 years).
    retention_days: int = Field(default=90, ge=1, le=36_500, alias="SLOTBOT_RETENTION_DAYS")
    #: Host-local time of the daily pruning, ``HH:MM``.
    prune_time: time = Field(default=time(3, 0), alias="SLOTBOT_PRUNE_TIME")
    #: Monday's digest carries the past week's chart (bookings made and cancellations per
    #: day, a PNG): Telegram ``sendPhoto``, Slack ``files_upload_v2``. For every host.
    digest_chart: bool = Field(default=False, alias="SLOTBOT_DIGEST_CHART")
    #: Seconds between two runs of the periodic jobs (``serve`` loop and Celery beat), 1–3600.
    tick_seconds: float = Field(default=60.0, ge=1, le=3600, allow_inf_nan=False,
                                alias="SLOTBOT_TICK_SECONDS")
    #: Tries of an outbox message before it is marked failed, 1–100.
    outbox_max_attempts: int = Field(default=12, ge=1, le=100,
                                     alias="SLOTBOT_OUTBOX_MAX_ATTEMPTS")
    #: Seconds a bot process keeps an inbox row without renewing it; a killed process's
    #: unfinished updates are taken over by another after at most this.
    inbox_lease_seconds: float = Field(default=30.0, ge=1, le=3600, allow_inf_nan=False,
                                       alias="SLOTBOT_INBOX_LEASE_SECONDS")
    #: Hours handled updates are remembered, so that late duplicates are still dropped.
    inbox_keep_hours: float = Field(default=48.0, ge=1, le=24 * 90, allow_inf_nan=False,
                                    alias="SLOTBOT_INBOX_KEEP_HOURS")
    #: On SIGTERM/SIGINT, seconds queued messages may still start before the bot stops
    #: (the rest stays in the inbox for the next process).
    drain_seconds: float = Field(default=10.0, ge=0, le=600, allow_inf_nan=False,
                                 alias="SLOTBOT_DRAIN_SECONDS")
    #: Messages a bot process handles at the same time (each guest's still in order).
    workers: int = Field(default=8, ge=1, le=256, alias="SLOTBOT_WORKERS")
    #: Messages per guest in a moving window, as the ``limits`` library writes rates.
    guest_rate_limit: str = Field(default=DEFAULT_GUEST_RATE, alias="SLOTBOT_GUEST_RATE_LIMIT")
    #: Where the rate limit counts: ``memory://`` (one process) or ``redis://host:port/db``
    #: (shared by every process); unset: the broker's Redis if it is one, else memory.
    rate_limit_storage: str | None = Field(default=None, alias="SLOTBOT_RATE_LIMIT_STORAGE")
    #: Pending connections the Slack HTTP server's socket queues (``listen`` backlog).
    http_backlog: int = Field(default=2048, ge=16, le=65535, alias="SLOTBOT_HTTP_BACKLOG")
    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    #: Public HTTPS URL Telegram POSTs updates to; set = webhook mode, unset = long polling.
    telegram_webhook_url: str | None = Field(default=None, alias="TELEGRAM_WEBHOOK_URL")
    #: Sent by Telegram with every webhook update; required with the URL.
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, alias="TELEGRAM_WEBHOOK_SECRET", validate_default=True
    )
    #: The bot's username (no ``@``) for ``t.me/<name>`` links (``/slotbot link``, signed
    #: guest links); unset: asked with getMe where a bot is running.
    telegram_bot_username: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_]{5,32}$",
                                              alias="TELEGRAM_BOT_USERNAME")
    #: Telegram Payments' provider token (from @BotFather, per payment provider): paid event
    #: types booked on Telegram get an invoice there; unset or empty: no Telegram Payments.
    telegram_payment_provider_token: SecretStr | None = Field(
        default=None, alias="TELEGRAM_PAYMENT_PROVIDER_TOKEN")
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    #: The Slack app and workspace for ``/slotbot link``; unset: asked with auth.test/bots.info.
    slack_app_id: str | None = Field(default=None, alias="SLACK_APP_ID")
    slack_team_id: str | None = Field(default=None, alias="SLACK_TEAM_ID")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str | None = Field(default=None, alias="SLACK_API_URL")
    #: ``smtp://user:pass@host:port[?starttls=true]`` or ``smtps://…``; unset: no email.
    smtp_url: str | None = Field(default=None, alias="SMTP_URL")
    #: The From header of emails, e.g. ``Slotbot <bookings@example.com>`` (needed with SMTP_URL).
    mail_from: str | None = Field(default=None, alias="SLOTBOT_MAIL_FROM", validate_default=True)
    #: Slack App-Level Token (``xapp-…``, scope ``connections:write``): Socket Mode.
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    #: DEBUG, INFO, WARNING, ERROR or CRITICAL; unset: INFO for serve/worker, else WARNING.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] | None = Field(
        default=None, alias="SLOTBOT_LOG_LEVEL")
    #: ``text`` (one line per event) or ``json`` (one object per line).
    log_format: Literal["text", "json"] = Field(default="text", alias="SLOTBOT_LOG_FORMAT")
    #: Report errors to Sentry (personal data scrubbed); unset: off.
    sentry_dsn: SecretStr | None = Field(default=None, alias="SENTRY_DSN")

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _case(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        if info.field_name == "log_level":
            return value.upper() or None
        return value.lower() or "text"

    # --- external calendars (storage.calendars) ---
    #: How often the tick refreshes the busy time of a calendar in demand, seconds.
    calendar_refresh_seconds: float = Field(default=120.0, gt=0, le=86_400,
                                            alias="SLOTBOT_CALENDAR_REFRESH_SECONDS")
    #: Hard limit of a calendar fetch while a guest waits, seconds.
    calendar_cold_timeout: float = Field(default=3.0, gt=0, le=60,
                                         alias="SLOTBOT_CALENDAR_COLD_TIMEOUT")
    #: Oldest busy time still used while a calendar is down, minutes; older: no offers.
    calendar_stale_minutes: float = Field(default=30.0, gt=0, le=7 * 24 * 60,
                                          alias="SLOTBOT_CALENDAR_STALE_MINUTES")
    #: Fernet key (urlsafe base64, 32 bytes) encrypting Google refresh tokens at rest.
    fernet_key: SecretStr | None = Field(default=None, alias="SLOTBOT_FERNET_KEY")
    google_client_id: str | None = Field(default=None, alias="GOOGLE_CLIENT_ID")
    google_client_secret: SecretStr | None = Field(default=None, alias="GOOGLE_CLIENT_SECRET")
    #: Who Google emails about booking events: ``none`` (Slotbot's own invitation
    #: goes out already), ``all`` or ``externalOnly``.
    google_send_updates: str = Field(default="none", alias="GOOGLE_SEND_UPDATES",
                                     pattern="^(none|all|externalOnly)$")
    #: Calendar API root (tests point it at a local server).
    google_api_url: str = Field(default="https://www.googleapis.com/calendar/v3/",
                                alias="GOOGLE_API_URL")
    google_token_url: str = Field(default="https://oauth2.googleapis.com/token",
                                  alias="GOOGLE_TOKEN_URL")

    @field_validator("fernet_key")
    @classmethod
    def _fernet_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        from cryptography.fernet import Fernet

        try:
            Fernet(value.get_secret_value().encode())
        except ValueError:
            raise ValueError("must be a Fernet key (Fernet.generate_key())") from None
        return value
    #: Key of the signed cancel/reschedule links in reminders and emails (32+ characters);
    #: unset: no links. ``SLOTBOT_LINK_SECRET_OLD`` still verifies links of a previous key.
    link_secret: SecretStr | None = Field(default=None, alias="SLOTBOT_LINK_SECRET")
    link_secret_old: SecretStr | None = Field(default=None, alias="SLOTBOT_LINK_SECRET_OLD",
                                              validate_default=True)
    #: Public base URL of the serve port, for the links in emails (``https://bot.example.com``).
    public_url: str | None = Field(default=None, alias="SLOTBOT_PUBLIC_URL")

    # --- payments (core.payments, storage.payments) ---
    #: Stripe secret key (``sk_live_…``/``sk_test_…``): Checkout links for paid event
    #: types on Slack and the console; unset: no Stripe.
    stripe_secret_key: SecretStr | None = Field(default=None, alias="STRIPE_SECRET_KEY")
    #: Signing secret of the ``POST /stripe/webhook`` endpoint (``whsec_…``).
    stripe_webhook_secret: SecretStr | None = Field(default=None,
                                                    alias="STRIPE_WEBHOOK_SECRET")
    #: Stripe's API root (tests point it at a local server); unset: Stripe's.
    stripe_api_base: str | None = Field(default=None, alias="STRIPE_API_BASE")
    #: Where Checkout sends the guest after paying (a page of yours); unset: not sent.
    stripe_success_url: str | None = Field(default=None, alias="STRIPE_SUCCESS_URL")

    @property
    def link_keys(self) -> list[str]:
        """The link keys, oldest first (the last signs); empty when links are off."""
        return [s.get_secret_value() for s in (self.link_secret_old, self.link_secret)
                if s is not None]

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("guest_rate_limit")
    @classmethod
    def _rate(cls, value: str) -> str:
        if value == DEFAULT_GUEST_RATE:
            return value  # known good: no need to import limits at every start-up
        from limits import parse

        try:
            limit = parse(value)
        except ValueError:
            raise ValueError("must be a rate such as 20/minute or 5 per 10 seconds") from None
        if limit.amount < 1:
            raise ValueError("must allow at least one message")
        return value

    @property
    def rate_limit_storage_uri(self) -> str:
        """The ``limits`` storage of the per-guest rate limit: the setting, else the broker's
        Redis (so the bot processes of a deployment share one count), else ``memory://``."""
        if self.rate_limit_storage:
            return self.rate_limit_storage
        if self.broker_url.startswith(("redis://", "rediss://")):
            return self.broker_url
        return "memory://"

    @field_validator("rate_limit_storage")
    @classmethod
    def _rate_storage(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("memory://", "redis://", "rediss://", "redis+sentinel://")):
            raise ValueError("must be memory:// or a redis:// URL")
        return value

    @field_validator("broker_url")
    @classmethod
    def _known_broker(cls, value: str) -> str:
        if value.startswith("memory://"):
            return value
        return url_with_host(value, BROKER_SCHEMES[1:])

    @field_validator("telegram_api_base_url", "slack_api_url", "public_url", "stripe_api_base",
                     "stripe_success_url")
    @classmethod
    def _api_url(cls, value: str | None) -> str | None:
        return url_with_host(value, ("https", "http")) if value else None

    @field_validator("stripe_secret_key", "stripe_webhook_secret",
                     "telegram_payment_provider_token")
    @classmethod
    def _empty_secret(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value() else None

    @field_validator("telegram_webhook_url")
    @classmethod
    def _https_webhook(cls, value: str | None) -> str | None:
        if not value:  # unset or empty: long polling
            return None
        if not value.startswith("https://"):
            raise ValueError("must be an https:// URL (Telegram calls only HTTPS webhooks)")
        return url_with_host(value, ("https",))

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            if info.data.get("telegram_webhook_url"):
                raise ValueError("must be set when TELEGRAM_WEBHOOK_URL is set")
            return None
        if not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("link_secret", "link_secret_old")
    @classmethod
    def _link_key(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < MIN_LINK_KEY_CHARS:
            raise ValueError(f"must be at least {MIN_LINK_KEY_CHARS} characters")
        if info.field_name == "link_secret_old" and info.data.get("link_secret") is None:
            raise ValueError("needs SLOTBOT_LINK_SECRET (the new key) beside it")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str | None) -> str | None:
        if value:
            from mail.smtp import parse_smtp_url

            parse_smtp_url(value)
        return value or None

    @field_validator("mail_from")
    @classmethod
    def _mail_from(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            if info.data.get("smtp_url"):
                raise ValueError("must be set when SMTP_URL is set")
            return None
        if "@" not in parseaddr(value)[1]:
            raise ValueError("must be an address, e.g. Slotbot <bookings@example.com>")
        return value


def load_settings() -> Settings:
    """Read and validate the settings.

    Raises:
        SettingsError: one line per problem (``invalid setting NAME: why``),
            naming the environment variable; values are never echoed.
    """
    try:
        return Settings()
    except ValidationError as exc:
        fields = Settings.model_fields
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            alias = fields[name].alias if name in fields else name
            lines.append(f"invalid setting {alias}: {error['msg'].removeprefix('Value error, ')}")
        raise SettingsError("\n".join(lines)) from None


def secret_values(settings: Settings) -> list[str]:
    """Every secret value in the settings (tokens, passwords in URLs), for log redaction."""
    found = [value.get_secret_value() for value in settings.__dict__.values()
             if isinstance(value, SecretStr)]
    for url in (settings.database_url, settings.broker_url, settings.smtp_url):
        password = urlsplit(url).password if url else None
        if password:
            found.append(password)
    return found


def require(value: SecretStr | str | None, name: str) -> str:
    """Return a required setting's value.

    Raises:
        SettingsError: if it is unset, naming ``name``.
    """
    if value is None or value == "":
        raise SettingsError(f"{name} is not set")
    return value.get_secret_value() if isinstance(value, SecretStr) else value
