"""The deployment kit's shape: Dockerfile, compose.yaml and the systemd units.

Docker is not needed to run these; they check what `docker compose up` relies on.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

from config.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {field.alias for field in Settings.model_fields.values()}


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_bot_worker_and_their_services_each_with_a_healthcheck():
    services = compose()["services"]
    assert set(services) == {"bot", "worker", "postgres", "redis", "mailpit"}
    for name, service in services.items():
        assert service["healthcheck"]["test"], name
        assert service.get("restart") == "unless-stopped", name
    assert services["bot"]["command"][:2] == ["serve", "${SLOTBOT_PLATFORM:-all}"]
    assert "--health-port" in services["bot"]["command"]
    assert services["worker"]["command"][0] == "worker"
    for name in ("bot", "worker"):
        needs = services[name]["depends_on"]
        assert {needs[s]["condition"] for s in ("postgres", "redis", "mailpit")} == {
            "service_healthy"}


def test_compose_sets_only_real_settings_and_points_them_at_its_services():
    bot = compose()["services"]["bot"]
    environment = bot["environment"]
    assert set(environment) <= SETTINGS
    assert "@postgres:5432/" in environment["SLOTBOT_DATABASE_URL"]
    assert environment["SLOTBOT_BROKER_URL"].startswith("redis://redis:6379/")
    assert "mailpit:1025" in environment["SMTP_URL"]


def test_image_is_slim_and_not_root_and_its_pg_dump_matches_compose_postgres():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    bases = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    assert bases and all("-slim" in base for base in bases)
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in dockerfile and 'ENTRYPOINT ["slotbot"]' in dockerfile
    # Debian bookworm's postgresql-client is 15: pg_dump refuses newer servers.
    assert "bookworm" in bases[-1]
    assert compose()["services"]["postgres"]["image"].startswith("postgres:15")


def test_systemd_units_run_slotbot_as_its_own_user():
    for unit in ("slotbot.service", "slotbot-worker.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.read(ROOT / "deploy" / "systemd" / unit)
        service = parser["Service"]
        assert service["User"] == "slotbot" and service["Restart"] == "on-failure"
        assert re.search(r"/slotbot (serve|worker) ", service["ExecStart"]), unit
        assert parser["Install"]["WantedBy"] == "multi-user.target"
