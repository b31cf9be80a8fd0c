"""French messages."""

MESSAGES: dict[str, str] = {
    "help": (
        "Je réserve des rendez-vous avec {names}. Écrivez simplement ce qu'il vous faut, "
        "par exemple :\n"
        "• « 30 min avec Ana mardi prochain après-midi ? »\n"
        "• « quelque chose de libre demain avant 10 h ? »\n"
        "• « mes réservations »\n"
        "• « déplace mon appel à vendredi 15 h »\n"
        "• « annule ma réservation »\n"
        "• « my timezone is Europe/Paris »"
    ),
    "nobody": "personne pour l'instant",
    "greeting": (
        "Bonjour ! Je réserve du temps avec {host} : {kinds}.\n"
        "Dites-moi ce qui vous convient, p. ex. « demain après-midi » ou « vendredi 10 h »."
    ),
    "kind": "{title} ({minutes} min)",
    "timezone_note": (
        "(Les heures sont en {tz}, le fuseau de {host}. Si vous êtes ailleurs, dites-le-moi, "
        "p. ex. « je suis à Montréal ».)"
    ),
    "timezone_set": "C'est noté : j'afficherai les heures en {tz}.",
    "timezone_unknown": "Je ne connais pas le fuseau « {name} ». Utilisez un nom comme "
    "Europe/Paris.",
    # Zones written in a message (issue 9): {written}/{reader} are "16:30 Chicago".
    "zone_both": "{written} = {reader}",
    "zone_regional": "(Je comprends {abbr} comme l'heure de {place}, soit {offset} ce jour-là.)",
    "zone_ambiguous": "« {abbr} » peut désigner plusieurs fuseaux : {choices}. "
    "Lequel voulez-vous dire ?",
    "own_zone_set": "C'est noté : vous êtes à {place}, j'afficherai les heures en {tz}.",
    "thanks_reply": "Avec plaisir ! 😊",
    "hello_reply": "Bonjour ! Quand souhaitez-vous vous voir ? Par exemple « vendredi 15h ».",
    "restart_done": "D'accord, on recommence.",
    "too_long": "Ce message est trop long pour moi (plus de {limit} caractères). "
    "Envoyez-en un plus court, s'il vous plaît.",
    "choose_host": "Avec qui souhaitez-vous un rendez-vous ?",
    "choose_event_type": "Quel type de rendez-vous avec {host} ?",
    "no_such_duration": "{host} ne propose pas de rendez-vous de {minutes} minutes. "
    "Lequel souhaitez-vous ?",
    "propose_booking": "{title} avec {host} le {when} — je réserve ?",
    "slots_asked": "Voici ce qui est libre avec {host} (heures en {tz}), à partir du {day} :",
    "slots_next": "Créneaux libres avec {host} (heures en {tz}), à partir du {day} :",
    "team_offer": "Les premiers disponibles (heures en {tz}) :",
    "nobody_free": (
        "Personne n'est libre à ce moment-là. "
        "Avec qui souhaitez-vous un rendez-vous à un autre moment ?"
    ),
    "nothing_free": "Désolé, {host} n'a rien de libre sur cette période. "
    "Essayez un autre jour ou une autre semaine.",
    "nothing_free_next": "Désolé, {host} n'a rien de libre à ce moment-là. "
    "Les créneaux libres les plus proches :",
    "unavailable": "{day} {time} n'est pas disponible ({reason}). "
    "Les créneaux libres les plus proches :",
    "reason_too_soon": "délai trop court ; au plus tôt {day} {time}",
    "reason_too_far": "les réservations ne sont ouvertes que jusqu'au {day}",
    "reason_taken": "c'est pris ou en dehors des heures de travail",
    "just_taken": "Désolé, ce créneau vient d'être pris. Les créneaux libres les plus proches :",
    "booked": "Réservé #{id} : {title} avec {host}, {when}. "
    "Pour le déplacer ou l'annuler, dites-le-moi.",
    "requested": "Demandé #{id} : {title} avec {host}, {when}. "
    "{host} va confirmer ; je vous tiendrai au courant.",
    "not_booked": "D'accord, rien de réservé. Proposez-moi une autre heure quand vous voulez.",
    "offer_expired": "Cette proposition a expiré. Redites-moi ce que vous souhaitez réserver.",
    "already_done": "C'est déjà fait — voyez mon message ci-dessus.",
    "already_booked": "Vous avez déjà une place à cette heure-là (réservation #{booking_id}).",
    "which_one": "Lequel ? Touchez un bouton ou tapez son numéro.",
    "no_bookings": "Vous n'avez aucune réservation à venir.",
    "nothing_booked_on": "Vous n'avez rien de réservé le {day}.",
    "your_bookings": "Vos réservations à venir :",
    "booking_line": "• #{id} {title} avec {host}, {when}",
    "awaiting": " (en attente de confirmation)",
    "choose_cancel": "Quelle réservation voulez-vous annuler ?",
    "choose_move": "Quelle réservation voulez-vous déplacer ?",
    "confirm_cancel": "Annuler #{id} {title} avec {host}, {when} ?",
    "cancelled": "Annulé #{id}. {host} a été prévenu(e).",
    "kept": "D'accord, je ne change rien.",
    "ask_new_time": "À quand voulez-vous déplacer #{id} ({day} {time}) ?",
    "confirm_reschedule": "Déplacer #{id} {title} avec {host} du {day} {time} au {when} ?",
    "rescheduled": "Déplacé : #{id} {title} avec {host} est maintenant le {when} "
    "(remplace #{old_id}).",
    "booking_gone": "Je ne trouve aucune réservation à venir #{id} à votre nom.",
    "too_late_to_change": "Désolé, #{id} ne peut plus être modifié ici : les changements "
    "étaient possibles jusqu'au {day} {time}. Merci de contacter {host} directement.",
    "guest_limit": "Vous avez déjà autant de réservations à venir avec {host} que permis "
    "({limit}). Annulez-en une d'abord, ou attendez qu'une ait eu lieu.",
    "not_understood": "Désolé, je n'ai pas compris.",
    "slow_down": "Vous envoyez des messages plus vite que je ne peux y répondre. "
    "Attendez une minute puis réécrivez ; je laisse de côté les messages entre-temps.",
    "apology": "Désolé, un problème est survenu de mon côté. Réessayez dans un instant.",
    "yes_book": "Oui, réserver",
    "yes_cancel": "Oui, annuler",
    "yes_move": "Oui, déplacer",
    "no": "Non",
    "keep": "Non, garder",
    # --- recurring series (bots.conversation) ---
    "series_propose": "{title} avec {host}, {count} fois :",
    "series_line": "• {when}",
    "series_default": "(Vous n'avez pas dit jusqu'à quand, j'en ai donc prévu {count}. Pour "
    "une autre durée, dites par ex. « pendant 8 semaines » ou « jusqu'au 20 décembre ».)",
    "series_ask": "Réserver les {count} ?",
    "series_booked": "Réservé {count} rendez-vous : {title} avec {host}, du {first} au {last} "
    "({ids}). Pour en annuler un ou les suivants, dites-le-moi.",
    "series_requested": "Demandé {count} rendez-vous : {title} avec {host}, du {first} au "
    "{last} ({ids}). {host} les confirmera ; je vous tiendrai au courant.",
    "series_clash": "Rien n'est réservé : {count} des {total} dates ne sont pas libres :",
    "series_clash_line": "• {day} {time} (plus proche libre : {alternative})",
    "series_clash_none": "• {day} {time} (rien de libre à proximité)",
    "series_retry": "Indiquez une autre heure pour toute la série (par ex. « 11h » ou "
    "« les mercredis à 15h »), ou « non ».",
    "series_invalid": "Je ne peux pas réserver cette série : elle doit se terminer et compter "
    "au plus {limit} rendez-vous. Essayez par ex. « tous les mardis à 10h pendant 6 semaines ».",
    "series_ask_scope": "#{id} {title} avec {host}, {when} fait partie d'une série. "
    "Annuler seulement celui-ci, ou celui-ci et tous les suivants ?",
    "series_cancelled": "Annulé {count} : {days}. {host} a été prévenu(e).",
    "confirm_cancel_series": "Annuler toute la série avec {host} ? Il en reste {count} : {days}.",
    "yes_cancel_all": "Oui, tout annuler",
    "length_not_offered": "{title} n'existe pas en {asked} min (seulement {lengths} min), "
                          "je prends la plus proche : {nearest} min.",
    "yes_book_all": "Oui, tout réserver",
    "scope_one": "Seulement celui-ci",
    "scope_following": "Celui-ci et les suivants",
    # --- avis de la boîte d'envoi (bots.notices) et leurs e-mails (mail) ---
    "notice_created": "Nouvelle réservation #{id} : {title} avec {guest}, {when}{more}.",
    "notice_booked_by_you": "Votre réservation est confirmée : #{id} {title} avec {host}, {when}.",
    "notice_requested": "Demande de réservation #{id} : {title} avec {guest}, {when}{more}. "
    "Elle attend votre confirmation.",
    "notice_cancelled_by_guest": "{guest} a annulé #{id} : {title}, {when}{more}.{reason}",
    "notice_cancelled_by_host": "{host} a annulé votre {title} #{id}, {when}{more}.{reason}",
    "notice_cancelled_by_you": "Vous avez annulé votre {title} avec {host} #{id}, "
    "{when}{more}.{reason}",
    "notice_confirmed": "{host} a confirmé votre {title} #{id}, {when}.",
    "notice_declined": "{host} a refusé votre demande #{id} ({title}, {when}).{reason}",
    "notice_expired": "Votre demande #{id} ({title} avec {host}, {when}) n'a pas été confirmée "
    "à temps : le créneau est de nouveau libre. Dites-moi si vous voulez une autre heure.",
    "notice_moved_by_guest": "{guest} a déplacé #{id} {title}{before} au {when}.",
    "notice_moved_by_host": "{host} a déplacé votre {title} (désormais #{id}){before} "
    "au {when}.",
    "notice_moved_by_you": "Vous avez déplacé votre {title} avec {host} (désormais #{id}){before} "
    "au {when}.",
    "notice_moved_from": " du {day} {time}",
    "notice_reason": " Motif : {reason}.",
    "notice_reminder": "Rappel : {title} avec {host} {lead}, {when} (#{id}).",
    "notice_awaiting": " La confirmation de {host} est toujours attendue.",
    "notice_update": "Du nouveau sur la réservation #{id} : {what}.",
    "notice_a_guest": "Un invité",
    "in_days": "dans {count} jours",
    "in_hour": "dans {count} heure",
    "in_hours": "dans {count} heures",
    "in_minute": "dans {count} minute",
    "in_minutes": "dans {count} minutes",
    "cancel_it": "Annuler",
    "reschedule": "Déplacer",
    "subject_created": "Nouvelle réservation : {title} avec {guest}, {day} {time}",
    "subject_booked": "Réservé : {title} avec {host}, {day} {time}",
    "subject_requested": "Demande de réservation : {title} avec {guest}, {day} {time}",
    "subject_cancelled": "Annulé : {title}, {day} {time}",
    "subject_confirmed": "Confirmé : {title} avec {host}, {day} {time}",
    "subject_declined": "Refusé : {title} avec {host}, {day} {time}",
    "subject_expired": "Non confirmé : {title} avec {host}, {day} {time}",
    "subject_rescheduled": "Déplacé : {title}, désormais {day} {time}",
    "subject_reminder": "Rappel : {title} avec {host}, {day} {time}",
    "subject_update": "Du nouveau sur la réservation #{id}",
    "mail_what": "Quoi",
    "mail_when": "Quand",
    "mail_with": "Avec",
    "mail_booking": "Réservation",
    "mail_invite": "L'invitation jointe l'ajoute à votre agenda.",
    "mail_cancel": "L'annulation jointe le retire de votre agenda.",
    "mail_reminder_hint": "Pour la déplacer ou l'annuler, écrivez-moi dans la conversation "
    "où vous l'avez réservée.",
    "mail_footer": "Envoyé par Slotbot pour {host}.",
    "link_forged": "Ce lien n'est pas valide. Rien n'a été modifié.",
    "link_expired": "Ce lien a expiré. Rien n'a été modifié.",
    "link_used": "Ce lien a déjà été utilisé. Rien n'a été modifié.",
    "start_unknown_host": "Je ne connais aucun hôte nommé « {name} ».",
    "link_pick_time": "Choisissez l'un des horaires proposés.",
    "link_not_possible": (
        "Ce n'est plus possible (le rendez-vous ou l'horaire a changé). "
        "Rien n'a été modifié."
    ),
    "mail_link_cancel": "L'annuler : {url}",
    "mail_link_move": "Le déplacer : {url}",
    "command_start": "Choisir avec qui réserver",
    "command_bookings": "Vos réservations",
    "command_cancel": "Annuler une réservation",
    "command_help": "Ce que je sais faire",
    "command_slotbot": "Commandes d’hôte : today, upcoming, cancel, off …",
    "your_user_id": (
        "Votre identifiant {platform} est {user_id}. Si vous êtes hôte, ajoutez « {setting}: "
        "{user_id} » à votre entrée du fichier de configuration et relancez « slotbot "
        "load »."
    ),
    # external calendars (storage.calendars)
    "calendar_unavailable": (
        "Je ne peux pas consulter l'agenda de {host} pour le moment — réessayez dans "
        "quelques minutes, s'il vous plaît."
    ),
    "notice_calendar_down": (
        "Je ne peux pas consulter votre agenda ({calendar} : {error}) ; je ne propose "
        "donc aucun créneau jusqu'à ce qu'il réponde de nouveau."
    ),
    "notice_calendar_reconnect": (
        "Google n'accepte plus l'accès de Slotbot à votre agenda ({calendar}). Les "
        "réservations continuent avec les données de Slotbot. Pour le reconnecter : "
        "slotbot google connect {handle}"
    ),
    "notice_calendar_deleted": (
        "L'événement de la réservation #{id} ({title} avec {guest}, {when}) a été "
        "supprimé de votre agenda. La réservation tient toujours : la garder, ou "
        "l'annuler et prévenir l'invité ?"
    ),
    "notice_calendar_moved": (
        "L'événement de la réservation #{id} ({title} avec {guest}, {when}) a été déplacé"
        " dans votre agenda à {moved}. La réservation reste à son heure : la garder, ou "
        "l'annuler et prévenir l'invité ?"
    ),
    "calendar_keep": "Garder la réservation",
    "calendar_cancel": "Annuler et prévenir l'invité",
    # --- paid event types (core.payments) ---------------------------------------------
    "awaiting_payment_note": " (paiement en attente)",
    "price_note": " Prix : {amount}, payable à la réservation.",
    "pay_link": "Réservé pour vous jusqu'à {until} : #{id} {title} avec {host}, {when}. Payez "
    "{amount} ici pour le confirmer : {url}",
    "pay_pending": "Réservé pour vous jusqu'à {until} : #{id} {title} avec {host}, {when}. Payez "
    "{amount} pour le confirmer (voir la facture).",
    "payment_unavailable": "Désolé, le paiement pour {host} ne peut pas démarrer pour l'instant, "
    "rien n'a donc été réservé. Réessayez dans quelques minutes.",
    "payments_off": "{host} demande un paiement pour cela, mais les paiements ne sont pas encore "
    "configurés ici, rien n'a donc été réservé.",
    "refund_coming": " {amount} vous sera remboursé.",
    "refund_by_hand": " {host} vous remboursera {amount} à la main.",
    "no_refund": " Si près du début, aucun remboursement n'est dû.",
    "notice_paid": "Paiement de {amount} reçu : #{id} {title} avec {host}, {when} est réservé.",
    "notice_paid_pending": "Paiement de {amount} reçu pour #{id} ({title} avec {host}, {when}). "
    "{host} va le confirmer ; sinon vous serez remboursé(e).",
    "notice_payment_expired": "Le délai pour payer #{id} ({title} avec {host}, {when}) est "
    "écoulé, le créneau a donc été libéré. Redemandez-le-moi si vous le voulez encore.",
    "notice_refund_seat_taken": "Votre paiement pour #{id} ({title} avec {host}, {when}) est "
    "arrivé après la fin de la réservation et le créneau a été pris entre-temps : {amount} vous "
    "est remboursé.",
    "notice_refund_already_paid": "#{id} ({title} avec {host}, {when}) était déjà payé : votre "
    "second paiement de {amount} vous est remboursé.",
    "notice_refund_amount_mismatch": "Le montant payé pour #{id} ({title} avec {host}, {when}) "
    "n'était pas son prix : {amount} vous est remboursé et rien n'a été réservé.",
    "notice_refund_host": "{host} vous rembourse {amount} pour #{id} ({title}, {when}).",
    "notice_refund_host_cancel": "{amount} pour #{id} ({title} avec {host}, {when}) vous est "
    "remboursé.",
    "notice_refund_guest_cancel": "{amount} pour #{id} ({title} avec {host}, {when}) vous est "
    "remboursé.",
    "notice_refund_manual": " {host} vous le rendra à la main (ce service de paiement ne "
    "rembourse pas automatiquement).",
    # --- Telegram Payments (bots.telegram_payments) --------------------------------------
    "invoice_description": "#{id} {title} avec {host}, {when}. Réservé pour vous jusqu'à "
    "{until}.",
    "invoice_expired": "Le délai pour payer cette réservation est écoulé et le créneau a été "
    "libéré. Redemandez-moi un créneau, s'il vous plaît.",
    "invoice_unknown": "Cette facture ne vient pas de moi, elle ne peut pas être payée.",
    "invoice_changed": "Cette facture ne correspond plus au prix de la réservation. "
    "Redemandez-moi, s'il vous plaît.",
    "invoice_slow": "Je n'ai pas pu vérifier votre réservation à temps. Réessayez de payer dans "
    "un instant, s'il vous plaît.",
}
