"""French vocabulary."""

from nlp.lang import Vocabulary, each, numbers, tagged, wordset

_UNITS = {
    "zéro": 0, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "dix sept": 17, "dix huit": 18, "dix neuf": 19,
}
_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50}
_ORDINALS = {
    "premier": 1, "première": 1, "deuxième": 2, "second": 2, "seconde": 2, "troisième": 3,
    "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8,
    "neuvième": 9, "dixième": 10,
}
_WEEKDAYS = {
    "lundi": 0, "lun": 0, "mardi": 1, "mercredi": 2, "mer": 2, "jeudi": 3, "jeu": 3,
    "vendredi": 4, "ven": 4, "samedi": 5, "sam": 5, "dimanche": 6, "dim": 6,
}
_MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "févr": 2, "fév": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "septembre": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "déc": 12,
}
_TIME_UNITS = {
    "minute": "minute", "minutes": "minute", "min": "minute", "mn": "minute",
    "heure": "hour", "heures": "hour", "jour": "day", "jours": "day", "journée": "day",
    "semaine": "week", "semaines": "week", "quinzaine": "fortnight", "mois": "month",
    "an": "year", "ans": "year", "année": "year", "weekend": "weekend",
    "ouvrés": "bday", "ouvrables": "bday",
}

WORDS = {
    **each("or", "ou"),
    **numbers(_UNITS, _TENS),
    **tagged("ord", _ORDINALS),
    **tagged("wd", _WEEKDAYS),
    **tagged("mon", _MONTHS),
    **tagged("unit", _TIME_UNITS),
    **tagged("dayrel", {"aujourdhui": 0, "demain": 1, "aprèsdemain": 2, "hier": -1,
                        "avanthier": -2}),
    **tagged("rel", {"prochain": "next", "prochaine": "next", "suivant": "next",
                     "suivante": "next", "ce": "this", "cet": "this", "cette": "this",
                     "dernier": "last", "dernière": "last", "passé": "last",
                     "passée": "last"}),
    **tagged("part", {"matin": "morning", "matinée": "morning", "aprèsmidi": "afternoon",
                      "soir": "evening", "soirée": "evening", "nuit": "night",
                      "cesoir": "tonight"}),
    **tagged("clock", {"midi": (12, 0), "minuit": (0, 0)}),
    **each("ordsuf", "er re e ème eme"),
    **each("oclock", "h"),
    **each("half", "demie demi"),
    **each("quarter", "quart"),
    **each("tohour", "moins"),
    **each("art", "une", 1),
    **each("now", "maintenant"),
    **each("later", "plustard"),
    **each("earlier", "plustôt"),
    **each("in", "dans en"),
    **each("within", "dici"),
    **each("from", "du"),
    **each("to", "au"),
    **each("until", "jusqua"),
    **each("between", "entre"),
    **each("and", "et"),
    **each("before", "avant"),
    **each("after", "après"),
    **each("since", "depuis"),
    **each("at", "à vers"),
    **each("for", "pendant pour"),
    **each("end", "fin"),
    **each("same", "même"),
    **each("of", "de d des"),
    **each("the", "le la les l"),
    **each("mid", "milieu mi"),
    **each("counted", "personnes gens invités participants adultes enfants places couverts"),
    **each("skip", "svp stp plait moi toi vous nous lui elle eux quelqu'un"),
}

PHRASES = {
    "a la premiere heure": "firstthing",
    "premiere heure": "firstthing",
    "tout debut de matinee": "firstthing",
    "apres le dejeuner": "afterlunch",
    "apres manger": "afterlunch",
    "apres le travail": "afterwork",
    "apres le boulot": "afterwork",
    "tot le matin": "earlymorning",
    "en fin d apres midi": "lateafternoon",
    "fin d apres midi": "lateafternoon",
    "en fin de semaine": "a la fin de la semaine",
    "aujourd hui": "aujourdhui",
    "après demain": "aprèsdemain",
    "avant hier": "avanthier",
    "après midi": "aprèsmidi",
    "ce soir": "cesoir",
    "ce matin": "aujourdhui matin",
    "cet après midi": "aujourdhui aprèsmidi",
    "cette nuit": "cesoir",
    "week end": "weekend",
    "fin de semaine": "weekend",
    "une demi heure": "30 minutes",
    "demi heure": "30 minutes",
    "une heure et demie": "90 minutes",
    "une heure et demi": "90 minutes",
    "jusqu à": "jusqua",
    "jusqu au": "jusqua",
    "à partir de": "depuis",
    "à partir du": "depuis",
    "d ici": "dici",
    "en moins de": "dici",
    "moins de": "dici",
    "plus tard": "plustard",
    "plus tôt": "plustôt",
    "tout de suite": "maintenant",
    "dès que possible": "maintenant",
    "au plus vite": "maintenant",
    "à la même heure": "même heure",
    "fin du mois": "fin mois",
    "fin de mois": "fin mois",
    "fin de la semaine": "fin semaine",
    "jours ouvrés": "ouvrés",
    "jours ouvrables": "ouvrables",
    "dix sept": "17",
    "dix huit": "18",
    "dix neuf": "19",
    "et quart": "et quart",
    "moins le quart": "moins quart",
}

INTENTS = {
    "help": (
        r"^\W*(aide|help|/help|/start|menu|commandes)\W*$",
        r"\b(que (peux|sais) tu faire|comment (ca|cela) marche|comment faire)\b",
        r"^\W*\?+\W*$",
    ),
    "cancel": (
        r"\b(annul\w*|supprim\w*|decommand\w*)\b",
        r"\bje ne (peux|pourrai) pas (venir|y aller)\b",
    ),
    "reschedule": (
        r"\b(deplac\w*|decal\w*|report\w*|chang\w*|modifi\w*|reprogramm\w*|avanc\w*)\b",
    ),
    "list": (
        r"\b(mes|tous mes|prochains) (rendez vous|rdv|reservations|reunions|appels)\b",
        r"\bqu['\s]?est ce que j['\s]?ai (reserve|de prevu)\b",
        r"^\W*(rdv|reservations|agenda)\W*$",
    ),
    "strongbook": (r"\b(reserv\w*|planifi\w*|caler|prendre (un )?(rendez vous|rdv))\b",),
    "confirm": (
        r"\W*(d['\s]?accord|ca marche|ca me va|c['\s]?est (bon|parfait|ok)|tres bien"
        r"|vas y|allons y|avec plaisir|entendu|ca roule)\b",
    ),
    "deny": (r"\W*(pas vraiment|ca ne (me )?(va|marche) pas|aucune?|non merci)\b",),
    "availability": (
        r"\b(libres?|disponibles?|disponibilites?|dispo|creneaux|creneau"
        r"|quand (est|es|peut|peux|etes)|du temps)\b",
        r"\b(tu as|vous avez|avez vous|as tu|y a t il|il y a) (encore )?"
        r"(quelque chose|qqch|un trou)",
    ),
    "book": (
        r"\b(rendez vous|rdv|reunion|appel|consultation|seance|rencontrer)\b",
        r"\b(je voudrais|j['\s]?aimerais|je veux|je souhaite|on peut|puis je|pourrais je)\b",
    ),
}

CONFIRM = wordset("top oui d'accord ouais ouaip ok okay parfait super daccord volontiers bien "
                  "exact exactement confirme confirmé certainement 👍 ✅ 👌")
DENY = wordset("non nan nope négatif 👎 ❌")

VOCABULARY = Vocabulary(
    code="fr",
    words=WORDS,
    phrases=PHRASES,
    intents=INTENTS,
    confirm_words=CONFIRM,
    deny_words=DENY,
    with_words=("avec",),
    choice_words=wordset("le la l option numéro # je prends merci svp stp plait s il vous"),
    elisions=True,
    spellings={"dem1": "demain", "dmain": "demain", "auj": "aujourdhui", "ajd": "aujourdhui",
               "aprem": "aprèsmidi", "aprèm": "aprèsmidi", "aprm": "aprèsmidi",
               "pro": "prochaine", "proch": "prochaine", "sem": "semaine"},
    common_words=wordset(
        "je tu il elle nous vous on le la les l un une de du des d et ou a à au aux en est"
        " suis es sont avec pour pas ne oui non merci rendez vous rdv demain heure on peut"
        " pouvez voudrais veux possible ça ca c qu que quand bien plutôt plutot mon ma mes"
        " disponible dispo créneau creneau pointe"
        " maison bureau travail réunion retard vacances route voiture train école hôtel"
        " plage ville centre"),
    greetings=(r"^\W*(?:bonjour|bonsoir|salut|coucou|hello)\b", r"\bbonjour\b", r"\bbonsoir\b",
               r"\bbonne\s+(?:journee|soiree|nuit|matinee|apres[\s-]*midi|fin\s+de\s+journee"
               r"|semaine|week[\s-]*end)\b"),
    thanks=(r"\bmerci(?:\s+beaucoup|\s+bien)?\b",),
    restart=(r"\b(?:on\s+)?recommence\w*\b", r"\brepartir\s+de\s+zero\b",
             r"\b(?:depuis|du)\s+(?:le\s+)?debut\b", r"\breprendre\s+a\s+zero\b"),
    shift_later=(r"\b(?:decal|retard|repouss)\w*\b",),
    shift_earlier=(r"\bavanc\w*\b",),
    negation=(r"\bpas\s+(?:le\s+)?(?=\w)", r"(?<=\w)\s+non\b(?=\s*[,.;!-])"),
    early=(r"\bdebut\b",),
    instead=(r"\bau\s+lieu\s+d[eu]?\s*(?=\w)", r"\bplutot\s+\S+(?P<cue>\s+que\s+)(?=\w)"),
    paging={"earlier": r"\bplus\s+tot\b",
            "later": r"\bplus\s+tard\b",
            "other_day": r"\b(?:un\s+)?autre\s+(?:jour|date)\b"},
    whole_series=(r"\btoute\s+la\s+serie\b",
                  r"\bla\s+serie\s+(?:entiere|complete)\b",
                  r"\btous\s+les\s+(?:rendez\s+vous|rdv|creneaux)\s+de\s+la\s+serie\b"),
)
