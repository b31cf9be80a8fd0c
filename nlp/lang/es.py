"""Spanish vocabulary."""

from nlp.lang import Vocabulary, each, numbers, tagged, wordset

_UNITS = {
    "cero": 0, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13,
    "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17, "dieciocho": 18,
    "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintidós": 22, "veintitrés": 23,
    "veinticuatro": 24, "veinticinco": 25,
}
_TENS = {"treinta": 30, "cuarenta": 40, "cincuenta": 50}
_ORDINALS = {
    "primero": 1, "primer": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3,
    "tercer": 3, "tercera": 3, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6,
    "séptimo": 7, "séptima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9,
    "décimo": 10, "décima": 10,
}
_WEEKDAYS = {
    "lunes": 0, "lun": 0, "martes": 1, "miércoles": 2, "mié": 2, "jueves": 3, "jue": 3,
    "viernes": 4, "vie": 4, "sábado": 5, "sáb": 5, "domingo": 6, "dom": 6,
}
_MONTHS = {
    "enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5,
    "junio": 6, "jun": 6, "julio": 7, "jul": 7, "agosto": 8, "septiembre": 9, "setiembre": 9,
    "sept": 9, "octubre": 10, "oct": 10, "noviembre": 11, "nov": 11, "diciembre": 12,
    "dic": 12,
}
_TIME_UNITS = {
    "minuto": "minute", "minutos": "minute", "min": "minute", "mins": "minute",
    "hora": "hour", "horas": "hour", "hr": "hour", "hrs": "hour", "día": "day", "días": "day",
    "semana": "week", "semanas": "week", "quincena": "fortnight", "mes": "month",
    "meses": "month", "año": "year", "años": "year", "findesemana": "weekend",
    "hábiles": "bday",
}

WORDS = {
    **each("or", "o u"),
    **numbers(_UNITS, _TENS),
    **tagged("ord", _ORDINALS),
    **tagged("wd", _WEEKDAYS),
    **tagged("mon", _MONTHS),
    **tagged("unit", _TIME_UNITS),
    **tagged("dayrel", {"hoy": 0, "mañana": 1, "pasadomañana": 2, "ayer": -1,
                        "anteayer": -2}),
    **tagged("rel", {"próximo": "next", "próxima": "next", "proximos": "next",
                     "próximas": "next", "siguiente": "next", "este": "this", "esta": "this",
                     "estos": "this", "pasado": "last", "pasada": "last", "último": "last",
                     "última": "last"}),
    **tagged("part", {"pormañana": "morning", "madrugada": "morning", "tarde": "afternoon",
                      "noche": "evening", "estanoche": "tonight"}),
    **tagged("clock", {"mediodía": (12, 0), "medianoche": (0, 0)}),
    **each("oclock", "h hs punto"),
    **each("half", "media"),
    **each("quarter", "cuarto"),
    **each("tohour", "menos"),
    **each("art", "un una", 1),
    **each("now", "ahora ya"),
    **each("later", "mastarde"),
    **each("earlier", "mastemprano"),
    **each("in", "en"),
    **each("within", "dentro"),
    **each("to", "a al"),
    **each("until", "hasta"),
    **each("between", "entre"),
    **each("and", "y"),
    **each("before", "antes"),
    **each("after", "después"),
    **each("since", "desde"),
    **each("at", "alas sobre hacia"),
    **each("for", "durante"),
    **each("end", "fin final finales"),
    **each("same", "misma mismo"),
    **each("of", "de del"),
    **each("the", "el los lo"),
    **each("mid", "mediados"),
    **each("counted", "personas persona gente invitados asistentes participantes adultos"
                      " niños plazas"),
    **each("skip", "la las para por favor porfa usted ustedes alguien ella"),
}

_NEXT = {f"{day} que viene": f"próximo {day}" for day in
         ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")}

PHRASES = {
    "a primera hora": "firstthing",
    "primera hora": "firstthing",
    "despues de comer": "afterlunch",
    "despues del almuerzo": "afterlunch",
    "despues de almorzar": "afterlunch",
    "despues del trabajo": "afterwork",
    "al salir del trabajo": "afterwork",
    "temprano por la manana": "earlymorning",
    "a ultima hora de la tarde": "lateafternoon",
    "ultima hora de la tarde": "lateafternoon",
    "a finales de semana": "a finales de la semana",
    "semana q viene": "próxima semana",
    "la semana q viene": "la próxima semana",
    **_NEXT,
    "pasado mañana": "pasadomañana",
    "por la mañana": "pormañana",
    "de la mañana": "pormañana",
    "en la mañana": "pormañana",
    "esta mañana": "hoy pormañana",
    "por la tarde": "tarde",
    "de la tarde": "tarde",
    "en la tarde": "tarde",
    "esta tarde": "hoy tarde",
    "por la noche": "noche",
    "de la noche": "noche",
    "en la noche": "noche",
    "esta noche": "estanoche",
    "fin de semana": "findesemana",
    "fines de semana": "findesemana",
    "días hábiles": "hábiles",
    "media hora": "30 minutos",
    "una hora y media": "90 minutos",
    "hora y media": "90 minutos",
    "semana que viene": "próxima semana",
    "mes que viene": "próximo mes",
    "año que viene": "próximo año",
    "a la una": "alas 1",
    "la una": "alas 1",
    "a las": "alas",
    "a la": "alas",
    "sobre las": "alas",
    "alrededor de las": "alas",
    "desde las": "desde",
    "a partir de las": "desde",
    "a partir del": "desde",
    "a partir de": "desde",
    "antes de las": "antes",
    "antes del": "antes",
    "antes de": "antes",
    "después de las": "después",
    "después del": "después",
    "después de": "después",
    "hasta las": "hasta",
    "dentro de": "en",
    "en menos de": "dentro",
    "menos de": "dentro",
    "más tarde": "mastarde",
    "más temprano": "mastemprano",
    "en punto": "punto",
    "lo antes posible": "ahora",
    "cuanto antes": "ahora",
    "a la misma hora": "misma hora",
}

INTENTS = {
    "help": (
        r"^\W*(ayuda|help|/help|/start|menu|comandos)\W*$",
        r"\b(que puedes hacer|como funciona)\b",
        r"^\W*\?+\W*$",
    ),
    "cancel": (
        r"\b(cancel\w*|anul\w*|borra\w*|elimin\w*)\b",
        r"\bno (puedo|podre|voy a poder) (ir|asistir)\b",
    ),
    "reschedule": (
        r"\b(mover|muev\w*|cambi\w*|reprogram\w*|aplaz\w*|pospon\w*|posterg\w*|traslad\w*)\b",
        r"\bpas(a|ar|arlo|arla|ame|amos|emos)\b.*\b(a|al|para)\b",
    ),
    "list": (
        r"\b(mis|todas mis|proximas) (citas|reservas|reuniones|llamadas)\b",
        r"\bque (tengo|he reservado)\b",
        r"\bque (citas|reservas|reuniones) tengo\b",
        r"^\W*(citas|reservas|agenda)\W*$",
    ),
    "strongbook": (r"\b(reserv\w*|agend\w*|program\w*|apunta\w*)\b",),
    "confirm": (
        r"\W*(de acuerdo|me va bien|me sirve|me viene bien|esta bien|perfecto|adelante"
        r"|por supuesto|claro que si)\b",
    ),
    "deny": (r"\W*(mejor no|no me (va|sirve|viene)|ninguna?)\b",),
    "availability": (
        r"\b(libres?|disponibles?|disponibilidad|huecos?|hueco libre|tienes tiempo"
        r"|tiene tiempo|hay algo|algo libre|cuando (puede|puedes|esta|hay)"
        r"|tienes algo|tiene algo|tienen algo|tienes hueco)\b",
        r"^\W*(hay|habra)\b",
    ),
    "book": (
        r"\b(cita|reunion|llamada|consulta|sesion|quedar)\b",
        r"\b(quiero|quisiera|me gustaria|necesito|puedo|podemos|podria)\b",
    ),
}

CONFIRM = wordset("si sí vale ok okay claro perfecto genial dale listo bien correcto exacto "
                  "confirmo confirmado bueno 👍 ✅ 👌")
DENY = wordset("no nop nope nel negativo 👎 ❌")

VOCABULARY = Vocabulary(
    code="es",
    words=WORDS,
    phrases=PHRASES,
    intents=INTENTS,
    confirm_words=CONFIRM,
    deny_words=DENY,
    with_words=("con",),
    choice_words=wordset("el la opción opcion número numero # por favor gracias quiero"),
    spellings={"mñn": "mañana", "mñna": "mañana", "mñana": "mañana", "mnn": "mañana",
               "manana": "mañana", "mana": "mañana", "hoi": "hoy", "prox": "próximo",
               "x": "por"},
    common_words=wordset(
        "yo tu tú usted nosotros el la los las lo un una de del que y o en con para por se"
        " es son está estás hay tienes tiene tengo puedo podemos puede quiero quisiera"
        " cita hora mejor no si sí gracias favor porfa bien muy algo alguna vienes viene"
        " comer semana pero como cuando me te nos le"
        " casa oficina trabajo reunión reuniones clase viaje vacaciones camino coche tren"
        " escuela hotel playa ciudad centro"),
    greetings=(r"\bbuen(?:os|as)?\s+(?:dias|tardes|noches)\b", r"^\W*(?:hola|buenas|que\s+tal)\b",
               r"\b(?:que\s+)?(?:tengas?|tenga)\s+(?:un\s+)?buen(?:a)?\s+(?:dia|tarde|noche|fin\s+de\s+semana)\b"),
    thanks=(r"\b(?:(?:muchas|mil)\s+)?gracias\b",),
    restart=(r"\b(?:empezar|comenzar|empecemos|empezamos)\s+(?:de\s+nuevo|otra\s+vez|de\s+cero)\b",
             r"\bvolver\s+a\s+empezar\b", r"\bdesde\s+(?:el\s+principio|cero)\b",
             r"\breiniciar\b"),
    shift_later=(r"\bretras\w*\b", r"\batras\w*\b", r"\bposponer\w*\b"),
    shift_earlier=(r"\badelant\w*\b",),
    negation=(r"(?<=\w)\s+no\b(?=\s*[,.;!-]|\s+mejor)", r"\bno\s+(?:el\s+)?(?=\w)"),
    early=(r"\b(?:principios?|comienzos?)\b",),
    instead=(r"\ben\s+(?:vez|lugar)\s+del?\s+(?:el\s+)?(?=\w)",),
    paging={"earlier": r"\b(?:mas\s+temprano|antes)\b",
            "later": r"\bmas\s+tarde\b",
            "other_day": r"\b(?:otro|otra)\s+(?:dia|fecha)\b"},
    whole_series=(r"\btoda\s+la\s+serie\b",
                  r"\bla\s+serie\s+(?:completa|entera)\b",
                  r"\btodas\s+las\s+(?:citas|sesiones|reuniones|reservas)\s+de\s+la\s+serie\b"),
)
