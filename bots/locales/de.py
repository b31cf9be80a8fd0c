"""German messages."""

MESSAGES: dict[str, str] = {
    "help": (
        "Ich buche Termine mit {names}. Schreib einfach, was du brauchst, zum Beispiel:\n"
        "• „30 Minuten mit Ana nächsten Dienstag nachmittags?“\n"
        "• „Ist morgen vor 10 etwas frei?“\n"
        "• „meine Termine“\n"
        "• „verschieb meinen Termin auf Freitag 15 Uhr“\n"
        "• „storniere meinen Termin“\n"
        "• „my timezone is Europe/Berlin“"
    ),
    "nobody": "noch niemandem",
    "greeting": (
        "Hallo! Ich buche Termine mit {host}: {kinds}.\n"
        "Sag mir, wann es dir passt, z. B. „morgen Nachmittag“ oder „Freitag 10 Uhr“."
    ),
    "kind": "{title} ({minutes} Min.)",
    "timezone_note": (
        "(Zeiten in {tz}, der Zeitzone von {host}. Bist du woanders, sag es mir, "
        "z. B. „my timezone is America/New_York“.)"
    ),
    "timezone_set": "Alles klar: Ich zeige Zeiten in {tz}.",
    "timezone_unknown": (
        "Die Zeitzone „{name}“ kenne ich nicht. Nimm einen Namen wie Europe/Berlin."
    ),
    "too_long": "Diese Nachricht ist mir zu lang (über {limit} Zeichen). "
    "Bitte schick eine kürzere.",
    "choose_host": "Mit wem möchtest du dich treffen?",
    "choose_event_type": "Welche Art von Termin mit {host}?",
    "no_such_duration": "{host} bietet keine {minutes}-Minuten-Termine an. Welcher soll es sein?",
    "propose_booking": "{title} mit {host} am {when} — soll ich buchen?",
    "slots_asked": "Das ist frei bei {host} (Zeiten in {tz}), ab {day}:",
    "slots_next": "Freie Zeiten bei {host} (Zeiten in {tz}), ab {day}:",
    "team_offer": "Zuerst frei (Zeiten in {tz}):",
    "nobody_free": (
        "Dann ist niemand frei. Mit wem möchtest du dich zu einer anderen Zeit treffen?"
    ),
    "nothing_free": "Leider hat {host} in diesem Zeitraum nichts frei. "
    "Versuch einen anderen Tag oder eine andere Woche.",
    "nothing_free_next": "Leider hat {host} dann nichts frei. Die nächsten freien Zeiten:",
    "unavailable": "{day} {time} ist nicht verfügbar ({reason}). Die nächsten freien Zeiten:",
    "reason_too_soon": "zu kurzfristig; frühestens {day} {time}",
    "reason_too_far": "Buchungen sind nur bis {day} möglich",
    "reason_taken": "schon vergeben oder außerhalb der Arbeitszeit",
    "just_taken": "Leider wurde diese Zeit gerade vergeben. Die nächsten freien Zeiten:",
    "booked": "Gebucht #{id}: {title} mit {host}, {when}. "
    "Zum Verschieben oder Absagen schreib mir einfach.",
    "requested": "Angefragt #{id}: {title} mit {host}, {when}. "
    "{host} bestätigt den Termin; ich sage dir Bescheid.",
    "not_booked": "Okay, nichts gebucht. Nenn mir gern eine andere Zeit.",
    "offer_expired": "Dieses Angebot ist abgelaufen. Sag mir noch einmal, was du buchen möchtest.",
    "no_bookings": "Du hast keine anstehenden Termine.",
    "your_bookings": "Deine anstehenden Termine:",
    "booking_line": "• #{id} {title} mit {host}, {when}",
    "awaiting": " (wartet auf Bestätigung)",
    "choose_cancel": "Welchen Termin möchtest du absagen?",
    "choose_move": "Welchen Termin möchtest du verschieben?",
    "confirm_cancel": "#{id} {title} mit {host}, {when} absagen?",
    "cancelled": "Abgesagt #{id}. {host} weiß Bescheid.",
    "kept": "Okay, ich lasse alles, wie es ist.",
    "ask_new_time": "Auf wann möchtest du #{id} ({day} {time}) verschieben?",
    "confirm_reschedule": "#{id} {title} mit {host} von {day} {time} auf {when} verschieben?",
    "rescheduled": "Verschoben: #{id} {title} mit {host} ist jetzt {when} (ersetzt #{old_id}).",
    "booking_gone": "Ich finde keinen anstehenden Termin #{id} von dir.",
    "too_late_to_change": "Leider lässt sich #{id} hier nicht mehr ändern: Änderungen waren "
    "bis {day} {time} möglich. Bitte wende dich direkt an {host}.",
    "guest_limit": "Du hast bei {host} schon so viele anstehende Termine wie erlaubt "
    "({limit}). Sag erst einen ab oder warte, bis einer stattgefunden hat.",
    "not_understood": "Entschuldigung, das habe ich nicht verstanden.",
    "apology": "Entschuldigung, bei mir ist etwas schiefgegangen. Bitte versuch es gleich noch "
    "einmal.",
    "yes_book": "Ja, buchen",
    "yes_cancel": "Ja, absagen",
    "yes_move": "Ja, verschieben",
    "no": "Nein",
    "keep": "Nein, behalten",
}
