"""Settings from environment variables and an optional ``.env`` (DESIGN 3.1).

Validated once at start-up by :func:`load_settings`; a missing or malformed
value stops the program with one line naming the variable.
"""

from __future__ import annotations

import re
from datetime import time
from email.utils import parseaddr

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


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseSettings):
    """Every setting Slotbot reads. Secrets are ``SecretStr`` so they never print."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(default="sqlite:///slotbot.db", alias="SLOTBOT_DATABASE_URL")
    broker_url: str = Field(default="memory://", alias="SLOTBOT_BROKER_URL")
    retention_days: int = Field(default=90, ge=1, alias="SLOTBOT_RETENTION_DAYS")
    #: Host-local time of the daily pruning, ``HH:MM``.
    prune_time: time = Field(default=time(3, 0), alias="SLOTBOT_PRUNE_TIME")
    #: Seconds between two runs of the periodic jobs (``serve`` loop and Celery beat).
    tick_seconds: float = Field(default=60.0, gt=0, alias="SLOTBOT_TICK_SECONDS")
    #: Tries of an outbox message before it is marked failed.
    outbox_max_attempts: int = Field(default=12, ge=1, alias="SLOTBOT_OUTBOX_MAX_ATTEMPTS")
    telegram_bot_token: SecretStr | None = Field(default=None, alias="TELEGRAM_BOT_TOKEN")
    telegram_api_base_url: str | None = Field(default=None, alias="TELEGRAM_API_BASE_URL")
    #: Public HTTPS URL Telegram POSTs updates to; set = webhook mode, unset = long polling.
    telegram_webhook_url: str | None = Field(default=None, alias="TELEGRAM_WEBHOOK_URL")
    #: Sent by Telegram with every webhook update; required with the URL.
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, alias="TELEGRAM_WEBHOOK_SECRET", validate_default=True
    )
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str | None = Field(default=None, alias="SLACK_API_URL")
    #: ``smtp://user:pass@host:port[?starttls=true]`` or ``smtps://…``; unset: no email.
    smtp_url: str | None = Field(default=None, alias="SMTP_URL")
    #: The From header of emails, e.g. ``Slotbot <bookings@example.com>`` (needed with SMTP_URL).
    mail_from: str | None = Field(default=None, alias="SLOTBOT_MAIL_FROM", validate_default=True)

    # --- external calendars (storage.calendars) ---
    #: How often the tick refreshes the busy time of a calendar in demand, seconds.
    calendar_refresh_seconds: float = Field(default=120.0, gt=0,
                                            alias="SLOTBOT_CALENDAR_REFRESH_SECONDS")
    #: Hard limit of a calendar fetch while a guest waits, seconds.
    calendar_cold_timeout: float = Field(default=3.0, gt=0, le=60,
                                         alias="SLOTBOT_CALENDAR_COLD_TIMEOUT")
    #: Oldest busy time still used while a calendar is down, minutes; older: no offers.
    calendar_stale_minutes: float = Field(default=30.0, gt=0,
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

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("telegram_webhook_url")
    @classmethod
    def _https_webhook(cls, value: str | None) -> str | None:
        if not value:  # unset or empty: long polling
            return None
        if not value.startswith("https://"):
            raise ValueError("must be an https:// URL (Telegram calls only HTTPS webhooks)")
        return value

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
        SettingsError: one line per problem, naming the environment variable.
    """
    try:
        return Settings()
    except ValidationError as exc:
        fields = Settings.model_fields
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            alias = fields[name].alias if name in fields else name
            lines.append(f"{alias}: {error['msg']}")
        raise SettingsError("invalid setting " + "; ".join(lines)) from None


def require(value: SecretStr | str | None, name: str) -> str:
    """Return a required setting's value.

    Raises:
        SettingsError: if it is unset, naming ``name``.
    """
    if value is None or value == "":
        raise SettingsError(f"{name} is not set")
    return value.get_secret_value() if isinstance(value, SecretStr) else value
