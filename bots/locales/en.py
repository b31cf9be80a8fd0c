"""English messages (the reference catalog)."""

MESSAGES: dict[str, str] = {
    "help": (
        "I book meetings with {names}. Just write what you need, for example:\n"
        "• “30 min with Ana next Tuesday afternoon?”\n"
        "• “anything free tomorrow before 10?”\n"
        "• “my bookings”\n"
        "• “move my call to Friday 3pm”\n"
        "• “cancel my booking”\n"
        "• “my timezone is America/New_York”"
    ),
    "nobody": "nobody yet",
    "greeting": (
        "Hi! I book time with {host}: {kinds}.\n"
        "Tell me when suits you, e.g. “tomorrow afternoon” or “Friday 10am”."
    ),
    "kind": "{title} ({minutes} min)",
    "timezone_note": (
        "(Times are in {tz}, {host}'s zone. If you're elsewhere, tell me, "
        "e.g. “my timezone is America/New_York”.)"
    ),
    "timezone_set": "Got it: I'll show times in {tz}.",
    "timezone_unknown": (
        "I don't know the timezone “{name}”. Use a name like Europe/Berlin or America/New_York."
    ),
    "too_long": "That message is too long for me (over {limit} characters). "
    "Please send a shorter one.",
    "choose_host": "Who would you like to meet?",
    "choose_event_type": "Which kind of meeting with {host}?",
    "no_such_duration": "{host} has no {minutes}-minute meetings. Which would you like?",
    "propose_booking": "{title} with {host} on {when} — shall I book it?",
    "slots_asked": "Here's what's free with {host} (times in {tz}), starting {day}:",
    "slots_next": "Free times with {host} (times in {tz}), starting {day}:",
    "team_offer": "First free then (times in {tz}):",
    "nobody_free": (
        "Nobody is free then. Whom would you like to meet at another time?"
    ),
    "nothing_free": "Sorry, {host} has nothing free in that period. Try another day or week.",
    "nothing_free_next": "Sorry, {host} has nothing free then. The nearest free times:",
    "unavailable": "{day} {time} isn't available ({reason}). Nearest free times:",
    "reason_too_soon": "too short notice; the earliest is {day} {time}",
    "reason_too_far": "bookings open only until {day}",
    "reason_taken": "it's taken or outside working hours",
    "just_taken": "Sorry, that time was just taken. Nearest free times:",
    "booked": "Booked #{id}: {title} with {host}, {when}. To move or cancel it, just tell me.",
    "requested": "Requested #{id}: {title} with {host}, {when}. "
    "{host} will confirm it; I'll let you know.",
    "not_booked": "OK, nothing booked. Tell me another time whenever you like.",
    "offer_expired": "That offer has expired. Tell me again what you'd like to book.",
    "no_bookings": "You have no upcoming bookings.",
    "your_bookings": "Your upcoming bookings:",
    "booking_line": "• #{id} {title} with {host}, {when}",
    "awaiting": " (awaiting confirmation)",
    "choose_cancel": "Which booking would you like to cancel?",
    "choose_move": "Which booking would you like to move?",
    "confirm_cancel": "Cancel #{id} {title} with {host}, {when}?",
    "cancelled": "Cancelled #{id}. {host} has been told.",
    "kept": "OK, I've left it as it is.",
    "ask_new_time": "When would you like to move #{id} ({day} {time}) to?",
    "confirm_reschedule": "Move #{id} {title} with {host} from {day} {time} to {when}?",
    "rescheduled": "Moved: #{id} {title} with {host} is now {when} (it replaces #{old_id}).",
    "booking_gone": "I can't find an upcoming booking #{id} of yours.",
    "too_late_to_change": "Sorry, #{id} can no longer be changed here: changes were possible "
    "until {day} {time}. Please contact {host} directly.",
    "guest_limit": "You already have as many upcoming bookings with {host} as allowed "
    "({limit}). Cancel one first, or wait until one has taken place.",
    "not_understood": "Sorry, I didn't get that.",
    "apology": "Sorry, something went wrong on my side. Please try again in a moment.",
    "yes_book": "Yes, book it",
    "yes_cancel": "Yes, cancel it",
    "yes_move": "Yes, move it",
    "no": "No",
    "keep": "No, keep it",
}
