"""Settings are checked at start-up: bounded, finite numbers and URLs with a host."""

import pytest

from config.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> pytest.MonkeyPatch:
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("SLOTBOT_TICK_SECONDS", "SLOTBOT_RETENTION_DAYS", "SLOTBOT_BROKER_URL",
                 "SLOTBOT_OUTBOX_MAX_ATTEMPTS", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_API_BASE_URL",
                 "SLACK_API_URL", "SMTP_URL", "SLOTBOT_LINK_SECRET", "SLOTBOT_LINK_SECRET_OLD"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def problems(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    return str(caught.value).splitlines()


@pytest.mark.parametrize(("name", "value", "why"), [
    ("SLOTBOT_TICK_SECONDS", "inf", "Input should be a finite number"),
    ("SLOTBOT_TICK_SECONDS", "nan", "Input should be a finite number"),
    ("SLOTBOT_TICK_SECONDS", "0", "Input should be greater than or equal to 1"),
    ("SLOTBOT_RETENTION_DAYS", "99999999999", "Input should be less than or equal to 36500"),
    ("SLOTBOT_OUTBOX_MAX_ATTEMPTS", "0", "Input should be greater than or equal to 1"),
    ("SLOTBOT_BROKER_URL", "kafka://broker:9092",
     "must start with redis:// or rediss:// or amqp:// or amqps:// or pyamqp:// or sentinel://"),
    ("SLOTBOT_BROKER_URL", "redis://", "needs a host name, like redis://example.com/…"),
    ("TELEGRAM_WEBHOOK_URL", "https:///telegram", "needs a host name, like https://example.com/…"),
    ("TELEGRAM_API_BASE_URL", "localhost:8081/bot", "must start with https:// or http://"),
    ("SLACK_API_URL", "http://:99999/", "is not a valid URL"),
    ("SLOTBOT_LINK_SECRET", "short", "must be at least 32 characters"),
    ("SLOTBOT_LINK_SECRET_OLD", "o" * 40, "needs SLOTBOT_LINK_SECRET (the new key) beside it"),
])
def test_a_bad_value_is_one_line_naming_the_variable(clean_environment, name, value, why):
    assert problems(clean_environment, **{name: value}) == [f"invalid setting {name}: {why}"]


def test_every_bad_setting_is_reported_at_once_without_its_value(clean_environment):
    found = problems(clean_environment, SLOTBOT_TICK_SECONDS="inf",
                     SLOTBOT_RETENTION_DAYS="99999999999",
                     SLOTBOT_BROKER_URL="redis://:hunter2@/0")
    assert [line.split(":")[0] for line in found] == [
        "invalid setting SLOTBOT_BROKER_URL", "invalid setting SLOTBOT_RETENTION_DAYS",
        "invalid setting SLOTBOT_TICK_SECONDS"]
    assert not any("hunter2" in line for line in found)


def test_good_values_pass(clean_environment):
    for name, value in {"SLOTBOT_TICK_SECONDS": "30", "SLOTBOT_RETENTION_DAYS": "365",
                        "SLOTBOT_BROKER_URL": "redis://127.0.0.1:6379/0",
                        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot"}.items():
        clean_environment.setenv(name, value)
    settings = load_settings()
    assert (settings.tick_seconds, settings.retention_days) == (30.0, 365)
    assert settings.broker_url == "redis://127.0.0.1:6379/0"
