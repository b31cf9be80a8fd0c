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
        "por ex. “my timezone is America/Sao_Paulo”.)"
    ),
    "timezone_set": "Certo: vou mostrar os horários em {tz}.",
    "timezone_unknown": "Não conheço o fuso horário “{name}”. Use um nome como "
    "America/Sao_Paulo.",
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
    "no_bookings": "Não tem reservas próximas.",
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
    "apology": "Desculpe, algo correu mal do meu lado. Tente de novo daqui a pouco.",
    "yes_book": "Sim, marcar",
    "yes_cancel": "Sim, cancelar",
    "yes_move": "Sim, mudar",
    "no": "Não",
    "keep": "Não, manter",
}
