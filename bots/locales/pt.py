"""Portuguese messages."""

MESSAGES: dict[str, str] = {
    "help": (
        "Eu marco reuniões com {names}. Escreva o que precisa, por exemplo:\n"
        "• “30 min com a Ana na próxima terça à tarde?”\n"
        "• “tem algo livre amanhã antes das 10?”\n"
        "• “minhas reservas”\n"
        "• “mude minha chamada para sexta às 15h”\n"
        "• “cancele minha reserva”\n"
        "• “my timezone is America/Sao_Paulo”"
    ),
    "nobody": "ninguém ainda",
    "greeting": (
        "Olá! Eu marco horários com {host}: {kinds}.\n"
        "Diga quando lhe convém, por ex. “amanhã à tarde” ou “sexta às 10h”."
    ),
    "kind": "{title} ({minutes} min)",
    "timezone_note": (
        "(Os horários estão em {tz}, o fuso de {host}. Se estiver noutro lugar, diga-me, "
        "por ex. “moro em Lisboa”.)"
    ),
    "timezone_set": "Certo: vou mostrar os horários em {tz}.",
    "timezone_unknown": "Não conheço o fuso horário “{name}”. Use um nome como "
    "America/Sao_Paulo.",
    # Zones written in a message (issue 9): {written}/{reader} are "16:30 Chicago".
    "zone_both": "{written} = {reader}",
    "zone_regional": "(Entendi {abbr} como o horário de {place}, {offset} nesse dia.)",
    "zone_ambiguous": "“{abbr}” pode ser mais de um fuso horário: {choices}. Qual você quer dizer?",
    "own_zone_set": "Certo: você está em {place}, vou mostrar os horários em {tz}.",
    "thanks_reply": "De nada! 😊",
    "hello_reply": "Olá! Quando você gostaria de se reunir? Por exemplo “sexta às 15h”.",
    "restart_done": "Certo, vamos começar de novo.",
    "too_long": "Essa mensagem é longa demais para mim (mais de {limit} caracteres). "
    "Envie uma mais curta, por favor.",
    "choose_host": "Com quem gostaria de se reunir?",
    "choose_event_type": "Que tipo de reunião com {host}?",
    "no_such_duration": "{host} não tem reuniões de {minutes} minutos. Qual prefere?",
    "propose_booking": "{title} com {host} em {when} — posso marcar?",
    "slots_asked": "Isto está livre com {host} (horários em {tz}), a partir de {day}:",
    "slots_next": "Horários livres com {host} (horários em {tz}), a partir de {day}:",
    "team_offer": "Os primeiros livres (horários em {tz}):",
    "nobody_free": (
        "Ninguém está livre nessa altura. Com quem gostaria de se reunir noutro horário?"
    ),
    "nothing_free": "Desculpe, {host} não tem nada livre nesse período. "
    "Tente outro dia ou outra semana.",
    "nothing_free_next": "Desculpe, {host} não tem nada livre nessa altura. "
    "Os horários livres mais próximos:",
    "unavailable": "{day} {time} não está disponível ({reason}). "
    "Os horários livres mais próximos:",
    "reason_too_soon": "aviso muito curto; o mais cedo é {day} {time}",
    "reason_too_far": "só é possível marcar até {day}",
    "reason_taken": "está ocupado ou fora do horário de trabalho",
    "just_taken": "Desculpe, esse horário acabou de ser ocupado. Os horários livres mais próximos:",
    "booked": "Marcado #{id}: {title} com {host}, {when}. Para mudar ou cancelar, é só dizer.",
    "requested": "Pedido #{id}: {title} com {host}, {when}. "
    "{host} vai confirmar; eu aviso.",
    "not_booked": "Ok, nada marcado. Diga outro horário quando quiser.",
    "offer_expired": "Essa proposta expirou. Diga-me outra vez o que quer marcar.",
    "already_done": "Já está feito — veja a minha mensagem acima.",
    "already_booked": "Você já tem um lugar nesse horário (reserva #{booking_id}).",
    "which_one": "Qual? Toque num botão ou escreva o número.",
    "no_bookings": "Não tem reservas próximas.",
    "nothing_booked_on": "Não tem nada marcado em {day}.",
    "your_bookings": "As suas próximas reservas:",
    "booking_line": "• #{id} {title} com {host}, {when}",
    "awaiting": " (a aguardar confirmação)",
    "choose_cancel": "Que reserva quer cancelar?",
    "choose_move": "Que reserva quer mudar?",
    "confirm_cancel": "Cancelar #{id} {title} com {host}, {when}?",
    "cancelled": "Cancelado #{id}. {host} já foi avisado(a).",
    "kept": "Ok, deixei como estava.",
    "ask_new_time": "Para quando quer mudar #{id} ({day} {time})?",
    "confirm_reschedule": "Mudar #{id} {title} com {host} de {day} {time} para {when}?",
    "rescheduled": "Mudado: #{id} {title} com {host} é agora {when} (substitui #{old_id}).",
    "booking_gone": "Não encontro nenhuma reserva próxima #{id} sua.",
    "too_late_to_change": "Desculpe, #{id} já não pode ser alterado aqui: as alterações eram "
    "possíveis até {day} {time}. Fale diretamente com {host}.",
    "guest_limit": "Você já tem com {host} tantas reservas futuras quanto o permitido "
    "({limit}). Cancele uma primeiro ou espere até que uma aconteça.",
    "not_understood": "Desculpe, não percebi.",
    "slow_down": "Está a enviar mensagens mais depressa do que consigo responder. "
    "Espere um minuto e escreva de novo; vou ignorar as mensagens pelo meio.",
    "apology": "Desculpe, algo correu mal do meu lado. Tente de novo daqui a pouco.",
    "yes_book": "Sim, marcar",
    "yes_cancel": "Sim, cancelar",
    "yes_move": "Sim, mudar",
    "no": "Não",
    "keep": "Não, manter",
    # --- recurring series (bots.conversation) ---
    "series_propose": "{title} com {host}, {count} vezes:",
    "series_line": "• {when}",
    "series_default": "(Você não disse até quando, então planejei {count}. Para outra duração "
    "diga, por ex., “durante 8 semanas” ou “até 20 de dezembro”.)",
    "series_ask": "Marcar as {count}?",
    "series_booked": "Marcadas {count} reuniões: {title} com {host}, de {first} a {last} "
    "({ids}). Para cancelar uma ou as seguintes, é só dizer.",
    "series_requested": "Solicitadas {count} reuniões: {title} com {host}, de {first} a {last} "
    "({ids}). {host} vai confirmá-las; eu aviso você.",
    "series_clash": "Nada marcado: {count} das {total} datas não estão livres:",
    "series_clash_line": "• {day} {time} (mais próximo livre: {alternative})",
    "series_clash_none": "• {day} {time} (nada livre por perto)",
    "series_retry": "Diga outro horário para a série toda (por ex. “11:00” ou "
    "“às quartas às 15h”), ou “não”.",
    "series_invalid": "Não consigo marcar essa série: ela precisa terminar e ter no máximo "
    "{limit} reuniões. Tente, por ex., “toda terça às 10h durante 6 semanas”.",
    "series_ask_scope": "#{id} {title} com {host}, {when} faz parte de uma série. "
    "Cancelar só esta ou esta e todas as seguintes?",
    "series_cancelled": "Canceladas {count}: {days}. {host} foi avisado(a).",
    "confirm_cancel_series": "Cancelar toda a série com {host}? Faltam {count}: {days}.",
    "yes_cancel_all": "Sim, cancelar todas",
    "length_not_offered": "{title} não existe com {asked} min (só {lengths} min), "
                          "por isso escolhi a mais próxima: {nearest} min.",
    "yes_book_all": "Sim, marcar todas",
    "scope_one": "Só esta",
    "scope_following": "Esta e as seguintes",
    # --- avisos da caixa de saída (bots.notices) e os seus e-mails (mail) ---
    "notice_created": "Nova reserva #{id}: {title} com {guest}, {when}{more}.",
    "notice_booked_by_you": "A sua reserva está confirmada: #{id} {title} com {host}, {when}.",
    "notice_requested": "Pedido de reserva #{id}: {title} com {guest}, {when}{more}. "
    "Aguarda a sua confirmação.",
    "notice_cancelled_by_guest": "{guest} cancelou #{id}: {title}, {when}{more}.{reason}",
    "notice_cancelled_by_host": "{host} cancelou a sua {title} #{id}, {when}{more}.{reason}",
    "notice_cancelled_by_you": "Cancelou a sua {title} com {host} #{id}, {when}{more}.{reason}",
    "notice_confirmed": "{host} confirmou a sua {title} #{id}, {when}.",
    "notice_declined": "{host} recusou o seu pedido #{id} ({title}, {when}).{reason}",
    "notice_expired": "O seu pedido #{id} ({title} com {host}, {when}) não foi confirmado a "
    "tempo, por isso o horário ficou livre. Diga-me se quer outro horário.",
    "notice_moved_by_guest": "{guest} mudou #{id} {title}{before} para {when}.",
    "notice_moved_by_host": "{host} mudou a sua {title} (agora #{id}){before} para {when}.",
    "notice_moved_by_you": "Mudou a sua {title} com {host} (agora #{id}){before} para {when}.",
    "notice_moved_from": " de {day} {time}",
    "notice_reason": " Motivo: {reason}.",
    "notice_reminder": "Lembrete: {title} com {host} {lead}, {when} (#{id}).",
    "notice_awaiting": " Ainda aguarda a confirmação de {host}.",
    "notice_update": "Novidade na reserva #{id}: {what}.",
    "notice_a_guest": "Um convidado",
    "in_days": "daqui a {count} dias",
    "in_hour": "daqui a {count} hora",
    "in_hours": "daqui a {count} horas",
    "in_minute": "daqui a {count} minuto",
    "in_minutes": "daqui a {count} minutos",
    "cancel_it": "Cancelar",
    "reschedule": "Mudar",
    "subject_created": "Nova reserva: {title} com {guest}, {day} {time}",
    "subject_booked": "Marcado: {title} com {host}, {day} {time}",
    "subject_requested": "Pedido de reserva: {title} com {guest}, {day} {time}",
    "subject_cancelled": "Cancelada: {title}, {day} {time}",
    "subject_confirmed": "Confirmada: {title} com {host}, {day} {time}",
    "subject_declined": "Recusada: {title} com {host}, {day} {time}",
    "subject_expired": "Não confirmada: {title} com {host}, {day} {time}",
    "subject_rescheduled": "Mudada: {title}, agora {day} {time}",
    "subject_reminder": "Lembrete: {title} com {host}, {day} {time}",
    "subject_update": "Novidade na reserva #{id}",
    "mail_what": "O quê",
    "mail_when": "Quando",
    "mail_with": "Com",
    "mail_booking": "Reserva",
    "mail_invite": "O convite em anexo coloca-a no seu calendário.",
    "mail_cancel": "O cancelamento em anexo retira-a do seu calendário.",
    "mail_reminder_hint": "Para mudar ou cancelar, escreva-me no chat onde fez a reserva.",
    "mail_footer": "Enviado pelo Slotbot em nome de {host}.",
    "link_forged": "Este link não é válido. Nada foi alterado.",
    "link_expired": "Este link expirou. Nada foi alterado.",
    "link_used": "Este link já foi usado. Nada foi alterado.",
    "start_unknown_host": "Não conheço nenhum anfitrião chamado “{name}”.",
    "link_pick_time": "Escolha um dos horários oferecidos.",
    "link_not_possible": (
        "Isso já não é possível (a marcação ou o horário mudou). "
        "Nada foi alterado."
    ),
    "mail_link_cancel": "Cancelar: {url}",
    "mail_link_move": "Mudar: {url}",
    "command_start": "Escolher com quem marcar",
    "command_bookings": "As suas marcações",
    "command_cancel": "Cancelar uma marcação",
    "command_help": "O que eu sei fazer",
    "command_slotbot": "Comandos de anfitrião: today, upcoming, cancel, off …",
    "your_user_id": (
        "O seu id de utilizador do {platform} é {user_id}. Se é anfitrião, ponha «{setting}: "
        "{user_id}» na sua entrada do ficheiro de configuração e volte a executar "
        "«slotbot load»."
    ),
    # external calendars (storage.calendars)
    "calendar_unavailable": (
        "Não consigo consultar o calendário de {host} agora — por favor, tente de novo "
        "daqui a uns minutos."
    ),
    "notice_calendar_down": (
        "Não consigo consultar o seu calendário ({calendar}: {error}), por isso não "
        "ofereço horários até ele voltar a responder."
    ),
    "notice_calendar_reconnect": (
        "O Google já não aceita o acesso do Slotbot ao seu calendário ({calendar}). As "
        "reservas continuam com os dados do próprio Slotbot. Para voltar a ligar, "
        "execute: slotbot google connect {handle}"
    ),
    "notice_calendar_deleted": (
        "O evento da reserva #{id} ({title} com {guest}, {when}) foi apagado do seu "
        "calendário. A reserva mantém-se: manter, ou cancelar e avisar o convidado?"
    ),
    "notice_calendar_moved": (
        "O evento da reserva #{id} ({title} com {guest}, {when}) foi movido no seu "
        "calendário para {moved}. A reserva mantém-se à sua hora: manter, ou cancelar e "
        "avisar o convidado?"
    ),
    "calendar_keep": "Manter a reserva",
    "calendar_cancel": "Cancelar e avisar o convidado",
    # --- paid event types (core.payments) ---------------------------------------------
    "awaiting_payment_note": " (a aguardar pagamento)",
    "price_note": " Preço: {amount}, pago ao reservar.",
    "pay_link": "Reservado para si até às {until}: #{id} {title} com {host}, {when}. Pague "
    "{amount} aqui para confirmar: {url}",
    "pay_pending": "Reservado para si até às {until}: #{id} {title} com {host}, {when}. Pague "
    "{amount} para confirmar (veja a fatura).",
    "payment_unavailable": "Desculpe, agora não é possível iniciar o pagamento para {host}, por "
    "isso nada foi reservado. Tente de novo daqui a uns minutos.",
    "payments_off": "{host} cobra por isto, mas os pagamentos ainda não estão configurados aqui, "
    "por isso nada foi reservado.",
    "refund_coming": " {amount} ser-lhe-á reembolsado.",
    "refund_by_hand": " {host} vai reembolsar-lhe {amount} manualmente.",
    "no_refund": " Tão perto do início não há reembolso.",
    "notice_paid": "Pagamento de {amount} recebido: #{id} {title} com {host}, {when} está "
    "reservado.",
    "notice_paid_pending": "Pagamento de {amount} recebido para #{id} ({title} com {host}, "
    "{when}). {host} vai confirmar; se não, recebe o dinheiro de volta.",
    "notice_payment_expired": "O prazo para pagar #{id} ({title} com {host}, {when}) terminou, "
    "por isso o horário ficou livre. Peça-me de novo se ainda o quiser.",
    "notice_refund_seat_taken": "O seu pagamento de #{id} ({title} com {host}, {when}) chegou "
    "depois de a reserva terminar e o horário já estava ocupado, por isso {amount} está a ser "
    "reembolsado.",
    "notice_refund_already_paid": "#{id} ({title} com {host}, {when}) já estava pago, por isso o "
    "seu segundo pagamento de {amount} está a ser reembolsado.",
    "notice_refund_amount_mismatch": "O valor pago por #{id} ({title} com {host}, {when}) não "
    "era o preço, por isso {amount} está a ser reembolsado e nada foi reservado.",
    "notice_refund_host": "{host} está a reembolsar {amount} por #{id} ({title}, {when}).",
    "notice_refund_host_cancel": "{amount} por #{id} ({title} com {host}, {when}) está a ser "
    "reembolsado.",
    "notice_refund_guest_cancel": "{amount} por #{id} ({title} com {host}, {when}) está a ser "
    "reembolsado.",
    "notice_refund_manual": " {host} vai devolvê-lo manualmente (este serviço de pagamento não "
    "faz reembolsos automáticos).",
    # --- Telegram Payments (bots.telegram_payments) --------------------------------------
    "invoice_description": "#{id} {title} com {host}, {when}. Reservado para você até {until}.",
    "invoice_expired": "O prazo para pagar esta reserva acabou e o horário foi liberado. "
    "Peça-me um horário de novo, por favor.",
    "invoice_unknown": "Esta fatura não é minha, por isso não pode ser paga.",
    "invoice_changed": "Esta fatura não corresponde mais ao preço da reserva. Peça-me de novo, "
    "por favor.",
    "invoice_slow": "Não consegui verificar sua reserva a tempo. Tente pagar de novo daqui a "
    "pouco, por favor.",
}
