"""Settings from environment variables and an optional ``.env`` (DESIGN 3.1).

Validated once at start-up by :func:`load_settings`; a missing or malformed
value stops the program with one line naming the variable.
"""

from __future__ import annotations

from datetime import time

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    telegram_webhook_secret: SecretStr | None = Field(default=None, alias="TELEGRAM_WEBHOOK_SECRET")
    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str | None = Field(default=None, alias="SLACK_API_URL")
    smtp_url: str | None = Field(default=None, alias="SMTP_URL")

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
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
