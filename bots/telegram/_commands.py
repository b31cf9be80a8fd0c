"""The command menu Telegram shows beside the text field (``setMyCommands``).

Everyone gets the guest commands, in their app's language (one list per
catalog language, ``language_code``; English is the default list). Each mapped
host also gets ``/slotbot`` in their private chat with the bot
(``BotCommandScopeChat``; a private chat's id is the user's id), in the host's
language. See https://core.telegram.org/bots/api#setmycommands and
https://core.telegram.org/bots/features#commands.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat

from bots.locales import LANGUAGES
from bots.texts import DEFAULT_LANGUAGE, Texts, language

#: Commands a guest can send (the conversation understands each as typed).
GUEST_COMMANDS = ("start", "bookings", "cancel", "help")
#: Commands added to a host's own chat.
HOST_COMMANDS = (*GUEST_COMMANDS, "slotbot")


def command_menu(lang: str, *, host: bool = False) -> list[BotCommand]:
    """The menu in ``lang``: the guest commands, plus ``/slotbot`` for a host."""
    texts = Texts(language(lang))
    names = HOST_COMMANDS if host else GUEST_COMMANDS
    return [BotCommand(name, texts.text(f"command_{name}")) for name in names]


async def publish_commands(bot: Bot, hosts: Iterable[tuple[str, str | None]]) -> None:
    """Set the menus: guests' per language, then each host's in their own chat.

    Args:
        bot: an initialized bot.
        hosts: ``(telegram_user_id, language tag or None)`` of each mapped host.

    Raises:
        telegram.error.TelegramError: Telegram refused a call.
    """
    await bot.set_my_commands(command_menu(DEFAULT_LANGUAGE))
    for lang in LANGUAGES:
        if lang != DEFAULT_LANGUAGE:
            await bot.set_my_commands(command_menu(lang), language_code=lang)
    for user_id, locale in hosts:
        await bot.set_my_commands(command_menu(language(locale), host=True),
                                  scope=BotCommandScopeChat(int(user_id)))


def set_command_menus(token: str, hosts: Iterable[tuple[str, str | None]], *,
                      base_url: str | None = None) -> None:
    """:func:`publish_commands` on a short-lived bot of its own (before polling starts).

    Raises:
        telegram.error.TelegramError: Telegram refused a call.
    """
    bot = Bot(token, base_url=base_url) if base_url else Bot(token)

    async def publish() -> None:
        async with bot:
            await publish_commands(bot, hosts)

    asyncio.run(publish())
