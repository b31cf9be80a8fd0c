"""A local Telegram Bot API server for end-to-end tests, plus a way to run a bot against it.

It speaks the wire protocol python-telegram-bot uses (``POST /bot<token>/<method>``
with a form-encoded or JSON body; ``{"ok": true, "result": ...}`` replies; 401 for a
wrong token, 404 for an unknown method) for the methods a polling bot calls:
getMe, getUpdates (long polling), setWebhook, deleteWebhook, getWebhookInfo,
setMyCommands, sendMessage, sendPhoto (a multipart upload), answerCallbackQuery,
editMessageReplyMarkup, and Telegram Payments' sendInvoice and answerPreCheckoutQuery.

Like Telegram, it rejects what Telegram rejects (400 ``Bad Request: …``): HTML that
is not valid Telegram HTML (an unescaped ``<`` or ``&``, an unknown tag), texts
over 4096 characters after entity parsing, ``callback_data`` over 64 bytes,
unknown chats and callback queries, edits that change nothing, webhooks that are
not HTTPS or whose secret token has characters Telegram does not allow,
getUpdates while a webhook is set (409), invoices outside Telegram's limits
(title 1–32, description 1–255 characters, payload 1–128 bytes, a provider
token, a three-letter currency, positive whole amounts), and a pre-checkout
answer that is late (over 10 s after the query was queued), repeated, or a
refusal without an ``error_message``. Every such refusal is kept in ``errors``
so that tests can insist there were none.

The test side plays the users: ``push_text`` and ``press_button`` queue updates
(waking a waiting ``getUpdates`` at once), and ``text_update`` builds an update
for a test to POST to a bot's webhook itself; ``pay`` plays the guest tapping
Pay under an invoice (a ``pre_checkout_query``), ``paid`` Telegram reporting the
money (a ``successful_payment`` message); ``wait_for_messages`` blocks on a
condition until the bot has sent what the test expects; ``webhook`` is what the
bot registered with setWebhook. Dates are a fixed instant, never the wall clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from telegram.ext import Application

from bots.messages import IncomingMessage, KeepAnswer, Reply
from bots.telegram import ALLOWED_UPDATES

TOKEN = "123456:TEST-slotbot-token"
#: 2026-11-20T12:00:00Z: the ``date`` of every message.
FIXED_DATE = 1_795_176_000
BOT_USER: dict[str, Any] = {
    "id": 999,
    "is_bot": True,
    "first_name": "Slotbot",
    "username": "slotbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")

_JSON_PARAMS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "link_preview_options",
    "reply_parameters",
    "prices",
}
_INT_PARAMS = {"chat_id", "message_id", "offset", "limit", "cache_time", "max_connections",
               "max_tip_amount"}
_FLOAT_PARAMS = {"timeout"}
_BOOL_PARAMS = {"show_alert", "drop_pending_updates", "disable_notification", "protect_content",
                "ok", "need_name", "need_email", "need_phone_number", "is_flexible"}
#: Telegram's limits of sendInvoice (https://core.telegram.org/bots/api#sendinvoice).
MAX_INVOICE_TITLE = 32
MAX_INVOICE_DESCRIPTION = 255
MAX_INVOICE_PAYLOAD_BYTES = 128
#: Seconds a bot has to answer a pre-checkout query (https://core.telegram.org/bots/api#answerprecheckoutquery).
PRE_CHECKOUT_SECONDS = 10.0
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
_HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[A-Za-z][A-Za-z-]*)(?:\s[^<>]*)?>"
    r"|&(?:#(?P<dec>[0-9]+)|#x(?P<hex>[0-9A-Fa-f]+)|(?P<name>[A-Za-z]+));"
    r"|(?P<stray>[<>&])"
)


class Echo:
    """A stand-in conversation: records every message and answers ``Got: <text>``."""

    def __init__(self) -> None:
        self.received: list[IncomingMessage] = []
        self._lock = threading.Lock()

    def __call__(self, message: IncomingMessage, keep: KeepAnswer | None = None) -> list[Reply]:
        with self._lock:
            self.received.append(message)
        return [Reply(f"Got: {message.text}")]


class APIError(Exception):
    """A Bot API error reply: ``error_code`` and ``description`` as Telegram sends them."""

    def __init__(
        self, description: str, error_code: int = 400, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.description = description
        self.error_code = error_code
        self.parameters = parameters


@dataclass
class SentMessage:
    """A message the bot sent, as it was sent.

    Attributes:
        message_id: Telegram's id, unique within the chat.
        chat_id: the chat it went to.
        text: the ``text`` parameter verbatim (HTML source when ``parse_mode`` is HTML).
        plain_text: the text a user sees (tags removed, entities decoded).
        parse_mode: ``"HTML"`` or None.
        reply_markup: the current markup as a Bot API dict, or None. The server
            hands out its own objects, so an edit by the bot shows up here.
    """

    message_id: int
    chat_id: int
    text: str
    plain_text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None = field(default=None)
    #: The uploaded file of a ``sendPhoto`` (its bytes), None for a text message.
    photo: bytes | None = field(default=None)
    #: The parameters of a ``sendInvoice`` (title, payload, prices, …), None otherwise.
    invoice: dict[str, Any] | None = field(default=None)

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        """The inline keyboard as rows of ``(label, callback_data)``; [] without one."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[(b["text"], b.get("callback_data", "")) for b in row] for row in rows]

    def to_api(self) -> dict[str, Any]:
        """The Bot API ``Message`` object Telegram returns for it."""
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": FIXED_DATE,
            "chat": {"id": self.chat_id, "type": "private"},
            "from": BOT_USER,
        }
        if self.invoice is not None:
            message["invoice"] = {
                "title": self.invoice["title"], "description": self.invoice["description"],
                "start_parameter": self.invoice.get("start_parameter") or "",
                "currency": self.invoice["currency"],
                "total_amount": sum(p["amount"] for p in self.invoice["prices"]),
            }
        elif self.photo is None:
            message["text"] = self.plain_text
        else:
            message["caption"] = self.plain_text
            message["photo"] = [{"file_id": f"photo{self.message_id}",
                                 "file_unique_id": f"u{self.message_id}",
                                 "width": 800, "height": 360, "file_size": len(self.photo)}]
        if self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message


class TelegramAPIServer:
    """A threaded local Bot API server; use as a context manager or ``start``/``stop``.

    Args:
        token: the only token accepted; others get 401.
    """

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.errors: list[tuple[str, str]] = []
        self._cond = threading.Condition()
        self._closed = False
        self._updates: list[dict[str, Any]] = []
        self._history: dict[int, dict[str, Any]] = {}
        self._confirmed_below = 0
        self._next_update_id = 1
        self._chats: dict[int, dict[str, Any]] = {}
        self._next_message_id: dict[int, int] = {}
        self._sent: dict[int, list[SentMessage]] = {}
        self._taken: dict[int, int] = {}
        self._queries: dict[str, dict[str, Any] | None] = {}
        #: pre-checkout query id -> (monotonic time queued, the answer or None)
        self._checkouts: dict[str, tuple[float, dict[str, Any] | None]] = {}
        self._next_charge = 1
        self._calls: list[tuple[str, dict[str, Any]]] = []
        self._faults: dict[str, list[APIError]] = {}
        self._webhook: dict[str, Any] | None = None
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.api = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """PTB's ``base_url`` for this server (the token is appended to it)."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/bot"

    def start(self) -> TelegramAPIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops serving and releases every waiting ``getUpdates``."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> TelegramAPIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- the test plays the users ------------------------------------------------------

    def push_text(
        self,
        user_id: int,
        text: str,
        *,
        name: str = "Test User",
        language_code: str | None = "en",
    ) -> int:
        """Queues a private text message from ``user_id`` (its chat id is the user id).

        Args:
            name: the sender's full name; split into first and last at the first space.
            language_code: the client's language (``from.language_code``), or None.

        Returns:
            The update id.
        """
        with self._cond:
            return self._queue({"message": self._text_message(user_id, text, name, language_code)})

    def push_media(self, user_id: int, content: dict[str, Any], *, chat_type: str = "private",
                   language_code: str | None = "en") -> int:
        """Queues a message without text from ``user_id``: ``content`` is its media field(s)
        as the Bot API sends them (``{"sticker": {...}}``, ``{"photo": [...]}``) or a service
        field (``{"new_chat_members": [...]}``); ``chat_type`` ``group`` puts it in a group.

        Returns:
            The update id.
        """
        with self._cond:
            message = self._text_message(user_id, "", "Test User", language_code)
            del message["text"]
            if chat_type != "private":
                message["chat"] = {"id": -user_id, "type": chat_type, "title": "A group"}
            return self._queue({"message": {**message, **content}})

    def text_update(
        self,
        user_id: int,
        text: str,
        *,
        name: str = "Test User",
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """A private text message from ``user_id`` as a Bot API ``Update``, not queued.

        For webhook tests, which POST it to the bot themselves. The chat becomes
        known (the bot may answer it); arguments as ``push_text``.
        """
        with self._cond:
            message = self._text_message(user_id, text, name, language_code)
            update_id = self._next_update_id
            self._next_update_id += 1
            return {"update_id": update_id, "message": message}

    def press_button(
        self,
        user_id: int,
        message: SentMessage,
        payload: str,
        *,
        name: str = "Test User",
        language_code: str | None = "en",
    ) -> str:
        """Queues a press on the button with ``callback_data == payload`` of ``message``.

        Returns:
            The callback query id (see ``wait_for_callback_answer``).

        Raises:
            AssertionError: the message has no such button now (as a user could not
                press it); the keyboard checked is the current one, after edits.
        """
        user = _user(user_id, name, language_code)
        with self._cond:
            current = self._find(message.chat_id, message.message_id)
            payloads = [data for row in current.buttons for _, data in row]
            assert payload in payloads, f"no button {payload!r} on message, only {payloads}"
            query_id = f"q{self._next_update_id}"
            self._queries[query_id] = None
            self._queue(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user,
                        "message": current.to_api(),
                        "chat_instance": f"ci{current.chat_id}",
                        "data": payload,
                    }
                }
            )
            return query_id

    def pay(
        self,
        user_id: int,
        invoice: SentMessage,
        *,
        name: str = "Test User",
        language_code: str | None = "en",
    ) -> str:
        """Queues a ``pre_checkout_query``: the user tapped Pay under ``invoice`` and
        confirmed the payment form (Telegram now asks the bot whether to go on).

        Returns:
            The query id (see ``wait_for_pre_checkout_answer``); the bot must answer
            within ``PRE_CHECKOUT_SECONDS`` of this call.
        """
        assert invoice.invoice is not None, "not an invoice"
        sent = invoice.invoice
        with self._cond:
            query_id = f"pc{self._next_update_id}"
            self._checkouts[query_id] = (time.monotonic(), None)
            self._queue({"pre_checkout_query": {
                "id": query_id,
                "from": _user(user_id, name, language_code),
                "currency": sent["currency"],
                "total_amount": sum(p["amount"] for p in sent["prices"]),
                "invoice_payload": sent["payload"],
            }})
            return query_id

    def paid(
        self,
        user_id: int,
        invoice: SentMessage,
        *,
        charge_id: str | None = None,
        name: str = "Test User",
        language_code: str | None = "en",
    ) -> tuple[int, str]:
        """Queues the ``successful_payment`` service message of a paid ``invoice``.

        Args:
            charge_id: the ``telegram_payment_charge_id``; default a new one. Pass
                the same one again to play Telegram reporting one payment twice
                (under a new ``update_id``, which the inbox cannot catch).

        Returns:
            (the update id, the ``telegram_payment_charge_id``).
        """
        assert invoice.invoice is not None, "not an invoice"
        sent = invoice.invoice
        user = _user(user_id, name, language_code)
        with self._cond:
            if charge_id is None:
                charge_id = f"tg_charge_{self._next_charge}"
                self._next_charge += 1
            chat = self._chat(user)
            message = {
                "message_id": self._new_message_id(chat["id"]),
                "date": FIXED_DATE,
                "chat": chat,
                "from": user,
                "successful_payment": {
                    "currency": sent["currency"],
                    "total_amount": sum(p["amount"] for p in sent["prices"]),
                    "invoice_payload": sent["payload"],
                    "telegram_payment_charge_id": charge_id,
                    "provider_payment_charge_id": f"provider_{charge_id}",
                },
            }
            return self._queue({"message": message}), charge_id

    def wait_for_pre_checkout_answer(self, query_id: str,
                                     timeout: float = PRE_CHECKOUT_SECONDS) -> dict[str, Any]:
        """Waits until the bot answered the pre-checkout query; returns the answer's parameters
        (``ok``, and ``error_message`` for a refusal).

        Raises:
            AssertionError: no answer within ``timeout`` seconds.
        """
        with self._cond:
            if not self._cond.wait_for(lambda: self._checkouts[query_id][1] is not None, timeout):
                raise AssertionError(f"pre-checkout query {query_id} not answered in {timeout}s; "
                                     f"refused requests: {self.errors}")
            answer = self._checkouts[query_id][1]
            assert answer is not None
            return answer

    def redeliver(self, update_id: int) -> None:
        """Queues a queued update again, same ``update_id`` (as Telegram does when an
        offset was not confirmed, e.g. after the bot's process died)."""
        with self._cond:
            self._updates.append(self._history[update_id])
            self._updates.sort(key=lambda update: update["update_id"])
            self._cond.notify_all()

    def confirmed(self) -> set[int]:
        """The ids of queued updates the bot confirmed (``getUpdates`` with a higher offset):
        Telegram will not send them again."""
        with self._cond:
            return {uid for uid in self._history if uid < self._confirmed_below}

    def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Waits until ``condition()`` holds (checked on every change); False on timeout.

        ``condition`` may call this server's methods.
        """
        with self._cond:
            return self._cond.wait_for(condition, timeout)

    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a ``getUpdates`` offset."""
        with self._cond:
            return len(self._updates)

    def open_chat(self, user_id: int, *, name: str = "Test User") -> None:
        """Makes the private chat with ``user_id`` known (as if they had written to the bot)."""
        with self._cond:
            self._chat(_user(user_id, name, None))

    def wait_for_messages(
        self, chat_id: int | str, count: int, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Waits until the bot has sent ``count`` messages to the chat not yet taken.

        Each call takes the next ``count`` messages in order, so a test can go turn
        by turn: push, take the replies, press, take the replies.

        Raises:
            AssertionError: they did not arrive within ``timeout`` seconds; the
                message lists the ones that did, and any refused requests.
        """
        chat = int(chat_id)
        with self._cond:
            arrived = self._cond.wait_for(
                lambda: len(self._sent.get(chat, [])) - self._taken.get(chat, 0) >= count,
                timeout,
            )
            start = self._taken.get(chat, 0)
            fresh = self._sent.get(chat, [])[start:]
            if not arrived:
                texts = [m.text for m in fresh]
                raise AssertionError(
                    f"expected {count} new messages in chat {chat} within {timeout}s, "
                    f"got {texts}; refused requests: {self.errors}"
                )
            self._taken[chat] = start + count
            return fresh[:count]

    def wait_for_callback_answer(self, query_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """Waits until the bot answered the callback query; returns the answer's parameters.

        Raises:
            AssertionError: no answer within ``timeout`` seconds.
        """
        with self._cond:
            if not self._cond.wait_for(lambda: self._queries.get(query_id) is not None, timeout):
                raise AssertionError(f"callback query {query_id} not answered in {timeout}s")
            answer = self._queries[query_id]
            assert answer is not None
            return answer

    @property
    def webhook(self) -> dict[str, Any] | None:
        """The parameters of the setWebhook call in force (``url``, ``secret_token``, …).

        None while no webhook is set (never set, or removed by deleteWebhook).
        """
        with self._cond:
            return None if self._webhook is None else dict(self._webhook)

    def wait_for_webhook(self, timeout: float = 5.0) -> dict[str, Any]:
        """Waits until the bot has set a webhook; returns it as ``webhook`` does.

        Raises:
            AssertionError: none was set within ``timeout`` seconds.
        """
        with self._cond:
            if not self._cond.wait_for(lambda: self._webhook is not None, timeout):
                raise AssertionError(
                    f"no webhook set within {timeout}s; refused requests: {self.errors}"
                )
            assert self._webhook is not None
            return dict(self._webhook)

    def messages(self, chat_id: int | str) -> list[SentMessage]:
        """Every message the bot sent to the chat so far, taken or not."""
        with self._cond:
            return list(self._sent.get(int(chat_id), []))

    def calls(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of ``method`` (e.g. ``"sendMessage"``) so far."""
        with self._cond:
            return [params for name, params in self._calls if name == method]

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """Makes the next call of ``method`` fail as given (e.g. 429 with ``retry_after``).

        Injected failures are not recorded in ``errors``.
        """
        with self._cond:
            self._faults.setdefault(method, []).append(
                APIError(description, error_code, parameters)
            )

    # --- the bot's side: Bot API methods --------------------------------------------------

    def call(self, method: str, params: dict[str, Any]) -> Any:
        """Runs one Bot API method; returns its ``result``.

        Raises:
            APIError: what Telegram would refuse (404 for an unknown method).
        """
        implementation: Callable[[dict[str, Any]], Any] | None = getattr(
            self, f"_api_{method.lower()}", None
        )
        with self._cond:
            self._calls.append((method, params))
            faults = self._faults.get(method)
            if faults:
                raise faults.pop(0)
        try:
            if implementation is None:
                raise APIError("Not Found", 404)
            try:
                return implementation(params)
            except (KeyError, TypeError, ValueError) as malformed:
                raise APIError(f"Bad Request: malformed parameters: {malformed!r}") from None
        except APIError as error:
            with self._cond:
                self.errors.append((method, error.description))
            raise

    def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if not url:  # Telegram: an empty URL removes the webhook
            return self._api_deletewebhook(params)
        if not url.startswith("https://"):
            raise APIError("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(secret):
            raise APIError("Bad Request: secret token contains unallowed characters")
        with self._cond:
            if params.get("drop_pending_updates"):
                self._updates.clear()
            self._webhook = dict(params)
            self._cond.notify_all()
        return True

    def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        with self._cond:
            if params.get("drop_pending_updates"):
                self._updates.clear()
            self._webhook = None
        return True

    def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            pending = len(self._updates)
            webhook = self._webhook or {}
        info: dict[str, Any] = {
            "url": webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": pending,
        }
        if webhook.get("allowed_updates"):
            info["allowed_updates"] = webhook["allowed_updates"]
        if webhook.get("max_connections"):
            info["max_connections"] = webhook["max_connections"]
        return info

    def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        return True

    def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates") or []
        with self._cond:
            if self._webhook is not None:
                raise APIError(
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                    409,
                )
            if offset > 0:
                self._confirmed_below = max(self._confirmed_below, offset)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if allowed:  # Telegram drops the other types for good
                self._updates = [u for u in self._updates if _update_type(u) in allowed]
            self._cond.wait_for(lambda: self._closed or bool(self._updates), timeout)
            return self._updates[:limit]

    def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        text = params.get("text") or ""
        parse_mode = params.get("parse_mode")
        if parse_mode not in (None, "HTML"):
            raise APIError(f"Bad Request: this test server supports HTML only, not {parse_mode}")
        plain = _parse_html(text) if parse_mode == "HTML" else text
        if not plain.strip():
            raise APIError("Bad Request: message text is empty")
        if len(plain.encode("utf-16-le")) // 2 > MAX_TEXT_LENGTH:
            raise APIError("Bad Request: message is too long")
        markup = _check_markup(params.get("reply_markup"))
        with self._cond:
            if chat_id not in self._chats:
                raise APIError("Bad Request: chat not found")
            message = SentMessage(
                self._new_message_id(chat_id), chat_id, text, plain, parse_mode, markup
            )
            self._sent.setdefault(chat_id, []).append(message)
            self._cond.notify_all()
            return message.to_api()

    def _api_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        photo = params.get("photo")
        if not isinstance(photo, bytes):
            raise APIError("Bad Request: there is no photo in the request")
        if not photo.startswith(_IMAGE_MAGIC):
            raise APIError("Bad Request: IMAGE_PROCESS_FAILED")
        caption = params.get("caption") or ""
        parse_mode = params.get("parse_mode")
        plain = _parse_html(caption) if parse_mode == "HTML" else caption
        if len(plain.encode("utf-16-le")) // 2 > MAX_CAPTION_LENGTH:
            raise APIError("Bad Request: message caption is too long")
        markup = _check_markup(params.get("reply_markup"))
        with self._cond:
            if chat_id not in self._chats:
                raise APIError("Bad Request: chat not found")
            message = SentMessage(self._new_message_id(chat_id), chat_id, caption, plain,
                                  parse_mode, markup, photo)
            self._sent.setdefault(chat_id, []).append(message)
            self._cond.notify_all()
            return message.to_api()

    def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        with self._cond:
            if query_id not in self._queries or self._queries[query_id] is not None:
                raise APIError(
                    "Bad Request: query is too old and response timeout expired "
                    "or query ID is invalid"
                )
            self._queries[query_id] = params
            self._cond.notify_all()
        return True

    def _api_sendinvoice(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        title, description = params.get("title") or "", params.get("description") or ""
        payload, currency = params.get("payload") or "", params.get("currency") or ""
        prices = params.get("prices")
        if not 1 <= len(title) <= MAX_INVOICE_TITLE:
            raise APIError("Bad Request: TITLE_INVALID")
        if not 1 <= len(description) <= MAX_INVOICE_DESCRIPTION:
            raise APIError("Bad Request: DESCRIPTION_INVALID")
        if not 1 <= len(payload.encode()) <= MAX_INVOICE_PAYLOAD_BYTES:
            raise APIError("Bad Request: PAYLOAD_INVALID")
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise APIError("Bad Request: CURRENCY_INVALID")
        if currency != "XTR" and not params.get("provider_token"):
            raise APIError("Bad Request: PAYMENT_PROVIDER_INVALID")
        if not isinstance(prices, list) or not prices or not all(
                isinstance(p, dict) and p.get("label") and isinstance(p.get("amount"), int)
                and p["amount"] > 0 for p in prices):
            raise APIError("Bad Request: INVOICE_PRICES_INVALID")
        start = params.get("start_parameter")
        if start is not None and not re.fullmatch(r"[A-Za-z0-9_-]{0,64}", start):
            raise APIError("Bad Request: START_PARAM_INVALID")
        markup = _check_markup(params.get("reply_markup"))
        with self._cond:
            if chat_id not in self._chats:
                raise APIError("Bad Request: chat not found")
            message = SentMessage(self._new_message_id(chat_id), chat_id, title, title, None,
                                  markup, invoice=dict(params))
            self._sent.setdefault(chat_id, []).append(message)
            self._cond.notify_all()
            return message.to_api()

    def _api_answerprecheckoutquery(self, params: dict[str, Any]) -> bool:
        query_id = params.get("pre_checkout_query_id")
        ok = params.get("ok")
        if not isinstance(ok, bool):
            raise APIError("Bad Request: parameter \"ok\" is required")
        if not ok and not params.get("error_message"):
            raise APIError("Bad Request: ERROR_MESSAGE_EMPTY")
        with self._cond:
            queued, answer = self._checkouts.get(query_id, (0.0, None))
            late = time.monotonic() - queued > PRE_CHECKOUT_SECONDS
            if query_id not in self._checkouts or answer is not None or late:
                raise APIError(
                    "Bad Request: query is too old and response timeout expired "
                    "or query ID is invalid"
                )
            self._checkouts[query_id] = (queued, dict(params))
            self._cond.notify_all()
        return True

    def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        if "inline_message_id" in params:
            raise APIError("Bad Request: inline messages are not supported by this server")
        markup = _check_markup(params.get("reply_markup"))
        with self._cond:
            message = self._find(params.get("chat_id"), params.get("message_id"))
            if markup == message.reply_markup:
                raise APIError(
                    "Bad Request: message is not modified: specified new message content "
                    "and reply markup are exactly the same as a current content and reply "
                    "markup of the message"
                )
            message.reply_markup = markup
            self._cond.notify_all()
            return message.to_api()

    # --- state helpers (callers hold the condition) ---------------------------------------

    def _text_message(
        self, user_id: int, text: str, name: str, language_code: str | None
    ) -> dict[str, Any]:
        user = _user(user_id, name, language_code)
        chat = self._chat(user)
        message: dict[str, Any] = {
            "message_id": self._new_message_id(chat["id"]),
            "date": FIXED_DATE,
            "chat": chat,
            "from": user,
            "text": text,
        }
        command = re.match(r"/\S+", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
        return message

    def _queue(self, body: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **body})
        self._history[update_id] = self._updates[-1]
        self._cond.notify_all()
        return update_id

    def _chat(self, user: dict[str, Any]) -> dict[str, Any]:
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "last_name" in user:
            chat["last_name"] = user["last_name"]
        self._chats[user["id"]] = chat
        return chat

    def _new_message_id(self, chat_id: int) -> int:
        self._next_message_id[chat_id] = self._next_message_id.get(chat_id, 0) + 1
        return self._next_message_id[chat_id]

    def _find(self, chat_id: Any, message_id: Any) -> SentMessage:
        for message in self._sent.get(chat_id, []):
            if message.message_id == message_id:
                return message
        raise APIError("Bad Request: message to edit not found")


@contextmanager
def running_bot(
    application: Application,
    *,
    startup_timeout: float = 10.0,
    start_updater: Callable[[Application], Awaitable[object]] | None = None,
) -> Iterator[None]:
    """Runs ``application`` by long polling in a background thread for the ``with`` block.

    The thread has its own event loop: ``async with application``, ``start()``,
    ``updater.start_polling(...)``; leaving the block stops the updater and the
    application (PTB cancels the pending long poll, so stopping is quick).

    Args:
        start_updater: starts the updater another way instead of polling, e.g.
            ``lambda app: start_webhook(app, url=..., secret_token=..., port=...)``;
            the block is entered once it returns.

    Raises:
        RuntimeError: the bot did not start, or stop, within ``startup_timeout`` seconds.
        Exception: whatever made starting or stopping the application fail.
    """
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop = asyncio.Event()
    failures: list[BaseException] = []

    async def serve() -> None:
        async with application:
            await application.start()
            assert application.updater is not None
            if start_updater is None:
                await application.updater.start_polling(
                    poll_interval=0.0, timeout=10, allowed_updates=list(ALLOWED_UPDATES)
                )
            else:
                await start_updater(application)
            started.set()
            await stop.wait()
            await application.updater.stop()
            await application.stop()

    def run() -> None:
        try:
            loop.run_until_complete(serve())
        except BaseException as error:
            failures.append(error)
        finally:
            started.set()
            loop.close()

    thread = threading.Thread(target=run, name="telegram-bot", daemon=True)
    thread.start()
    if not started.wait(startup_timeout):
        raise RuntimeError(f"the bot did not start within {startup_timeout}s")
    if failures:
        raise failures[0]
    try:
        yield
    finally:
        with contextlib.suppress(RuntimeError):  # the loop is closed if the bot crashed
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=startup_timeout)
        if failures:
            raise failures[0]
        if thread.is_alive():
            raise RuntimeError(f"the bot did not stop within {startup_timeout}s")


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length))

    def do_GET(self) -> None:
        self._answer(b"")

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: the test output is about the bot, not the server."""

    def _answer(self, body: bytes) -> None:
        api: TelegramAPIServer = self.server.api  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        match = _PATH.match(url.path)
        try:
            if match is None:
                raise APIError("Not Found", 404)
            if match["token"] != api.token:
                raise APIError("Unauthorized", 401)
            params = _params(self.headers.get("Content-Type") or "", body, url.query)
            payload: dict[str, Any] = {"ok": True, "result": api.call(match["method"], params)}
            status = 200
        except APIError as error:
            status = error.error_code
            payload = {"ok": False, "error_code": status, "description": error.description}
            if error.parameters:
                payload["parameters"] = error.parameters
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on a long poll (PTB cancels it when stopping)


def _params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Decodes parameters as the Bot API accepts them: query string, form or JSON body."""
    if content_type.startswith("application/json"):
        raw: dict[str, Any] = json.loads(body or b"{}")
    elif content_type.startswith("multipart/form-data"):
        raw = _multipart(content_type, body)
    else:
        text = body.decode() if body else query
        raw = {key: values[-1] for key, values in parse_qs(text).items()}
    return {key: _coerce(key, value) for key, value in raw.items()}


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """``multipart/form-data`` fields: files as bytes, the rest as text (as Telegram reads them)."""
    message = BytesParser(policy=default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        fields[str(name)] = data if part.get_filename() else data.decode()
    return fields


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in _JSON_PARAMS:
        return json.loads(value)
    if name in _INT_PARAMS:
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if name in _FLOAT_PARAMS:
        return float(value)
    if name in _BOOL_PARAMS:
        return value.lower() == "true"
    return value


def _parse_html(text: str) -> str:
    """Telegram HTML -> the plain text a user sees, refusing what Telegram refuses."""
    plain: list[str] = []
    open_tags: list[str] = []
    position = 0
    for token in _HTML_TOKEN.finditer(text):
        plain.append(text[position : token.start()])
        position = token.end()
        offset = len(text[: token.start()].encode())
        if token["stray"]:
            raise APIError(
                f"Bad Request: can't parse entities: unexpected {token['stray']!r} "
                f"at byte offset {offset}"
            )
        if token["name"]:
            if token["name"] not in _HTML_ENTITIES:
                raise APIError(
                    f"Bad Request: can't parse entities: unsupported HTML entity "
                    f"'&{token['name']};' at byte offset {offset}"
                )
            plain.append(_HTML_ENTITIES[token["name"]])
        elif token["dec"] or token["hex"]:
            plain.append(chr(int(token["dec"]) if token["dec"] else int(token["hex"], 16)))
        else:
            tag = token["tag"].lower()
            if tag not in _HTML_TAGS:
                raise APIError(
                    f'Bad Request: can\'t parse entities: unsupported start tag "{tag}" '
                    f"at byte offset {offset}"
                )
            if not token["close"]:
                open_tags.append(tag)
            elif not open_tags or open_tags.pop() != tag:
                raise APIError(
                    f'Bad Request: can\'t parse entities: unexpected end tag "{tag}" '
                    f"at byte offset {offset}"
                )
    plain.append(text[position:])
    if open_tags:
        raise APIError(f"Bad Request: can't parse entities: can't find end tag \"{open_tags[-1]}\"")
    return "".join(plain)


def _check_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """Validates an inline keyboard; an empty one counts as none."""
    if not markup or not markup.get("inline_keyboard"):
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise APIError("Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise APIError("Bad Request: BUTTON_DATA_INVALID")
    return markup


def _user(user_id: int, name: str, language_code: str | None) -> dict[str, Any]:
    first, _, last = name.partition(" ")
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first}
    if last:
        user["last_name"] = last
    if language_code:
        user["language_code"] = language_code
    return user


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")
