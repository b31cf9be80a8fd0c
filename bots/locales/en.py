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
    # Zones written in a message (issue 9): {written}/{reader} are "16:30 Chicago".
    "zone_both": "{written} = {reader}",
    "zone_regional": "(I read {abbr} as {place} time, which is {offset} on that day.)",
    "zone_ambiguous": "“{abbr}” can mean more than one time zone: {choices}. "
    "Which one do you mean?",
    "own_zone_set": "Got it: you're in {place}, so I'll show times in {tz}.",
    "thanks_reply": "You're welcome! 😊",
    "hello_reply": "Hello! When would you like to meet? For example “Friday 3pm”.",
    "restart_done": "OK, let's start over.",
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
    "already_done": "Already done — see my message above.",
    "already_booked": "You already have a seat at that time (booking #{booking_id}).",
    "which_one": "Which one? Tap a button or type its number.",
    "no_bookings": "You have no upcoming bookings.",
    "nothing_booked_on": "You have nothing booked on {day}.",
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
    "slow_down": "You are sending messages faster than I can answer them. "
    "Please wait a minute and write again; I will skip the messages in between.",
    "apology": "Sorry, something went wrong on my side. Please try again in a moment.",
    "yes_book": "Yes, book it",
    "yes_cancel": "Yes, cancel it",
    "yes_move": "Yes, move it",
    "no": "No",
    "keep": "No, keep it",
    # --- recurring series (bots.conversation) ---
    "series_propose": "{title} with {host}, {count} times:",
    "series_line": "• {when}",
    "series_default": "(You didn't say how long, so I planned {count}. For another length "
    "say e.g. “for 8 weeks” or “until 20 Dec”.)",
    "series_ask": "Book all {count}?",
    "series_booked": "Booked {count} meetings: {title} with {host}, {first} to {last} ({ids}). "
    "To cancel one or the rest, just tell me.",
    "series_requested": "Requested {count} meetings: {title} with {host}, {first} to {last} "
    "({ids}). {host} will confirm them; I'll let you know.",
    "series_clash": "Nothing booked: {count} of the {total} dates aren't free:",
    "series_clash_line": "• {day} {time} (nearest free: {alternative})",
    "series_clash_none": "• {day} {time} (nothing free nearby)",
    "series_retry": "Tell me another time for the whole series (e.g. “11:00” or "
    "“Wednesdays at 3pm”), or “no”.",
    "series_invalid": "I can't book that series: it must end and have at most {limit} "
    "meetings. Try e.g. “every Tuesday at 10 for 6 weeks”.",
    "series_ask_scope": "#{id} {title} with {host}, {when} is part of a series. "
    "Cancel only this one, or this one and all following?",
    "series_cancelled": "Cancelled {count}: {days}. {host} has been told.",
    "confirm_cancel_series": "Cancel the whole series with {host}? {count} left: {days}.",
    "yes_cancel_all": "Yes, cancel all",
    "length_not_offered": "{title} isn't offered for {asked} min (only {lengths} min), "
                          "so I've taken the nearest: {nearest} min.",
    "yes_book_all": "Yes, book all",
    "scope_one": "Only this one",
    "scope_following": "This and all following",
    # --- notices from the outbox (bots.notices) and their emails (mail) ---
    "notice_created": "New booking #{id}: {title} with {guest}, {when}{more}.",
    "notice_booked_by_you": "Your booking is confirmed: #{id} {title} with {host}, {when}.",
    "notice_requested": "Booking request #{id}: {title} with {guest}, {when}{more}. "
    "It waits for your confirmation.",
    "notice_cancelled_by_guest": "{guest} cancelled #{id}: {title}, {when}{more}.{reason}",
    "notice_cancelled_by_host": "{host} cancelled your {title} #{id}, {when}{more}.{reason}",
    "notice_cancelled_by_you": "You cancelled your {title} with {host} #{id}, "
    "{when}{more}.{reason}",
    "notice_confirmed": "{host} confirmed your {title} #{id}, {when}.",
    "notice_declined": "{host} declined your request #{id} ({title}, {when}).{reason}",
    "notice_expired": "Your request #{id} ({title} with {host}, {when}) was not confirmed in "
    "time, so the time is free again. Tell me if you'd like another time.",
    "notice_moved_by_guest": "{guest} moved #{id} {title}{before} to {when}.",
    "notice_moved_by_host": "{host} moved your {title} (now #{id}){before} to {when}.",
    "notice_moved_by_you": "You moved your {title} with {host} (now #{id}){before} to {when}.",
    "notice_moved_from": " from {day} {time}",
    "notice_reason": " Reason: {reason}.",
    "notice_reminder": "Reminder: {title} with {host} {lead}, {when} (#{id}).",
    "notice_awaiting": " It still awaits {host}'s confirmation.",
    "notice_update": "Update on booking #{id}: {what}.",
    "notice_a_guest": "A guest",
    "in_days": "in {count} days",
    "in_hour": "in {count} hour",
    "in_hours": "in {count} hours",
    "in_minute": "in {count} minute",
    "in_minutes": "in {count} minutes",
    "cancel_it": "Cancel it",
    "reschedule": "Reschedule",
    "subject_created": "New booking: {title} with {guest}, {day} {time}",
    "subject_booked": "Booked: {title} with {host}, {day} {time}",
    "subject_requested": "Booking request: {title} with {guest}, {day} {time}",
    "subject_cancelled": "Cancelled: {title}, {day} {time}",
    "subject_confirmed": "Confirmed: {title} with {host}, {day} {time}",
    "subject_declined": "Declined: {title} with {host}, {day} {time}",
    "subject_expired": "Not confirmed: {title} with {host}, {day} {time}",
    "subject_rescheduled": "Moved: {title}, now {day} {time}",
    "subject_reminder": "Reminder: {title} with {host}, {day} {time}",
    "subject_update": "Update on booking #{id}",
    "mail_what": "What",
    "mail_when": "When",
    "mail_with": "With",
    "mail_booking": "Booking",
    "mail_invite": "The attached invitation puts it in your calendar.",
    "mail_cancel": "The attached cancellation takes it out of your calendar.",
    "mail_reminder_hint": "To move or cancel it, write to me in the chat where you booked it.",
    "mail_footer": "Sent by Slotbot for {host}.",
    "link_forged": "This link is not valid. Nothing was changed.",
    "link_expired": "This link has expired. Nothing was changed.",
    "link_used": "This link was already used. Nothing was changed.",
    "start_unknown_host": "I don't know a host called “{name}”.",
    "link_pick_time": "Please pick one of the times offered.",
    "link_not_possible": (
        "That is not possible any more (the booking or the time changed). "
        "Nothing was changed."
    ),
    "mail_link_cancel": "Cancel it: {url}",
    "mail_link_move": "Move it: {url}",
    "command_start": "Choose whom to book",
    "command_bookings": "Your bookings",
    "command_cancel": "Cancel a booking",
    "command_help": "What I can do",
    "command_slotbot": "Host commands: today, upcoming, cancel, off …",
    "your_user_id": (
        "Your {platform} user id is {user_id}. If you are a host, put “{setting}: {user_id}” "
        "under your entry in the setup file and run “slotbot load” again."
    ),
    # external calendars (storage.calendars)
    "calendar_unavailable": (
        "I can't check {host}'s calendar right now — please try again in a few minutes."
    ),
    "notice_calendar_down": (
        "I can't check your calendar ({calendar}: {error}), so I'm offering no times "
        "until it answers again."
    ),
    "notice_calendar_reconnect": (
        "Google no longer accepts Slotbot's access to your calendar ({calendar}). "
        "Bookings go on from Slotbot's own data. To reconnect, run: slotbot google "
        "connect {handle}"
    ),
    "notice_calendar_deleted": (
        "The event of booking #{id} ({title} with {guest}, {when}) was deleted from your "
        "calendar. The booking still stands: keep it, or cancel it and tell the guest?"
    ),
    "notice_calendar_moved": (
        "The event of booking #{id} ({title} with {guest}, {when}) was moved in your "
        "calendar to {moved}. The booking still stands at its own time: keep it, or "
        "cancel it and tell the guest?"
    ),
    "calendar_keep": "Keep the booking",
    "calendar_cancel": "Cancel and tell the guest",
    # --- paid event types (core.payments) ---------------------------------------------
    "awaiting_payment_note": " (awaiting payment)",
    "price_note": " Price: {amount}, paid when booking.",
    "pay_link": "Held for you until {until}: #{id} {title} with {host}, {when}. Pay {amount} "
    "here to confirm it: {url}",
    "pay_pending": "Held for you until {until}: #{id} {title} with {host}, {when}. Pay {amount} "
    "to confirm it (see the invoice).",
    "payment_unavailable": "Sorry, the payment for {host} can't be started right now, so nothing "
    "was booked. Please try again in a few minutes.",
    "payments_off": "{host} takes payment for this, but payments aren't set up here yet, so "
    "nothing was booked.",
    "refund_coming": " {amount} will be refunded to you.",
    "refund_by_hand": " {host} will refund {amount} to you by hand.",
    "no_refund": " No refund is due this close to the start.",
    "notice_paid": "Payment of {amount} received: #{id} {title} with {host}, {when} is booked.",
    "notice_paid_pending": "Payment of {amount} received for #{id} ({title} with {host}, "
    "{when}). {host} will confirm it; if not, you get the money back.",
    "notice_payment_expired": "The time to pay for #{id} ({title} with {host}, {when}) has run "
    "out, so the time was let go. Just ask me again if you'd still like it.",
    "notice_refund_seat_taken": "Your payment for #{id} ({title} with {host}, {when}) came after "
    "the hold had ended and the time was taken meanwhile, so {amount} is being refunded.",
    "notice_refund_already_paid": "#{id} ({title} with {host}, {when}) was already paid, so your "
    "second payment of {amount} is being refunded.",
    "notice_refund_amount_mismatch": "The amount paid for #{id} ({title} with {host}, {when}) "
    "was not its price, so {amount} is being refunded and nothing was booked.",
    "notice_refund_host": "{host} is refunding {amount} for #{id} ({title}, {when}).",
    "notice_refund_host_cancel": "{amount} for #{id} ({title} with {host}, {when}) is being "
    "refunded.",
    "notice_refund_guest_cancel": "{amount} for #{id} ({title} with {host}, {when}) is being "
    "refunded.",
    "notice_refund_manual": " {host} will send it back to you by hand (this payment service has "
    "no automatic refunds).",
    # --- Telegram Payments (bots.telegram_payments) --------------------------------------
    "invoice_description": "#{id} {title} with {host}, {when}. Held for you until {until}.",
    "invoice_expired": "The time to pay for this booking has run out and it was let go. "
    "Please ask me again for a time.",
    "invoice_unknown": "This invoice is not from me, so it can't be paid.",
    "invoice_changed": "This invoice no longer matches the booking's price. Please ask me again.",
    "invoice_slow": "I couldn't check your booking in time. Please try to pay again in a moment.",
}
