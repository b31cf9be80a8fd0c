"""Portuguese vocabulary (Brazil and Portugal)."""

from nlp.lang import Vocabulary, each, numbers, tagged, wordset

_UNITS = {
    "zero": 0, "um": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6,
    "sete": 7, "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "treze": 13,
    "catorze": 14, "quatorze": 14, "quinze": 15, "dezesseis": 16, "dezasseis": 16,
    "dezessete": 17, "dezassete": 17, "dezoito": 18, "dezenove": 19, "dezanove": 19,
}
_TENS = {"vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50}
_ORDINALS = {
    "primeiro": 1, "primeira": 1, "segundo": 2, "terceiro": 3, "terceira": 3, "quinto": 5,
    "sexto": 6, "sétimo": 7, "oitavo": 8, "nono": 9, "décimo": 10,
}
_WEEKDAYS = {
    "segunda": 0, "segundafeira": 0, "seg": 0, "terça": 1, "terçafeira": 1, "ter": 1,
    "quarta": 2, "quartafeira": 2, "qua": 2, "quinta": 3, "quintafeira": 3, "qui": 3,
    "sexta": 4, "sextafeira": 4, "sex": 4, "sábado": 5, "sáb": 5, "domingo": 6, "dom": 6,
}
_MONTHS = {
    "janeiro": 1, "jan": 1, "fevereiro": 2, "fev": 2, "março": 3, "abril": 4, "abr": 4,
    "maio": 5, "junho": 6, "jun": 6, "julho": 7, "jul": 7, "agosto": 8, "setembro": 9,
    "outubro": 10, "novembro": 11, "nov": 11, "dezembro": 12,
}
_TIME_UNITS = {
    "minuto": "minute", "minutos": "minute", "min": "minute", "mins": "minute",
    "hora": "hour", "horas": "hour", "hr": "hour", "hrs": "hour", "dias": "day",
    "semana": "week", "semanas": "week", "quinzena": "fortnight", "mês": "month",
    "meses": "month", "ano": "year", "anos": "year", "fimdesemana": "weekend", "úteis": "bday",
}

WORDS = {
    **each("or", "ou"),
    **numbers(_UNITS, _TENS),
    **tagged("ord", _ORDINALS),
    **tagged("wd", _WEEKDAYS),
    **tagged("mon", _MONTHS),
    **tagged("unit", _TIME_UNITS),
    **tagged("dayrel", {"hoje": 0, "amanhã": 1, "depoisdeamanhã": 2, "ontem": -1,
                        "anteontem": -2}),
    **tagged("rel", {"próximo": "next", "próxima": "next", "seguinte": "next",
                     "este": "this", "esta": "this", "neste": "this", "nesta": "this",
                     "passado": "last", "passada": "last", "último": "last",
                     "última": "last"}),
    **tagged("part", {"manhã": "morning", "madrugada": "morning", "tarde": "afternoon",
                      "noite": "evening", "estanoite": "tonight"}),
    **tagged("clock", {"meiodia": (12, 0), "meianoite": (0, 0)}),
    **each("oclock", "h hs"),
    **each("half", "meia"),
    **each("quarter", "quarto"),
    **each("tohour", "para"),
    **each("art", "uma", 1),
    **each("now", "agora já"),
    **each("later", "maistarde"),
    **each("earlier", "maiscedo"),
    **each("in", "em daqui"),
    **each("within", "dentro"),
    **each("from", "das dos"),
    **each("to", "a ao"),
    **each("until", "até"),
    **each("between", "entre"),
    **each("and", "e"),
    **each("before", "antes"),
    **each("after", "depois"),
    **each("since", "desde"),
    **each("at", "às as"),
    **each("for", "durante"),
    **each("end", "fim final"),
    **each("same", "mesma mesmo"),
    **each("of", "de do da"),
    **each("the", "o os no na dia"),  # "dia 30" is the 30th; "1 dia" is rare in chat
    **each("mid", "meados"),
    **each("counted", "pessoas pessoa gente convidados participantes adultos crianças"
                      " lugares"),
    **each("skip", "por favor pf pela pelo você vocês ele ela eles alguém"),
}

_NEXT = {f"{day} que vem": f"próxima {day}" for day in
         ("segunda", "terça", "quarta", "quinta", "sexta", "sábado", "domingo")}

PHRASES = {
    "logo cedo": "firstthing",
    "a primeira hora": "firstthing",
    "primeira hora": "firstthing",
    "logo de manha": "firstthing",
    "depois do almoco": "afterlunch",
    "apos o almoco": "afterlunch",
    "depois do trabalho": "afterwork",
    "depois do expediente": "afterwork",
    "de manha cedo": "earlymorning",
    "cedo de manha": "earlymorning",
    "no fim da tarde": "lateafternoon",
    "fim da tarde": "lateafternoon",
    "final da tarde": "lateafternoon",
    "semana q vem": "próxima semana",
    **_NEXT,
    "segunda feira": "segundafeira",
    "terça feira": "terçafeira",
    "quarta feira": "quartafeira",
    "quinta feira": "quintafeira",
    "sexta feira": "sextafeira",
    "depois de amanhã": "depoisdeamanhã",
    "hoje à noite": "estanoite",
    "hoje de noite": "estanoite",
    "esta noite": "estanoite",
    "hoje à tarde": "hoje tarde",
    "esta tarde": "hoje tarde",
    "esta manhã": "hoje manhã",
    "hoje de manhã": "hoje manhã",
    "meio dia": "meiodia",
    "meia noite": "meianoite",
    "fim de semana": "fimdesemana",
    "final de semana": "fimdesemana",
    "dias úteis": "úteis",
    "meia hora": "30 minutos",
    "uma hora e meia": "90 minutos",
    "hora e meia": "90 minutos",
    "semana que vem": "próxima semana",
    "mês que vem": "próximo mês",
    "ano que vem": "próximo ano",
    "à uma": "às 1",
    "daqui a": "em",
    "dentro de": "em",
    "em menos de": "dentro",
    "menos de": "dentro",
    "a partir das": "desde",
    "a partir do": "desde",
    "a partir de": "desde",
    "por volta das": "às",
    "por volta de": "às",
    "antes das": "antes",
    "antes do": "antes",
    "antes de": "antes",
    "depois das": "depois",
    "depois do": "depois",
    "depois de": "depois",
    "até às": "até",
    "até as": "até",
    "para as": "para",
    "para às": "para",
    "mais tarde": "maistarde",
    "mais cedo": "maiscedo",
    "o quanto antes": "agora",
    "o mais rápido possível": "agora",
    "no mesmo horário": "mesmo horário",
    "fim do mês": "fim mês",
    "final do mês": "fim mês",
}

INTENTS = {
    "help": (
        r"^\W*(ajuda|help|/help|/start|menu|comandos)\W*$",
        r"\b(o que (voce|vc) (pode|sabe) fazer|como funciona)\b",
        r"^\W*\?+\W*$",
    ),
    "cancel": (
        r"\b(cancel\w*|desmarc\w*|anul\w*)\b",
        r"\bnao (vou|poderei) (poder )?(ir|comparecer)\b",
    ),
    "reschedule": (
        r"\b(remarc\w*|reagend\w*|mud\w*|mov\w*|adi\w*|troc\w*|alter\w*)\b",
        r"\b(passa|passar|passe)\b.*\b(para|pra|pro)\b",
    ),
    "list": (
        r"\b(meus|minhas|todos os meus|proximos) (agendamentos|reservas|horarios|consultas"
        r"|compromissos|reunioes)\b",
        r"\bo que (eu )?(tenho|marquei)\b",
        r"^\W*(agendamentos|reservas|agenda)\W*$",
    ),
    "strongbook": (r"\b(agend\w*|marc\w*|reserv\w*)\b",),
    "confirm": (
        r"\W*(ta bom|esta bem|esta otimo|pode ser|pode marcar|fechado|combinado|perfeito"
        r"|isso mesmo|com certeza|claro que sim)\b",
    ),
    "deny": (r"\W*(melhor nao|nao (da|serve|posso)|nenhuma?)\b",),
    "availability": (
        r"\b(livres?|disponiveis|disponivel|disponibilidade|vagas?|horarios? livres?"
        r"|tem (algo|algum horario|horario|vaga)|quando (pode|voce pode|tem|esta))\b",
        r"^\W*(tem|ha)\b(?=.*\?)",
    ),
    "book": (
        r"\b(reuniao|consulta|chamada|sessao|conversa|encontro|horario)\b",
        r"\b(quero|queria|gostaria|preciso|posso|podemos|poderia)\b",
    ),
}

CONFIRM = wordset("sim ok okay claro perfeito beleza combinado fechado certo ótimo otimo "
                  "isso serve confirmo confirmado pode 👍 ✅ 👌")
DENY = wordset("não nao nop nope negativo nem 👎 ❌")

VOCABULARY = Vocabulary(
    code="pt",
    words=WORDS,
    phrases=PHRASES,
    intents=INTENTS,
    confirm_words=CONFIRM,
    deny_words=DENY,
    with_words=("com",),
    choice_words=wordset("a o opção opcao número numero # quero por favor obrigado obrigada"),
    choice_ordinals={"segunda": 2, "terça": 3, "quarta": 4, "quinta": 5, "sexta": 6},
    spellings={"amnh": "amanhã", "amn": "amanhã", "amanha": "amanhã", "hj": "hoje", "sxta": "sexta",
               "sext": "sexta", "qnt": "quinta", "qta": "quinta", "qua": "quarta",
               "prox": "próxima"},
    common_words=wordset(
        "eu tu você voce vc nós nos o a os as um uma de do da dos das que e ou em no na com"
        " para por se é e está esta tem tenho pode posso podemos queria quero reunião reuniao"
        " hora melhor não nao sim obrigado obrigada bom boa muito dá da ter minha minhas meu"
        " meus sua suas seu seus nossa nosso tudo bem"
        " casa escritório trabalho reunião reuniões aula viagem férias caminho carro trem"
        " escola hotel praia cidade centro"),
    greetings=(r"\b(?:bom\s+dia|boa\s+(?:tarde|noite))\b", r"^\W*(?:ola|oi|e\s+ai)\b",
               r"\b(?:tenha|tenham)\s+um\s+bom\s+(?:dia|fim\s+de\s+semana)\b"),
    thanks=(r"\b(?:muito\s+)?obrigad[oa]s?\b", r"\bvaleu\b"),
    restart=(r"\b(?:comecar|comecamos|recomecar)\s+(?:de\s+novo|do\s+zero|outra\s+vez)\b",
             r"\brecomecar\b", r"\bdo\s+(?:inicio|zero)\b"),
    shift_later=(r"\batras\w*\b", r"\badiar\b"),
    shift_earlier=(r"\badiant\w*\b", r"\bantecip\w*\b"),
    negation=(r"(?<=\w)\s+nao\b(?=\s*[,.;!-]|\s+melhor)", r"\bnao\s+(?:na\s+|no\s+)?(?=\w)"),
    early=(r"\b(?:inicio|comeco)\b",),
    instead=(r"\b(?:em\s+(?:vez|lugar)|ao\s+inves)\s+d[eoa]\s+(?=\w)",),
    paging={"earlier": r"\b(?:mais\s+cedo|antes)\b",
            "later": r"\bmais\s+tarde\b",
            "other_day": r"\b(?:outro|outra)\s+(?:dia|data)\b"},
    whole_series=(r"\btoda\s+a\s+serie\b",
                  r"\ba\s+serie\s+(?:inteira|completa)\b",
                  r"\btodas\s+as\s+(?:sessoes|reunioes|marcacoes|reservas)\s+da\s+serie\b"),
)
