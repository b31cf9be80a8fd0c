"""The ``slotbot`` command line (DESIGN 3.3), built with Typer.

Every command bootstraps the application (settings, migrations, wiring) and
calls the same services and conversation the bots use.
"""

from __future__ import annotations

import gc
import json
import shlex
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Loading the modules below allocates some 140,000 objects (classes, functions, tables,
# compiled patterns) that live as long as the process; the cyclic collector's 200-odd
# passes over them were a tenth of `slotbot chat`'s time to its first reply. It is
# paused while they load, and then they are moved out of its sight (`gc.freeze`) rather
# than scanned all at once by its next pass.
_collecting = gc.isenabled()
gc.disable()
try:
    import typer

    from bots import console
    from bots.messages import IncomingMessage, Reply
    from config import logs
    from config.bootstrap import App, bootstrap
    from config.settings import Settings, SettingsError, load_settings, require, secret_values
    from config.startup import StartupError, check_broker
    from core import services
    from core.errors import SetupError, SlotbotError
    from core.models import BookingStatus, Payment, Refund
    from core.money import to_decimal
finally:
    gc.freeze()
    if _collecting:
        gc.enable()

if TYPE_CHECKING:
    from core.setup_schema import SetupSpec

cli = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Slotbot: a chat-bot booking assistant.")

PLATFORMS = ("telegram", "slack", "all")
NowOption = Annotated[str | None, typer.Option("--now", help="Fix the clock (ISO 8601).")]


#: Exit status of a bad setting or input, and of an outside part failing its start-up check.
EXIT_SETTINGS, EXIT_STARTUP = 2, 3


def main() -> None:
    """Entry point of the ``slotbot`` command: clear one-line errors, no tracebacks."""
    logs.configure(level="WARNING")
    try:
        cli()
    except (SettingsError, SlotbotError) as exc:
        for line in str(exc).splitlines():
            typer.echo(f"slotbot: {logs.redact(line)}", err=True)
        sys.exit(EXIT_SETTINGS)
    except StartupError as exc:
        typer.echo(f"slotbot: {exc}", err=True)
        sys.exit(EXIT_STARTUP)


def _settings(default_level: str = "WARNING") -> Settings:
    """Load the settings and set up logging with them (level, format, secrets, Sentry)."""
    settings = load_settings()
    sentry = settings.sentry_dsn.get_secret_value() if settings.sentry_dsn else None
    logs.configure(level=settings.log_level or default_level, fmt=settings.log_format,
                   secrets=secret_values(settings), sentry_dsn=sentry)
    return settings


def _app(now: str | None, *, default_level: str = "WARNING") -> App:
    return bootstrap(_settings(default_level), now=_parse_now(now) if now else None)


def _parse_now(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not ISO 8601", param_hint="--now") from None
    if value.tzinfo is None:
        raise typer.BadParameter("needs a UTC offset, e.g. 2026-12-01T09:00:00+00:00",
                                 param_hint="--now")
    return value


def _zone(name: str, hint: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise typer.BadParameter(f"{name!r} is not an IANA zone", param_hint=hint) from None
    return name


@cli.command()
def load(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Create or update hosts and event types from a setup file (idempotent).

    Every mistake in the file and in the hosts' email templates folders is
    printed, one line each with its path, and nothing is changed (exit status 2).
    """
    from core.setup_file import hosts_from, read_setup  # YAML + schema: load only

    try:
        spec = read_setup(file.read_text(encoding="utf-8"))
        templates = _read_templates(spec, file.parent)
        app = _app(None)  # maps the models: hosts are built after it
        hosts = hosts_from(spec)
        for host, sources in zip(hosts, templates, strict=True):
            host.mail_templates = sources
        handles = services.load_hosts(hosts, uow=app.uow_factory())
    except UnicodeDecodeError as exc:
        typer.echo(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})", err=True)
        raise typer.Exit(2) from None
    except SetupError as exc:
        for line in exc.problems:
            typer.echo(f"{file}: {line}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"loaded {len(handles)} host(s): {', '.join(handles)}")


def _read_templates(spec: SetupSpec, base: Path) -> list[dict[str, str]]:
    """Read and check each host's ``templates:`` folder (relative to ``base``).

    Returns:
        Per host, in file order: file name -> template source (empty: none).

    Raises:
        SetupError: every problem of every folder, ``hosts[N].templates: FILE, line L: …``.
    """
    from mail.template_folder import TemplateFolderError, read_folder

    found: list[dict[str, str]] = []
    problems: list[str] = []
    for index, host in enumerate(spec.hosts):
        found.append({})
        if host.templates is None:
            continue
        try:
            found[-1] = read_folder(base / host.templates, label=host.templates.rstrip("/"))
        except TemplateFolderError as exc:
            problems += [f"hosts[{index}].templates: {line}" for line in exc.problems]
    if problems:
        raise SetupError(problems)
    return found


@cli.command()
def chat(
    guest: Annotated[str | None, typer.Option("--as", help="The guest's id on the console.")
                     ] = None,
    host: Annotated[str | None, typer.Option(
        "--host", help="Talk as this host instead: each line a host command or a button "
                       "number.")] = None,
    name: Annotated[str | None, typer.Option(help="The guest's display name.")] = None,
    email: Annotated[str | None, typer.Option(help="The guest's email.")] = None,
    tz: Annotated[str | None, typer.Option(help="The guest's IANA timezone.")] = None,
    lang: Annotated[str | None, typer.Option(help="Reply language: en, de, es, fr, pt.")] = None,
    now: NowOption = None,
) -> None:
    """Talk to the bot as a guest (or, with --host, as a host): one message per line on stdin."""
    app = _app(now)
    interactive = sys.stdin.isatty()
    if host is not None:
        handle = services.get_host(host, uow=app.uow_factory()).handle  # unknown: exit 2

        def turn(message: IncomingMessage) -> Reply:  # the host read anew: a line may change it
            return app.host_commands.console(services.get_host(handle, uow=app.uow_factory()),
                                             message)

        console.run_host(turn, host, sys.stdin, sys.stdout, echo=not interactive,
                         prompt=f"{host}> " if interactive else "")
        return
    if guest is None:
        raise typer.BadParameter("give --as GUEST_ID (or --host HANDLE)", param_hint="--as")
    if tz:
        _zone(tz, "--tz")
    if email or tz:
        services.ensure_guest("console", guest, uow=app.uow_factory(), name=name, email=email,
                              chat_id=guest, timezone=tz)
    # No warm-up: one guest, one language; its tables compile on the first message.
    console.run(app.conversation.handle, sys.stdin, sys.stdout, guest_id=guest, name=name,
                timezone=tz, locale=lang, echo=not interactive,
                prompt="you> " if interactive else "")


@cli.command()
def command(
    host: Annotated[str, typer.Option("--host", help="The host's handle.")],
    words: Annotated[list[str] | None, typer.Argument(
        help='The command, quoted or not: "off dec 24-26" or off dec 24-26; '
             "none for the dashboard.")] = None,
    now: NowOption = None,
) -> None:
    """Run one host command (the same handler as /slotbot on Slack and Telegram)."""
    app = _app(now)
    found = services.get_host(host, uow=app.uow_factory())
    words = words or []
    text = " ".join(shlex.quote(w) if " " in w and len(words) > 1 else w for w in words)
    typer.echo(console.render(app.host_commands.run(found, text)))


@cli.command()
def slots(
    host: str,
    event_type: str,
    from_: Annotated[str, typer.Option("--from", help="First day, YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last day (included), YYYY-MM-DD.")],
    now: NowOption = None,
    tz: Annotated[str | None, typer.Option(help="Zone of the days (default: the host's).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Free slots whose start falls on the days --from through --to."""
    app = _app(now)
    found = services.get_host(host, uow=app.uow_factory())
    zone = ZoneInfo(_zone(tz, "--tz") if tz else found.timezone)
    try:
        first, last = date.fromisoformat(from_), date.fromisoformat(to)
    except ValueError:
        raise typer.BadParameter("dates look like 2026-12-01", param_hint="--from/--to") from None
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    found_slots = services.free_slots(found.handle, event_type, start, end,
                                      uow=app.uow_factory(), clock=app.clock)
    if as_json:
        typer.echo(json.dumps([{"start": _utc(s.start), "end": _utc(s.end),
                                "seats_left": s.seats_left} for s in found_slots]))
        return
    for s in found_slots:
        local = s.start.astimezone(zone)
        typer.echo(f"{local:%a %Y-%m-%d %H:%M} ({s.seats_left} seat(s) left)")


@cli.command()
def bookings(
    host: Annotated[str | None, typer.Option(help="Only this host's bookings.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List bookings (instants in UTC)."""
    try:
        wanted = BookingStatus(status) if status else None
    except ValueError:
        choices = ", ".join(s.value for s in BookingStatus)
        raise typer.BadParameter(f"one of {choices}", param_hint="--status") from None
    app = _app(None)
    views = services.list_bookings(uow=app.uow_factory(), handle=host, status=wanted)
    rows = [{"id": v.booking.id, "host": v.host.handle, "event_type": v.event_type.slug,
             "guest": v.guest.name or v.guest.platform_user_id, "start": _utc(v.booking.start),
             "end": _utc(v.booking.end), "status": v.booking.status.value} for v in views]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    header = f"{'id':>4}  {'host':<8} {'event type':<14} {'guest':<16} {'start (UTC)':<17}"
    typer.echo(header + " status")
    for r in rows:
        typer.echo(f"{r['id']:>4}  {r['host']:<8} {r['event_type']:<14} {r['guest']:<16} "
                   f"{r['start'][:16].replace('T', ' '):<17} {r['status']}")


@cli.command()
def serve(
    platform: Annotated[str, typer.Argument(help="telegram, slack or all")],
    port: Annotated[int, typer.Option(
        help="HTTP port of Slack (/slack/events) and of Telegram's webhook; with `all`, "
             "Slack listens on PORT and Telegram on PORT+1.")] = 3000,
    health_port: Annotated[int | None, typer.Option(
        help="Also serve /healthz, /readyz and /metrics on this port (for polling and "
             "Socket Mode; Slack over HTTP serves them on PORT too).")] = None,
) -> None:
    """Run the real bots: Telegram and Slack (Socket Mode, or /slack/events over HTTP).

    Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT.
    Telegram: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set
    (registered with TELEGRAM_WEBHOOK_SECRET; served behind your HTTPS proxy
    on PORT, PORT+1 with `all` and Slack over HTTP, at the URL's path).
    """
    if platform not in PLATFORMS:
        raise typer.BadParameter("telegram, slack or all", param_hint="PLATFORM")
    from config.serving import serve as run

    run(_app(None, default_level="INFO"), platform, port=port, health_port=health_port)


@cli.command()
def tick(now: NowOption = None) -> None:
    """Run once every periodic job due at --now (reminders, digests, pruning, outbox)."""
    from config.periodic import tick as run_tick

    app = _app(now)
    typer.echo(run_tick(app).summary())


@cli.command()
def outbox(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Queued, sent and failed notifications: channel, recipient, kind, status."""
    app = _app(None)
    with app.uow_factory() as uow:
        messages = uow.outbox.list()
    rows = [{"id": m.id, "channel": m.channel, "recipient": m.recipient, "kind": m.kind,
             "status": m.status.value, "attempts": m.attempts,
             "created_at": _utc(m.created_at),
             "next_attempt_at": _utc(m.next_attempt_at) if m.next_attempt_at else None,
             "sent_at": _utc(m.sent_at) if m.sent_at else None,
             "last_error": m.last_error} for m in messages]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    typer.echo(f"{'id':>5}  {'channel':<9} {'recipient':<20} {'kind':<20} {'status':<7} tries")
    for r in rows:
        error = f"  {r['last_error']}" if r["last_error"] else ""
        typer.echo(f"{r['id']:>5}  {r['channel']:<9} {r['recipient'][:20]:<20} "
                   f"{r['kind'][:20]:<20} {r['status']:<7} {r['attempts']}{error}")


@cli.command()
def payments(
    host: Annotated[str | None, typer.Option(help="Only this host's payments.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Payments and refunds: amount, currency, provider, provider ids, status (UTC).

    Amounts are whole numbers of the currency's minor unit (``amount``: 8000 is
    80.00 EUR) with the decimal text beside them (``price``).
    """
    app = _app(None)
    with app.uow_factory() as uow:
        hosts = uow.hosts.list()
        host_id = services.get_host(host, uow=uow).id if host else None
        paid = uow.payments.list(host_id=host_id)
        refunds = uow.payments.refunds(host_id=host_id) if host_id is not None \
            else uow.payments.refunds()
    handles = {h.id: h.handle for h in hosts}
    slugs = {e.id: e.slug for h in hosts for e in h.event_types}
    rows = {"payments": [_payment_row(p, handles, slugs) for p in paid],
            "refunds": [_refund_row(r) for r in refunds]}
    if as_json:
        typer.echo(json.dumps(rows))
        return
    typer.echo(f"{'id':>4} {'booking':>7}  {'host':<8} {'event type':<14} {'provider':<9} "
               f"{'amount':>13}  {'status':<9} provider ids")
    for r in rows["payments"]:
        ids = " / ".join(str(i) for i in (r["provider_payment_id"], r["provider_charge_id"]) if i)
        typer.echo(f"{r['id']:>4} {r['booking_id']:>7}  {r['host'] or '?':<8} "
                   f"{r['event_type'] or '?':<14} {r['provider']:<9} "
                   f"{r['price'] + ' ' + r['currency']:>13}  {r['status']:<9} "
                   f"{ids or r['checkout_id'] or '–'}")
    typer.echo(f"refunds: {len(rows['refunds'])}")
    for r in rows["refunds"]:
        typer.echo(f"{r['id']:>4} {r['booking_id']:>7}  payment {r['payment_id']:<4} "
                   f"{r['provider']:<9} {r['price'] + ' ' + r['currency']:>13}  "
                   f"{r['status']:<9} {r['reason']} {r['provider_refund_id'] or ''}".rstrip())


def _payment_row(p: Payment, handles: dict[int | None, str],
                 slugs: dict[int | None, str]) -> dict[str, Any]:
    return {"id": p.id, "booking_id": p.booking_id, "host": handles.get(p.host_id),
            "event_type": slugs.get(p.event_type_id), "provider": p.provider,
            "amount": p.amount, "currency": p.currency,
            "price": str(to_decimal(p.amount, p.currency)), "status": p.status.value,
            "checkout_id": p.checkout_id, "provider_payment_id": p.provider_payment_id,
            "provider_charge_id": p.provider_charge_id, "created_at": _utc(p.created_at),
            "paid_at": _utc(p.paid_at) if p.paid_at else None}


def _refund_row(r: Refund) -> dict[str, Any]:
    return {"id": r.id, "payment_id": r.payment_id, "booking_id": r.booking_id,
            "provider": r.provider, "amount": r.amount, "currency": r.currency,
            "price": str(to_decimal(r.amount, r.currency)), "status": r.status.value,
            "reason": r.reason, "provider_refund_id": r.provider_refund_id,
            "created_at": _utc(r.created_at), "done_at": _utc(r.done_at) if r.done_at else None,
            "last_error": r.last_error}


@cli.command()
def backup(file: Annotated[Path, typer.Argument(dir_okay=False, help="Where to write it.")]
           ) -> None:
    """Write a consistent copy of the whole database (SQLite backup API; pg_dump)."""
    from storage import backup as backups

    app = _app(None)
    try:
        backups.backup(app.settings.database_url, file)
    except backups.BackupError as exc:
        raise StartupError(str(exc)) from None
    typer.echo(f"backed up to {file}: {_counts(app)}")


@cli.command()
def restore(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Replace the database's contents with a backup (stop the bots and workers first)."""
    from storage import backup as backups

    settings = _settings()
    try:
        backups.restore(settings.database_url, file)
    except backups.BackupError as exc:
        raise StartupError(str(exc)) from None
    app = bootstrap(settings)  # migrates a backup made by an older version
    typer.echo(f"restored {file}: {_counts(app)}")


def _counts(app: App) -> str:
    from sqlalchemy import func, select

    from core.models import OutboxStatus
    from storage.orm import bookings, contacts, outbox

    with app.engine.connect() as connection:
        def count(table: Any, *where: Any) -> int:
            return int(connection.execute(select(func.count()).select_from(table)
                                          .where(*where)).scalar_one())

        found = (count(bookings), count(contacts),
                 count(outbox, outbox.c.status == OutboxStatus.QUEUED))
    return "{} booking(s), {} contact(s), {} queued notification(s)".format(*found)


@cli.command()
def calendars(
    host: Annotated[str | None, typer.Argument(help="Only this host's calendars.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Each connected calendar: kind, last successful sync, last error, cached busy count."""
    from storage.calendars.sync import overview

    app = _app(None)
    if host is not None:
        services.get_host(host, uow=app.uow_factory())  # HostNotFound: a clear error
    with app.calendars.session_factory() as session:
        rows = overview(session, host)
    for row in rows:
        for key in ("last_sync", "last_error_at"):
            row[key] = _utc(row[key]) if row[key] else None
    if as_json:
        typer.echo(json.dumps(rows))
        return
    if not rows:
        typer.echo("no calendars connected")
    for r in rows:
        role = "write" if r["write"] else "read"
        sync = r["last_sync"] or "never"
        error = f"  last error {r['last_error_at']}: {r['last_error']}" if r["last_error"] else ""
        typer.echo(f"{r['host']:<12} {r['calendar']:<36} {role:<5} synced {sync}  "
                   f"busy {r['busy_count']}{error}")


google_cli = typer.Typer(no_args_is_help=True, help="Google Calendar.")
cli.add_typer(google_cli, name="google")


@google_cli.command("connect")
def google_connect(
    host: str,
    paste: Annotated[bool, typer.Option(
        "--paste", help="Headless: print the address to open, then paste where it led.")] = False,
    browser: Annotated[bool, typer.Option(help="Open a browser (loopback mode).")] = True,
) -> None:
    """Connect a host's Google Calendar (OAuth installed-app flow); the grant is kept encrypted."""
    from config.calendars import grant_store
    from storage.calendars.google_connect import ConnectError, connect

    app = _app(None)
    found = services.get_host(host, uow=app.uow_factory())
    settings = app.settings
    client_id = require(settings.google_client_id, "GOOGLE_CLIENT_ID")
    secret = require(settings.google_client_secret, "GOOGLE_CLIENT_SECRET")
    require(settings.fernet_key, "SLOTBOT_FERNET_KEY")

    def ask(url: str) -> str:
        typer.echo(f"Open this address, allow access, then paste the address it led to:\n{url}")
        return str(typer.prompt("address or code"))

    try:
        connect(found.id or 0, grant_store(settings, app.engine), client_id=client_id,
                client_secret=secret, token_url=settings.google_token_url, now=app.clock(),
                paste=ask if paste else None, open_browser=browser)
    except ConnectError as exc:
        typer.echo(f"slotbot: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"connected Google Calendar for {found.handle}")


@cli.command()
def worker(
    beat: Annotated[bool, typer.Option(help="Run Celery beat in this worker.")] = True,
    concurrency: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    health_port: Annotated[int | None, typer.Option(
        help="Serve /healthz, /readyz (database, broker) and /metrics on this port.")] = None,
) -> None:
    """Run a Celery worker (with beat) on SLOTBOT_BROKER_URL, e.g. redis://localhost:6379/0."""
    from config import health
    from config.celery_app import run_worker

    settings = _settings("INFO")
    if settings.broker_url.startswith("memory://"):
        raise typer.BadParameter("set SLOTBOT_BROKER_URL to a Redis URL; with the default "
                                 "broker, `slotbot serve` runs the periodic jobs itself")
    check_broker(settings.broker_url)
    app = bootstrap(settings)  # the database answers and is migrated
    if health_port is not None:
        health.serve_in_thread(health.make_app(health.Readiness(app.engine, settings.broker_url)),
                               health_port)
    run_worker(settings, beat=beat, concurrency=concurrency)


def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")
