"""Spanish messages."""

MESSAGES: dict[str, str] = {
    "help": (
        "Reservo reuniones con {names}. Escribe lo que necesitas, por ejemplo:\n"
        "• «30 min con Ana el próximo martes por la tarde?»\n"
        "• «¿hay algo libre mañana antes de las 10?»\n"
        "• «mis reservas»\n"
        "• «mueve mi llamada al viernes a las 3 de la tarde»\n"
        "• «cancela mi reserva»\n"
        "• «my timezone is America/Mexico_City»"
    ),
    "nobody": "nadie todavía",
    "greeting": (
        "¡Hola! Reservo tiempo con {host}: {kinds}.\n"
        "Dime cuándo te viene bien, p. ej. «mañana por la tarde» o «viernes a las 10»."
    ),
    "kind": "{title} ({minutes} min)",
    "timezone_note": (
        "(Las horas están en {tz}, la zona de {host}. Si estás en otro lugar, dímelo, "
        "p. ej. «vivo en Bogotá».)"
    ),
    "timezone_set": "Entendido: te mostraré las horas en {tz}.",
    "timezone_unknown": "No conozco la zona horaria «{name}». Usa un nombre como Europe/Madrid.",
    # Zones written in a message (issue 9): {written}/{reader} are "16:30 Chicago".
    "zone_both": "{written} = {reader}",
    "zone_regional": "(Entiendo {abbr} como la hora de {place}, ese día {offset}.)",
    "zone_ambiguous": "«{abbr}» puede ser más de una zona horaria: {choices}. ¿Cuál quieres decir?",
    "own_zone_set": "Entendido: estás en {place}, te mostraré las horas en {tz}.",
    "thanks_reply": "¡De nada! 😊",
    "hello_reply": "¡Hola! ¿Cuándo te gustaría reunirte? Por ejemplo «viernes a las 15».",
    "restart_done": "Vale, empecemos de nuevo.",
    "too_long": "Ese mensaje es demasiado largo (más de {limit} caracteres). "
    "Envía uno más corto, por favor.",
    "choose_host": "¿Con quién quieres reunirte?",
    "choose_event_type": "¿Qué tipo de reunión con {host}?",
    "no_such_duration": "{host} no tiene reuniones de {minutes} minutos. ¿Cuál prefieres?",
    "propose_booking": "{title} con {host} el {when}: ¿lo reservo?",
    "slots_asked": "Esto está libre con {host} (horas en {tz}), desde el {day}:",
    "slots_next": "Horas libres con {host} (horas en {tz}), desde el {day}:",
    "team_offer": "Los primeros libres (horas en {tz}):",
    "nobody_free": (
        "No hay nadie libre entonces. ¿Con quién quieres reunirte en otro momento?"
    ),
    "nothing_free": "Lo siento, {host} no tiene nada libre en ese periodo. "
    "Prueba otro día u otra semana.",
    "nothing_free_next": "Lo siento, {host} no tiene nada libre entonces. "
    "Las horas libres más cercanas:",
    "unavailable": "{day} {time} no está disponible ({reason}). Las horas libres más cercanas:",
    "reason_too_soon": "con muy poca antelación; lo más pronto es {day} {time}",
    "reason_too_far": "solo se puede reservar hasta el {day}",
    "reason_taken": "está ocupado o fuera del horario",
    "just_taken": "Lo siento, esa hora se acaba de ocupar. Las horas libres más cercanas:",
    "booked": "Reservado #{id}: {title} con {host}, {when}. "
    "Para moverlo o cancelarlo, solo dímelo.",
    "requested": "Solicitado #{id}: {title} con {host}, {when}. "
    "{host} lo confirmará; te avisaré.",
    "not_booked": "Vale, no he reservado nada. Dime otra hora cuando quieras.",
    "offer_expired": "Esa oferta ha caducado. Dime otra vez qué quieres reservar.",
    "already_done": "Ya está hecho; mira mi mensaje de arriba.",
    "already_booked": "Ya tienes una plaza a esa hora (reserva #{booking_id}).",
    "which_one": "¿Cuál? Pulsa un botón o escribe su número.",
    "no_bookings": "No tienes reservas próximas.",
    "nothing_booked_on": "No tienes nada reservado el {day}.",
    "your_bookings": "Tus próximas reservas:",
    "booking_line": "• #{id} {title} con {host}, {when}",
    "awaiting": " (pendiente de confirmación)",
    "choose_cancel": "¿Qué reserva quieres cancelar?",
    "choose_move": "¿Qué reserva quieres mover?",
    "confirm_cancel": "¿Cancelar #{id} {title} con {host}, {when}?",
    "cancelled": "Cancelado #{id}. {host} ya lo sabe.",
    "kept": "Vale, lo dejo como está.",
    "ask_new_time": "¿A cuándo quieres mover #{id} ({day} {time})?",
    "confirm_reschedule": "¿Mover #{id} {title} con {host} del {day} {time} al {when}?",
    "rescheduled": "Movido: #{id} {title} con {host} es ahora el {when} (sustituye a #{old_id}).",
    "booking_gone": "No encuentro ninguna reserva próxima #{id} tuya.",
    "too_late_to_change": "Lo siento, #{id} ya no se puede cambiar aquí: los cambios eran "
    "posibles hasta el {day} {time}. Contacta directamente con {host}.",
    "guest_limit": "Ya tienes con {host} tantas reservas próximas como se permite ({limit}). "
    "Cancela una primero o espera a que una haya tenido lugar.",
    "not_understood": "Perdona, no lo he entendido.",
    "slow_down": "Estás enviando mensajes más rápido de lo que puedo responder. "
    "Espera un minuto y vuelve a escribir; me saltaré los mensajes intermedios.",
    "apology": "Lo siento, algo ha fallado por mi parte. Inténtalo de nuevo en un momento.",
    "yes_book": "Sí, resérvalo",
    "yes_cancel": "Sí, cancélalo",
    "yes_move": "Sí, muévelo",
    "no": "No",
    "keep": "No, mantenerlo",
    # --- recurring series (bots.conversation) ---
    "series_propose": "{title} con {host}, {count} veces:",
    "series_line": "• {when}",
    "series_default": "(No dijiste hasta cuándo, así que planeé {count}. Para otra duración "
    "di p. ej. «durante 8 semanas» o «hasta el 20 de diciembre».)",
    "series_ask": "¿Reservo las {count}?",
    "series_booked": "Reservadas {count} citas: {title} con {host}, del {first} al {last} "
    "({ids}). Para cancelar una o las siguientes, solo dímelo.",
    "series_requested": "Solicitadas {count} citas: {title} con {host}, del {first} al {last} "
    "({ids}). {host} las confirmará; te avisaré.",
    "series_clash": "No reservé nada: {count} de las {total} fechas no están libres:",
    "series_clash_line": "• {day} {time} (lo más cercano libre: {alternative})",
    "series_clash_none": "• {day} {time} (nada libre cerca)",
    "series_retry": "Dime otra hora para toda la serie (p. ej. «11:00» o "
    "«los miércoles a las 15»), o «no».",
    "series_invalid": "No puedo reservar esa serie: debe terminar y tener como máximo {limit} "
    "citas. Prueba p. ej. «cada martes a las 10 durante 6 semanas».",
    "series_ask_scope": "#{id} {title} con {host}, {when} es parte de una serie. "
    "¿Cancelo solo esta o esta y todas las siguientes?",
    "series_cancelled": "Canceladas {count}: {days}. Ya se lo dije a {host}.",
    "confirm_cancel_series": "¿Cancelar toda la serie con {host}? Quedan {count}: {days}.",
    "yes_cancel_all": "Sí, cancelar todas",
    "length_not_offered": "{title} no se ofrece de {asked} min (solo {lengths} min), "
                          "así que tomo la más cercana: {nearest} min.",
    "yes_book_all": "Sí, reservar todas",
    "scope_one": "Solo esta",
    "scope_following": "Esta y las siguientes",
    # --- avisos del buzón de salida (bots.notices) y sus correos (mail) ---
    "notice_created": "Nueva reserva #{id}: {title} con {guest}, {when}{more}.",
    "notice_booked_by_you": "Tu reserva está confirmada: #{id} {title} con {host}, {when}.",
    "notice_requested": "Solicitud de reserva #{id}: {title} con {guest}, {when}{more}. "
    "Espera tu confirmación.",
    "notice_cancelled_by_guest": "{guest} canceló #{id}: {title}, {when}{more}.{reason}",
    "notice_cancelled_by_host": "{host} canceló tu {title} #{id}, {when}{more}.{reason}",
    "notice_cancelled_by_you": "Cancelaste tu {title} con {host} #{id}, {when}{more}.{reason}",
    "notice_confirmed": "{host} confirmó tu {title} #{id}, {when}.",
    "notice_declined": "{host} rechazó tu solicitud #{id} ({title}, {when}).{reason}",
    "notice_expired": "Tu solicitud #{id} ({title} con {host}, {when}) no se confirmó a tiempo, "
    "así que la hora vuelve a estar libre. Dime si quieres otra hora.",
    "notice_moved_by_guest": "{guest} movió #{id} {title}{before} al {when}.",
    "notice_moved_by_host": "{host} movió tu {title} (ahora #{id}){before} al {when}.",
    "notice_moved_by_you": "Moviste tu {title} con {host} (ahora #{id}){before} al {when}.",
    "notice_moved_from": " del {day} {time}",
    "notice_reason": " Motivo: {reason}.",
    "notice_reminder": "Recordatorio: {title} con {host} {lead}, {when} (#{id}).",
    "notice_awaiting": " Aún espera la confirmación de {host}.",
    "notice_update": "Novedad en la reserva #{id}: {what}.",
    "notice_a_guest": "Un invitado",
    "in_days": "dentro de {count} días",
    "in_hour": "dentro de {count} hora",
    "in_hours": "dentro de {count} horas",
    "in_minute": "dentro de {count} minuto",
    "in_minutes": "dentro de {count} minutos",
    "cancel_it": "Cancelar",
    "reschedule": "Mover",
    "subject_created": "Nueva reserva: {title} con {guest}, {day} {time}",
    "subject_booked": "Reservado: {title} con {host}, {day} {time}",
    "subject_requested": "Solicitud de reserva: {title} con {guest}, {day} {time}",
    "subject_cancelled": "Cancelada: {title}, {day} {time}",
    "subject_confirmed": "Confirmada: {title} con {host}, {day} {time}",
    "subject_declined": "Rechazada: {title} con {host}, {day} {time}",
    "subject_expired": "Sin confirmar: {title} con {host}, {day} {time}",
    "subject_rescheduled": "Movida: {title}, ahora {day} {time}",
    "subject_reminder": "Recordatorio: {title} con {host}, {day} {time}",
    "subject_update": "Novedad en la reserva #{id}",
    "mail_what": "Qué",
    "mail_when": "Cuándo",
    "mail_with": "Con",
    "mail_booking": "Reserva",
    "mail_invite": "La invitación adjunta la añade a tu calendario.",
    "mail_cancel": "La cancelación adjunta la quita de tu calendario.",
    "mail_reminder_hint": "Para moverla o cancelarla, escríbeme en el chat donde la reservaste.",
    "mail_footer": "Enviado por Slotbot en nombre de {host}.",
    "link_forged": "Este enlace no es válido. No se ha cambiado nada.",
    "link_expired": "Este enlace ha caducado. No se ha cambiado nada.",
    "link_used": "Este enlace ya se usó. No se ha cambiado nada.",
    "start_unknown_host": "No conozco a ningún anfitrión llamado «{name}».",
    "link_pick_time": "Elige una de las horas ofrecidas.",
    "link_not_possible": "Eso ya no es posible (la cita o la hora cambió). No se ha cambiado nada.",
    "mail_link_cancel": "Cancelarla: {url}",
    "mail_link_move": "Moverla: {url}",
    "command_start": "Elegir con quién reservar",
    "command_bookings": "Tus reservas",
    "command_cancel": "Cancelar una reserva",
    "command_help": "Lo que puedo hacer",
    "command_slotbot": "Comandos de anfitrión: today, upcoming, cancel, off …",
    "your_user_id": (
        "Tu id de usuario de {platform} es {user_id}. Si eres anfitrión, pon «{setting}: "
        "{user_id}» en tu entrada del archivo de configuración y vuelve a ejecutar "
        "«slotbot load»."
    ),
    # external calendars (storage.calendars)
    "calendar_unavailable": (
        "Ahora mismo no puedo consultar el calendario de {host}; por favor, inténtalo de "
        "nuevo en unos minutos."
    ),
    "notice_calendar_down": (
        "No puedo consultar tu calendario ({calendar}: {error}), así que no ofrezco "
        "horarios hasta que vuelva a responder."
    ),
    "notice_calendar_reconnect": (
        "Google ya no acepta el acceso de Slotbot a tu calendario ({calendar}). Las "
        "reservas siguen con los datos propios de Slotbot. Para volver a conectarlo, "
        "ejecuta: slotbot google connect {handle}"
    ),
    "notice_calendar_deleted": (
        "El evento de la reserva #{id} ({title} con {guest}, {when}) se borró de tu "
        "calendario. La reserva sigue en pie: ¿la mantienes, o la cancelas y avisas al "
        "invitado?"
    ),
    "notice_calendar_moved": (
        "El evento de la reserva #{id} ({title} con {guest}, {when}) se movió en tu "
        "calendario a {moved}. La reserva sigue a su hora: ¿la mantienes, o la cancelas y"
        " avisas al invitado?"
    ),
    "calendar_keep": "Mantener la reserva",
    "calendar_cancel": "Cancelar y avisar al invitado",
    # --- paid event types (core.payments) ---------------------------------------------
    "awaiting_payment_note": " (pendiente de pago)",
    "price_note": " Precio: {amount}, se paga al reservar.",
    "pay_link": "Reservado para ti hasta las {until}: #{id} {title} con {host}, {when}. Paga "
    "{amount} aquí para confirmarlo: {url}",
    "pay_pending": "Reservado para ti hasta las {until}: #{id} {title} con {host}, {when}. Paga "
    "{amount} para confirmarlo (mira la factura).",
    "payment_unavailable": "Lo siento, ahora no se puede iniciar el pago para {host}, así que no "
    "se reservó nada. Inténtalo de nuevo en unos minutos.",
    "payments_off": "{host} cobra por esto, pero los pagos aún no están configurados aquí, así "
    "que no se reservó nada.",
    "refund_coming": " Se te devolverán {amount}.",
    "refund_by_hand": " {host} te devolverá {amount} a mano.",
    "no_refund": " Tan cerca del inicio no corresponde reembolso.",
    "notice_paid": "Pago de {amount} recibido: #{id} {title} con {host}, {when} está reservado.",
    "notice_paid_pending": "Pago de {amount} recibido para #{id} ({title} con {host}, {when}). "
    "{host} lo confirmará; si no, se te devuelve el dinero.",
    "notice_payment_expired": "Se acabó el tiempo para pagar #{id} ({title} con {host}, {when}), "
    "así que la hora quedó libre. Pídemela otra vez si aún la quieres.",
    "notice_refund_seat_taken": "Tu pago de #{id} ({title} con {host}, {when}) llegó después de "
    "terminar la reserva y la hora ya estaba ocupada, así que se devuelven {amount}.",
    "notice_refund_already_paid": "#{id} ({title} con {host}, {when}) ya estaba pagado, así que "
    "se devuelve tu segundo pago de {amount}.",
    "notice_refund_amount_mismatch": "El importe pagado por #{id} ({title} con {host}, {when}) "
    "no era su precio, así que se devuelven {amount} y no se reservó nada.",
    "notice_refund_host": "{host} te devuelve {amount} por #{id} ({title}, {when}).",
    "notice_refund_host_cancel": "Se devuelven {amount} por #{id} ({title} con {host}, {when}).",
    "notice_refund_guest_cancel": "Se devuelven {amount} por #{id} ({title} con {host}, {when}).",
    "notice_refund_manual": " {host} te lo devolverá a mano (este servicio de pago no hace "
    "reembolsos automáticos).",
    # --- Telegram Payments (bots.telegram_payments) --------------------------------------
    "invoice_description": "#{id} {title} con {host}, {when}. Reservado para ti hasta las "
    "{until}.",
    "invoice_expired": "Se acabó el tiempo para pagar esta reserva y se liberó la hora. "
    "Pídeme otra hora, por favor.",
    "invoice_unknown": "Esta factura no es mía, así que no se puede pagar.",
    "invoice_changed": "Esta factura ya no coincide con el precio de la reserva. Pídemelo de "
    "nuevo, por favor.",
    "invoice_slow": "No pude comprobar tu reserva a tiempo. Intenta pagar de nuevo en un "
    "momento, por favor.",
}
