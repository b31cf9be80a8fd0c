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
        "z. B. „ich bin in Wien“.)"
    ),
    "timezone_set": "Alles klar: Ich zeige Zeiten in {tz}.",
    "timezone_unknown": (
        "Die Zeitzone „{name}“ kenne ich nicht. Nimm einen Namen wie Europe/Berlin."
    ),
    # Zones written in a message (issue 9): {written}/{reader} are "16:30 Chicago".
    "zone_both": "{written} = {reader}",
    "zone_regional": "(Ich lese {abbr} als Zeit in {place}, an dem Tag {offset}.)",
    "zone_ambiguous": "„{abbr}“ kann mehrere Zeitzonen meinen: {choices}. Welche meinst du?",
    "own_zone_set": "Alles klar: Du bist in {place}, ich zeige die Zeiten in {tz}.",
    "thanks_reply": "Gern geschehen! 😊",
    "hello_reply": "Hallo! Wann möchtest du dich treffen? Zum Beispiel „Freitag 15 Uhr“.",
    "restart_done": "Gut, fangen wir von vorne an.",
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
    "already_done": "Schon erledigt – siehe meine Nachricht oben.",
    "already_booked": "Du hast zu dieser Zeit schon einen Platz (Buchung #{booking_id}).",
    "which_one": "Welche denn? Tippe auf einen Button oder schreib die Nummer.",
    "no_bookings": "Du hast keine anstehenden Termine.",
    "nothing_booked_on": "Am {day} hast du nichts gebucht.",
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
    "slow_down": "Du schreibst schneller, als ich antworten kann. "
    "Bitte warte eine Minute und schreib dann noch einmal; die Nachrichten dazwischen "
    "lasse ich aus.",
    "apology": "Entschuldigung, bei mir ist etwas schiefgegangen. Bitte versuch es gleich noch "
    "einmal.",
    "yes_book": "Ja, buchen",
    "yes_cancel": "Ja, absagen",
    "yes_move": "Ja, verschieben",
    "no": "Nein",
    "keep": "Nein, behalten",
    # --- recurring series (bots.conversation) ---
    "series_propose": "{title} mit {host}, {count} Termine:",
    "series_line": "• {when}",
    "series_default": "(Du hast kein Ende genannt, also habe ich {count} geplant. Für eine "
    "andere Dauer schreib z. B. „für 8 Wochen“ oder „bis 20. Dezember“.)",
    "series_ask": "Alle {count} buchen?",
    "series_booked": "Gebucht: {count} Termine {title} mit {host}, {first} bis {last} ({ids}). "
    "Zum Absagen eines Termins oder der restlichen schreib mir einfach.",
    "series_requested": "Angefragt: {count} Termine {title} mit {host}, {first} bis {last} "
    "({ids}). {host} bestätigt sie; ich sage dir Bescheid.",
    "series_clash": "Nichts gebucht: {count} der {total} Termine sind nicht frei:",
    "series_clash_line": "• {day} {time} (nächste freie Zeit: {alternative})",
    "series_clash_none": "• {day} {time} (in der Nähe nichts frei)",
    "series_retry": "Nenn mir eine andere Zeit für die ganze Serie (z. B. „11:00“ oder "
    "„mittwochs um 15 Uhr“) oder schreib „nein“.",
    "series_invalid": "Diese Serie kann ich nicht buchen: Sie braucht ein Ende und höchstens "
    "{limit} Termine. Versuch z. B. „jeden Dienstag um 10 für 6 Wochen“.",
    "series_ask_scope": "#{id} {title} mit {host}, {when} gehört zu einer Serie. "
    "Nur diesen Termin absagen oder diesen und alle folgenden?",
    "series_cancelled": "{count} abgesagt: {days}. {host} weiß Bescheid.",
    "confirm_cancel_series": "Die ganze Serie mit {host} absagen? Noch {count}: {days}.",
    "yes_cancel_all": "Ja, alle absagen",
    "length_not_offered": "{title} gibt es nicht mit {asked} Min. (nur {lengths} Min.), "
                          "ich nehme die nächste Länge: {nearest} Min.",
    "yes_book_all": "Ja, alle buchen",
    "scope_one": "Nur diesen",
    "scope_following": "Diesen und alle folgenden",
    # --- Benachrichtigungen aus dem Postausgang (bots.notices) und ihre E-Mails (mail) ---
    "notice_created": "Neue Buchung #{id}: {title} mit {guest}, {when}{more}.",
    "notice_booked_by_you": "Deine Buchung ist bestätigt: #{id} {title} mit {host}, {when}.",
    "notice_requested": "Buchungsanfrage #{id}: {title} mit {guest}, {when}{more}. "
    "Sie wartet auf deine Bestätigung.",
    "notice_cancelled_by_guest": "{guest} hat #{id} abgesagt: {title}, {when}{more}.{reason}",
    "notice_cancelled_by_host": "{host} hat deinen Termin {title} #{id} abgesagt, "
    "{when}{more}.{reason}",
    "notice_cancelled_by_you": "Du hast deinen Termin {title} mit {host} #{id} abgesagt, "
    "{when}{more}.{reason}",
    "notice_confirmed": "{host} hat deinen Termin {title} #{id} bestätigt, {when}.",
    "notice_declined": "{host} hat deine Anfrage #{id} abgelehnt ({title}, {when}).{reason}",
    "notice_expired": "Deine Anfrage #{id} ({title} mit {host}, {when}) wurde nicht rechtzeitig "
    "bestätigt, die Zeit ist wieder frei. Sag mir, wenn du eine andere Zeit möchtest.",
    "notice_moved_by_guest": "{guest} hat #{id} {title}{before} auf {when} verschoben.",
    "notice_moved_by_host": "{host} hat deinen Termin {title} (jetzt #{id}){before} auf {when} "
    "verschoben.",
    "notice_moved_by_you": "Du hast deinen Termin {title} mit {host} (jetzt #{id}){before} auf "
    "{when} verschoben.",
    "notice_moved_from": " von {day} {time}",
    "notice_reason": " Grund: {reason}.",
    "notice_reminder": "Erinnerung: {title} mit {host} {lead}, {when} (#{id}).",
    "notice_awaiting": " Die Bestätigung von {host} steht noch aus.",
    "notice_update": "Neuigkeit zu Buchung #{id}: {what}.",
    "notice_a_guest": "Ein Gast",
    "in_days": "in {count} Tagen",
    "in_hour": "in {count} Stunde",
    "in_hours": "in {count} Stunden",
    "in_minute": "in {count} Minute",
    "in_minutes": "in {count} Minuten",
    "cancel_it": "Absagen",
    "reschedule": "Verschieben",
    "subject_created": "Neue Buchung: {title} mit {guest}, {day} {time}",
    "subject_booked": "Gebucht: {title} mit {host}, {day} {time}",
    "subject_requested": "Buchungsanfrage: {title} mit {guest}, {day} {time}",
    "subject_cancelled": "Abgesagt: {title}, {day} {time}",
    "subject_confirmed": "Bestätigt: {title} mit {host}, {day} {time}",
    "subject_declined": "Abgelehnt: {title} mit {host}, {day} {time}",
    "subject_expired": "Nicht bestätigt: {title} mit {host}, {day} {time}",
    "subject_rescheduled": "Verschoben: {title}, jetzt {day} {time}",
    "subject_reminder": "Erinnerung: {title} mit {host}, {day} {time}",
    "subject_update": "Neuigkeit zu Buchung #{id}",
    "mail_what": "Was",
    "mail_when": "Wann",
    "mail_with": "Mit",
    "mail_booking": "Buchung",
    "mail_invite": "Mit der angehängten Einladung kommt der Termin in deinen Kalender.",
    "mail_cancel": "Die angehängte Absage nimmt den Termin aus deinem Kalender.",
    "mail_reminder_hint": "Zum Verschieben oder Absagen schreib mir im Chat, "
    "in dem du gebucht hast.",
    "mail_footer": "Gesendet von Slotbot für {host}.",
    "link_forged": "Dieser Link ist ungültig. Es wurde nichts geändert.",
    "link_expired": "Dieser Link ist abgelaufen. Es wurde nichts geändert.",
    "link_used": "Dieser Link wurde schon benutzt. Es wurde nichts geändert.",
    "start_unknown_host": "Ich kenne keinen Gastgeber namens „{name}“.",
    "link_pick_time": "Bitte wähle eine der angebotenen Zeiten.",
    "link_not_possible": (
        "Das geht nicht mehr (der Termin oder die Zeit hat sich geändert). "
        "Es wurde nichts geändert."
    ),
    "mail_link_cancel": "Absagen: {url}",
    "mail_link_move": "Verschieben: {url}",
    "command_start": "Wählen, mit wem du buchst",
    "command_bookings": "Deine Termine",
    "command_cancel": "Einen Termin stornieren",
    "command_help": "Was ich kann",
    "command_slotbot": "Befehle für Gastgeber: today, upcoming, cancel, off …",
    "your_user_id": (
        "Deine {platform}-Nutzer-ID ist {user_id}. Bist du Gastgeber, trag „{setting}: "
        "{user_id}“ bei deinem Eintrag in der Setup-Datei ein und führe „slotbot load“ "
        "erneut aus."
    ),
    # external calendars (storage.calendars)
    "calendar_unavailable": (
        "Ich kann den Kalender von {host} gerade nicht prüfen — bitte versuch es in ein "
        "paar Minuten noch einmal."
    ),
    "notice_calendar_down": (
        "Ich kann deinen Kalender nicht prüfen ({calendar}: {error}) und biete deshalb "
        "keine Zeiten an, bis er wieder antwortet."
    ),
    "notice_calendar_reconnect": (
        "Google akzeptiert den Zugriff von Slotbot auf deinen Kalender nicht mehr "
        "({calendar}). Buchungen laufen mit den eigenen Daten von Slotbot weiter. Zum "
        "Neuverbinden: slotbot google connect {handle}"
    ),
    "notice_calendar_deleted": (
        "Der Termin zu Buchung #{id} ({title} mit {guest}, {when}) wurde aus deinem "
        "Kalender gelöscht. Die Buchung besteht weiter: behalten, oder absagen und den "
        "Gast informieren?"
    ),
    "notice_calendar_moved": (
        "Der Termin zu Buchung #{id} ({title} mit {guest}, {when}) wurde in deinem "
        "Kalender auf {moved} verschoben. Die Buchung bleibt zu ihrer Zeit: behalten, "
        "oder absagen und den Gast informieren?"
    ),
    "calendar_keep": "Buchung behalten",
    "calendar_cancel": "Absagen und Gast informieren",
    # --- paid event types (core.payments) ---------------------------------------------
    "awaiting_payment_note": " (Zahlung offen)",
    "price_note": " Preis: {amount}, zahlbar bei der Buchung.",
    "pay_link": "Für dich reserviert bis {until}: #{id} {title} mit {host}, {when}. Bezahle "
    "{amount} hier, um es zu bestätigen: {url}",
    "pay_pending": "Für dich reserviert bis {until}: #{id} {title} mit {host}, {when}. Bezahle "
    "{amount}, um es zu bestätigen (siehe Rechnung).",
    "payment_unavailable": "Leider kann die Zahlung für {host} gerade nicht gestartet werden, "
    "darum ist nichts gebucht. Bitte versuch es in ein paar Minuten noch einmal.",
    "payments_off": "{host} nimmt dafür eine Zahlung, aber Zahlungen sind hier noch nicht "
    "eingerichtet, darum ist nichts gebucht.",
    "refund_coming": " {amount} wird dir erstattet.",
    "refund_by_hand": " {host} erstattet dir {amount} von Hand.",
    "no_refund": " So kurz vor Beginn gibt es keine Erstattung.",
    "notice_paid": "Zahlung über {amount} erhalten: #{id} {title} mit {host}, {when} ist gebucht.",
    "notice_paid_pending": "Zahlung über {amount} für #{id} erhalten ({title} mit {host}, "
    "{when}). {host} bestätigt es noch; sonst bekommst du das Geld zurück.",
    "notice_payment_expired": "Die Zeit zum Bezahlen von #{id} ({title} mit {host}, {when}) ist "
    "abgelaufen, der Termin ist wieder frei. Frag mich einfach noch einmal, wenn du ihn noch "
    "möchtest.",
    "notice_refund_seat_taken": "Deine Zahlung für #{id} ({title} mit {host}, {when}) kam nach "
    "Ablauf der Reservierung, und der Termin war inzwischen vergeben; {amount} wird erstattet.",
    "notice_refund_already_paid": "#{id} ({title} mit {host}, {when}) war schon bezahlt; deine "
    "zweite Zahlung über {amount} wird erstattet.",
    "notice_refund_amount_mismatch": "Der gezahlte Betrag für #{id} ({title} mit {host}, {when}) "
    "war nicht der Preis; {amount} wird erstattet und nichts gebucht.",
    "notice_refund_host": "{host} erstattet {amount} für #{id} ({title}, {when}).",
    "notice_refund_host_cancel": "{amount} für #{id} ({title} mit {host}, {when}) wird erstattet.",
    "notice_refund_guest_cancel": "{amount} für #{id} ({title} mit {host}, {when}) wird erstattet.",
    "notice_refund_manual": " {host} überweist es dir von Hand zurück (dieser Zahlungsdienst "
    "erstattet nicht automatisch).",
    # --- Telegram Payments (bots.telegram_payments) --------------------------------------
    "invoice_description": "#{id} {title} mit {host}, {when}. Für dich reserviert bis {until}.",
    "invoice_expired": "Die Zeit zum Bezahlen dieser Buchung ist abgelaufen, der Termin wurde "
    "freigegeben. Frag mich bitte noch einmal nach einem Termin.",
    "invoice_unknown": "Diese Rechnung ist nicht von mir und kann nicht bezahlt werden.",
    "invoice_changed": "Diese Rechnung passt nicht mehr zum Preis der Buchung. Frag mich bitte "
    "noch einmal.",
    "invoice_slow": "Ich konnte deine Buchung nicht rechtzeitig prüfen. Versuch bitte gleich "
    "noch einmal zu bezahlen.",
}
