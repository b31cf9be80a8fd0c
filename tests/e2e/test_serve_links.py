"""The signed links' page on ``--health-port``: ``slotbot serve telegram`` (long polling,
no Slack port) still serves ``/links/<token>`` for email guests, beside the health paths."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import yaml

from config.bootstrap import bootstrap
from config.settings import Settings
from core import services
from core.action_links import Action, issue
from core.models import BookingStatus
from core.setup_file import parse_setup
from tests.e2e.example_app import EXAMPLE
from tests.e2e.telegram_server import TelegramAPIServer
from tests.e2e.test_serve_recovery import TIMEOUT, Serve

KEY = "health-port-links-key-" + "k" * 20
START = datetime(2030, 12, 2, 9, 0, tzinfo=UTC)  # a Monday, far ahead of the wall clock


def test_the_link_page_is_served_on_the_health_port(
    telegram_api: TelegramAPIServer, tmp_path: Path, unused_port: int
) -> None:
    settings = Settings(SLOTBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}")
    app = bootstrap(settings, now=datetime(2030, 11, 25, 9, 0, tzinfo=UTC))
    services.load_hosts(parse_setup(yaml.safe_load(EXAMPLE.read_text())), uow=app.uow_factory())
    guest = services.ensure_guest("email", "gil@example.org", uow=app.uow_factory(), name="Gil")
    view = services.book("ana", "intro", START, guest_id=guest.id or 0, uow=app.uow_factory(),
                         clock=app.clock)
    app.engine.dispose()
    token = issue(Action.CANCEL, view.booking.id or 0, START, keys=[KEY])
    forged = issue(Action.CANCEL, view.booking.id or 0, START, keys=["x" * 40])
    serve = Serve(tmp_path, "telegram", {"TELEGRAM_BOT_TOKEN": telegram_api.token,
                                         "TELEGRAM_API_BASE_URL": telegram_api.base_url,
                                         "SLOTBOT_LINK_SECRET": KEY})
    base = f"http://127.0.0.1:{unused_port}"
    telegram_api.open_chat(1001)  # Ana hears of the booking and its cancellation
    with serve.running("--health-port", str(unused_port)), \
            httpx.Client(transport=httpx.HTTPTransport(retries=60), timeout=10) as client:
        assert _wait_up(client, f"{base}/healthz"), serve.output()
        page = client.get(f"{base}/links/{token}")
        refused = client.get(f"{base}/links/{forged}")
        done = client.post(f"{base}/links/{token}")
        again = client.post(f"{base}/links/{token}")
    assert page.status_code == 200 and "<form" in page.text, page.text
    assert refused.status_code == 403 and "not valid" in refused.text
    assert done.status_code == 200 and "Cancelled #" in done.text, done.text
    assert again.status_code == 410 and "already used" in again.text
    with app.uow_factory() as uow:
        assert uow.bookings.get(view.booking.id or 0).status is BookingStatus.CANCELLED


def _wait_up(client: httpx.Client, url: str) -> bool:
    """Until the process answers (it imports, migrates and checks Telegram first)."""
    import time

    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            if client.get(url).status_code == 200:
                return True
        except httpx.HTTPError:
            time.sleep(0.2)
    return False
