"""A guest's notices go to their private chat, never to a group they wrote in later."""

from telegram import Update

from bots.conversation import Conversation
from bots.messages import IncomingMessage
from bots.telegram import to_incoming
from core import services
from core.services import Actor

GUEST = {"id": 4242, "is_bot": False, "first_name": "Carla", "language_code": "en"}
PRIVATE = {"id": 4242, "type": "private", "first_name": "Carla"}
GROUP = {"id": -100777, "type": "supergroup", "title": "Team"}


def telegram_text(chat: dict, text: str, update_id: int) -> IncomingMessage:
    update = Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": chat, "from": GUEST, "text": text}}, None)
    incoming = to_incoming(update)
    assert incoming is not None
    return incoming


def test_telegram_marks_group_chats_as_not_private():
    in_group = telegram_text(GROUP, "hello", 1)
    in_private = telegram_text(PRIVATE, "hello", 2)
    assert (in_group.private, in_group.private_chat_id) == (False, None)
    assert (in_private.private, in_private.private_chat_id) == (True, "4242")


def test_cancellation_goes_to_the_private_chat_after_the_guest_wrote_in_a_group(uow, clock):
    bot = Conversation(lambda: uow, clock)
    bot.handle(telegram_text(PRIVATE, "30 min with Ana tomorrow at 10am", 1))
    assert "Booked #" in bot.handle(telegram_text(PRIVATE, "yes", 2))[0].text
    bot.handle(telegram_text(GROUP, "hi all, what do I have booked?", 3))
    [booking] = [b for b in uow.bookings.items if b.is_live]
    host = services.get_host("ana", uow=uow)

    services.cancel(booking.id or 0, actor=Actor("host", host.id or 0), uow=uow, clock=clock,
                    reason="private family matter")

    to_guest = [(m.channel, m.recipient) for m in uow.outbox.list()
                if m.kind == "booking_cancelled" and m.payload.get("reader") == "guest"]
    assert to_guest == [("telegram", "4242")]
    assert not any(m.recipient == "-100777" for m in uow.outbox.list())


def test_a_guest_first_seen_in_a_group_gets_no_chat_notices_there(uow, clock):
    bot = Conversation(lambda: uow, clock)
    bot.handle(telegram_text(GROUP, "30 min with Ana tomorrow at 10am", 1))
    bot.handle(telegram_text(GROUP, "yes", 2))
    [booking] = [b for b in uow.bookings.items if b.is_live]
    host = services.get_host("ana", uow=uow)

    services.cancel(booking.id or 0, actor=Actor("host", host.id or 0), uow=uow, clock=clock,
                    reason="private family matter")

    assert not any(m.recipient == "-100777" for m in uow.outbox.list())
