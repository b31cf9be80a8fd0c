"""German vocabulary."""

from nlp.lang import Vocabulary, each, numbers, tagged, wordset

_UNITS = {
    "null": 0, "eins": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13,
    "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18,
    "neunzehn": 19,
}
_TENS = {"zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50}
_ORDINAL_STEMS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7,
    "acht": 8, "neunt": 9, "zehnt": 10, "elft": 11, "zwölft": 12, "zwanzigst": 20,
    "dreißigst": 30,
}
_ORDINALS = {stem + ending: n for stem, n in _ORDINAL_STEMS.items()
             for ending in ("e", "en", "er", "es", "em")}
_WEEKDAYS = {
    "montag": 0, "mo": 0, "dienstag": 1, "di": 1, "mittwoch": 2, "mi": 2, "donnerstag": 3,
    "freitag": 4, "fr": 4, "samstag": 5, "sonnabend": 5, "sa": 5, "sonntag": 6,
}
_MONTHS = {
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feb": 2, "märz": 3, "mrz": 3,
    "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "dezember": 12, "dez": 12,
}
_TIME_UNITS = {
    "minute": "minute", "minuten": "minute", "min": "minute", "minütig": "minute",
    "minütige": "minute", "minütigen": "minute", "minütiger": "minute", "minütiges": "minute",
    "stunde": "hour", "stunden": "hour", "std": "hour", "stündig": "hour",
    "stündige": "hour", "stündigen": "hour", "stündiger": "hour", "stündiges": "hour",
    "tag": "day", "tage": "day", "tagen": "day", "woche": "week", "wochen": "week",
    "monat": "month", "monate": "month", "monaten": "month", "monats": "month",
    "jahr": "year", "jahre": "year", "jahren": "year", "jahres": "year",
    "wochenende": "weekend", "arbeitswoche": "workweek", "werktage": "bday", "werktagen": "bday",
    "arbeitstage": "bday", "arbeitstagen": "bday",
}


def _declined(stems: dict[str, object]) -> dict[str, object]:
    return {stem + ending: value for stem, value in stems.items()
            for ending in ("e", "en", "er", "es", "em")}


WORDS = {
    **each("or", "oder"),
    **each("to", "auf"),
    **numbers(_UNITS, _TENS),
    **tagged("ord", _ORDINALS),
    **tagged("wd", _WEEKDAYS),
    **tagged("mon", _MONTHS),
    **tagged("unit", _TIME_UNITS),
    **tagged("dayrel", {"heute": 0, "morgen": 1, "übermorgen": 2, "gestern": -1,
                        "vorgestern": -2}),
    **tagged("rel", {**_declined({"nächst": "next", "folgend": "next", "dies": "this",
                                  "kommend": "coming", "letzt": "last",
                                  "vorig": "last", "vergangen": "last"})}),
    **tagged("part", {
        "morgens": "morning", "früh": "morning", "vormittag": "morning", "vormittags": "morning",
        "nachmittag": "afternoon", "nachmittags": "afternoon", "abend": "evening",
        "abends": "evening", "nacht": "night", "nachts": "night", "heuteabend": "tonight",
    }),
    **tagged("clock", {"mittag": (12, 0), "mittags": (12, 0), "mitternacht": (0, 0)}),
    **each("oclock", "uhr h"),
    **each("halbhour", "halb"),
    **each("quarter", "viertel"),
    **each("art", "ein eine einen einem einer eines", 1),
    **each("now", "jetzt sofort"),
    **each("later", "später danach"),
    **each("earlier", "früher"),
    **each("in", "in binnen"),
    **each("within", "innerhalb"),
    **each("from", "von vom"),
    **each("until", "bis"),
    **each("between", "zwischen"),
    **each("and", "und"),
    **each("before", "vor"),
    **each("after", "nach"),
    **each("since", "ab seit"),
    **each("at", "um gegen ca etwa"),
    **each("for", "für"),
    **each("end", "ende"),
    **tagged("same", _declined({"gleich": None, "selb": None})),
    **tagged("rest", {"restwoche": "week", "restmonat": "month"}),
    **each("of", "des"),
    **each("the", "am den der dem die das im"),
    **each("mid", "mitte"),
    **each("counted", "personen person leute gäste teilnehmer teilnehmende erwachsene kinder"
                      " plätze"),
    **each("skip", "zum zur bitte so mir dir uns ihm ihr ihnen dich mich jemandem"),
}

_PARTS = {"morgen": "morgens", "vormittag": "vormittag", "mittag": "mittag",
          "nachmittag": "nachmittag", "abend": "abend", "nacht": "nacht"}
#: German writes "Samstagvormittag" as one word: split weekday and part of day.
_COMPOUNDS = {f"{day}{part}": f"{day} {spelled}" for day in
              ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
              for part, spelled in _PARTS.items()}

PHRASES = {
    "dreiviertel": "viertel vor",
    "drei viertel": "viertel vor",
    "als erstes": "firstthing",
    "als erstes morgens": "firstthing",
    "gleich morgens": "firstthing",
    "nach dem mittagessen": "afterlunch",
    "nach der mittagspause": "afterlunch",
    "nach dem essen": "afterlunch",
    "nach der arbeit": "afterwork",
    "nach feierabend": "afterwork",
    "fruh morgens": "earlymorning",
    "fruhmorgens": "earlymorning",
    "am fruhen morgen": "earlymorning",
    "am spaten nachmittag": "lateafternoon",
    "spaten nachmittag": "lateafternoon",
    "spatnachmittags": "lateafternoon",
    "nächste wo": "nächste woche",
    "in weniger als": "innerhalb",
    "weniger als": "innerhalb",
    **_COMPOUNDS,
    "heute morgen": "heute morgens",
    "heute früh": "heute morgens",
    "am morgen": "morgens",
    "heute abend": "heuteabend",
    "heute nacht": "heute nachts",
    "eine halbe stunde": "30 minuten",
    "einer halben stunde": "30 minuten",
    "halbe stunde": "30 minuten",
    "halben stunde": "30 minuten",
    "anderthalb stunden": "90 minuten",
    "eineinhalb stunden": "90 minuten",
    "einer stunde und einer halben": "90 minuten",
    "in einer woche": "in 1 woche",
    "heute in einer woche": "in 1 woche",
    "so bald wie möglich": "jetzt",
    "so schnell wie möglich": "jetzt",
    "asap": "jetzt",
    "zur gleichen zeit": "gleiche zeit",
    "um die gleiche zeit": "gleiche zeit",
    "ende der woche": "ende woche",
    "ende des monats": "ende monats",
    "ende nächster woche": "ende nächste woche",
    "rest der woche": "restwoche",
    "rest des monats": "restmonat",
    "später diese woche": "restwoche",
    "im laufe der woche": "restwoche",
}

INTENTS = {
    "help": (
        r"^\W*(hilfe|help|/help|/start|befehle|menu|menü)\W*$",
        r"\b(was kannst du|wie funktioniert (das|es)|wie geht das)\b",
        r"^\W*\?+\W*$",
    ),
    "cancel": (
        r"\b(absag\w*|sage?\b.*\bab|storn\w*|loschen|losch|streichen|abbrechen)\b",
        r"\b(kann|konnen) (doch )?nicht (kommen|teilnehmen)\b",
    ),
    "reschedule": (
        r"\b(verschieb\w*|verleg\w*|umbuch\w*|umleg\w*)\b",
        r"\b(andern|anderung)\b",
    ),
    "list": (
        r"\b(meine|alle|kommenden) (termine|buchungen|reservierungen|meetings|gesprache)\b",
        r"\bwas habe ich (gebucht|vor)\b",
        r"\b(welche|was fur) (termine|buchungen) (habe|hab) ich\b",
        r"^\W*(termine|buchungen|ubersicht)\W*$",
    ),
    "strongbook": (r"\b(buch\w*|reservier\w*|vereinbar\w*|einplanen|eintragen)\b",),
    "confirm": (
        r"\W*(passt( mir| gut| perfekt)?|in ordnung|geht klar|einverstanden|gerne|machen wir"
        r"|klingt gut|sehr gut|alles klar)\b",
    ),
    "deny": (
        r"\W*(lieber nicht|passt (mir )?nicht|geht nicht|keine?r? davon|auf keinen fall)",
    ),
    "availability": (
        r"\b(hast du|habt ihr|haben sie|hatte|hattest|hattet|hatten sie|hat)\b.*\bzeit\b",
        r"\b(hast du|habt ihr|haben sie|gibt es) (noch )?(was|etwas)\b",
        r"\b(frei|freie|freien|verfugbar\w*|verfugbarkeit|zeit hast|zeit habt|zeit haben"
        r"|noch (was|etwas) (frei|offen)|wann (hat|hast|habt|ist|sind|geht|konnte)|lucke)\b",
    ),
    "book": (
        r"\b(termin|treffen|gesprach|anruf|call|meeting|beratung|sitzung)\b",
        r"\b(ich|wir) (mochte|mochten|hatte gern|hatten gern|will|wollen|brauche|brauchen)\b",
        r"\b(kann|konnte|konnen) (ich|wir)\b",
    ),
}

CONFIRM = wordset("ja jo jap jep jawohl japp ok okay klar gerne genau passt perfekt super prima "
                  "gut bestätigt korrekt richtig sicher einverstanden 👍 ✅ 👌")
DENY = wordset("nein nee ne nö nope negativ falsch 👎 ❌")

VOCABULARY = Vocabulary(
    code="de",
    words=WORDS,
    phrases=PHRASES,
    intents=INTENTS,
    confirm_words=CONFIRM,
    deny_words=DENY,
    with_words=("mit",),
    choice_words=wordset("die der das den option nummer nr # nehme ich bitte danke"),
    dotted_ordinals=True,
    spellings={"morgn": "morgen", "mrgn": "morgen", "übermorgn": "übermorgen",
               "nachm": "nachmittag",
               "vorm": "vormittag", "nä": "nächste", "nächst": "nächste",
               "mo": "montag", "di": "dienstag", "mi": "mittwoch", "do": "donnerstag",
               "fr": "freitag", "sa": "samstag", "so": "sonntag", "std": "stunde"},
    common_words=wordset(
        "ich du wir sie er es ist bin bist sind hast hat haben habe kann können könnten konnen"
        " geht ginge passt mit und oder bitte nicht nein ja einen eine ein der die das den dem"
        " zeit termin treffen gerne gern danke mal auch noch schon lieber wie wann was wäre"
        " würde möchte hätte gibt es uns euch ihr meine meinen mein dein für"
        " hause haus büro arbeit eile ordnung urlaub besprechung sitzung zug auto stadt"
        " schule hotel ganze ganzen absagen"),
    greetings=(r"\bguten\s+(?:morgen|tag|abend)\b", r"\bgute\s+nacht\b",
               r"\b(?:einen\s+)?schonen\s+(?:abend|tag|morgen|nachmittag|wochenende)(?:\s+noch)?\b",
               r"^\W*(?:hallo|moin(?:\s+moin)?|servus|gruss\s+gott|gruezi|hi|hey)\b"),
    thanks=(r"\b(?:danke(?:\s*schon|\s+sehr|\s+dir|\s+euch|\s+ihnen)?|vielen\s+dank|besten\s+dank"
            r"|merci)\b",),
    restart=(r"\b(?:(?:nochmal|noch\s+mal|ganz)\s+)?von\s+vorne?\b",
             r"\b(?:neu\s+anfangen|neustart|nochmal\s+anfangen|neu\s+starten)\b"),
    shift_later=(r"\bnach\s+hinten\b", r"\bverschieben\b(?=.*\bspater\b)", r"\bverzogern\b"),
    shift_earlier=(r"\bvorverlegen\b", r"\bnach\s+vorne?\b", r"\bvorziehen\b"),
    negation=(r"\bnicht\s+(?:am\s+)?(?=\w)", r"(?<=\w)\s+geht\s+nicht\b", r"(?<=\w)\s+nicht\b"),
    early=(r"\banfang\b",),
    instead=(r"\b(?:statt|anstatt|anstelle\s+von)\s+(?:am\s+)?(?=\w)",),
    paging={"earlier": r"\b(?:fruher|eher)\b",
            "later": r"\bspater\b",
            "other_day": r"\b(?:ander(?:e|en|er|es)|nachsten?)\s+tag\b"},
    whole_series=(r"\b(?:ganze|ganzen|gesamte|gesamten|komplette|kompletten)\s+(?:serie|reihe|terminserie)\b",
                  r"\balle\s+termine\s+der\s+(?:serie|reihe|terminserie)\b"),
)
