"""English vocabulary."""

from nlp.lang import Vocabulary, each, numbers, tagged, wordset

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "thousand": 1000}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
    "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2,
    "wed": 2, "weds": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3,
    "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_TIME_UNITS = {
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "m": "minute", "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour",
    "h": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week",
    "wk": "week", "wks": "week", "fortnight": "fortnight", "fortnights": "fortnight",
    "month": "month", "months": "month", "year": "year", "years": "year",
    "weekend": "weekend", "weekends": "weekend", "workweek": "workweek",
    "bdays": "bday",
}

WORDS = {
    **each("or", "or"),
    **numbers(_UNITS, _TENS),
    **tagged("ord", _ORDINALS),
    **tagged("wd", _WEEKDAYS),
    **tagged("mon", _MONTHS),
    **tagged("unit", _TIME_UNITS),
    **tagged("dayrel", {
        "today": 0, "otd": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tomorow": 1, "tommorow": 1,
        "yesterday": -1, "dayaftertomorrow": 2, "daybeforeyesterday": -2,
    }),
    **tagged("rel", {
        "this": "this", "next": "next", "following": "next", "coming": "coming",
        "upcoming": "coming", "last": "last", "previous": "last",
    }),
    **tagged("part", {
        "morning": "morning", "mornings": "morning", "afternoon": "afternoon",
        "afternoons": "afternoon", "evening": "evening", "evenings": "evening",
        "night": "night", "tonight": "tonight", "tonite": "tonight",
    }),
    **tagged("clock", {"noon": (12, 0), "midday": (12, 0), "noonish": (12, 0),
                       "lunch": (12, 0), "lunchtime": (12, 0), "midnight": (0, 0)}),
    **each("ordsuf", "st nd rd th"),
    **each("ampm", "am", "am"),
    **each("ampm", "pm", "pm"),
    **each("oclock", "oclock"),
    **each("half", "half"),
    **each("quarter", "quarter"),
    **each("past", "past"),
    **each("art", "a an", 1),
    **each("now", "now"),
    **each("later", "later"),
    **each("fromnow", "fromnow hence"),
    **each("ago", "ago"),
    **each("earlier", "earlier sooner"),
    **each("in", "in"),
    **each("within", "within"),
    **each("from", "from"),
    **each("to", "to through thru"),
    **each("until", "until till"),
    **each("between", "between"),
    **each("and", "and"),
    **each("before", "before by"),
    **each("after", "after"),
    **each("orlater", "orlater"),
    **each("since", "since starting beginning commencing"),
    **each("at", "at around about approximately approx"),
    **each("for", "for"),
    **each("end", "end"),
    **each("same", "same"),
    **each("mid", "middle mid"),
    **each("counted", "people persons person guests attendees participants pax adults kids"
                      " children seats"),
    **each("skip", "on early late sometime me you us him her them someone somebody anyone"),
    **each("of", "of"),
    **each("the", "the"),
    **each("oclock", "ish"),
    **each("num", "couple", 2),
    **tagged("rest", {"laterthisweek": "laterweek", "laterthismonth": "month",
                      "restofweek": "week", "restofmonth": "month"}),
    **each("weekoff", "weekafternext", 2),
}

PHRASES = {
    "first thing in the morning": "firstthing",
    "first thing": "firstthing",
    "after lunch": "afterlunch",
    "after lunchtime": "afterlunch",
    "after work": "afterwork",
    "after the office": "afterwork",
    "early morning": "earlymorning",
    "early in the morning": "earlymorning",
    "late afternoon": "lateafternoon",
    "late in the afternoon": "lateafternoon",
    "the day after tomorrow": "dayaftertomorrow",
    "day after tomorrow": "dayaftertomorrow",
    "the day before yesterday": "daybeforeyesterday",
    "day before yesterday": "daybeforeyesterday",
    "the week after next": "weekafternext",
    "week after next": "weekafternext",
    "half an hour": "30 minutes",
    "a half hour": "30 minutes",
    "half hour": "30 minutes",
    "an hour and a half": "90 minutes",
    "one and a half hours": "90 minutes",
    "an hour and half": "90 minutes",
    "hour and a half": "90 minutes",
    "a couple of": "2",
    "couple of": "2",
    "a couple": "2",
    "from now": "fromnow",
    "eod": "end of day",
    "cob": "end of day",
    "close of business": "end of day",
    "in less than": "within",
    "less than": "within",
    "or later": "orlater",
    "or after": "orlater",
    "and later": "orlater",
    "and after": "orlater",
    "right now": "now",
    "no later than": "before",
    "not later than": "before",
    "at the latest": "",
    "not before": "after",
    "no earlier than": "after",
    "not earlier than": "after",
    "at the moment": "now",
    "at the minute": "now",
    "at present": "now",
    "at the present time": "now",
    "at this time": "now",
    "as soon as possible": "now",
    "asap": "now",
    "later this week": "laterthisweek",
    "later in the week": "laterthisweek",
    "later this month": "laterthismonth",
    "later in the month": "laterthismonth",
    "rest of the week": "restofweek",
    "remaining of the week": "restofweek",
    "remainder of the week": "restofweek",
    "rest of the month": "restofmonth",
    "w/c": "week commencing",
    "business days": "bdays",
    "business day": "bdays",
    "working days": "bdays",
    "working day": "bdays",
    "work days": "bdays",
    "workdays": "bdays",
    "mid night": "midnight",
    "mid day": "midday",
    "o'clock": "oclock",
    "o clock": "oclock",
    "this past": "last",
    "work week": "workweek",
    "working week": "workweek",
}

_STRONG_BOOK = r"\b(book|booking|schedule|reserve|sign me up|set up|arrange)\b"

INTENTS = {
    "help": (
        r"^\W*(help|/help|/start|commands|menu)\W*$",
        r"\b(what can you do|how does (this|it) work|how do i (use|book))\b",
        r"^\W*\?+\W*$",
    ),
    "cancel": (
        r"\b(cancel\w*|call off|call it off|delete|remove|drop)\b",
        r"\b(can'?t|cannot|won'?t be able to) make it\b",
    ),
    "reschedule": (
        r"\b(re-?schedul\w*|re-?book|move|shift|push|postpone|rearrange|bring forward|switch"
        r"|swap)\b",
        r"\bchange\b.*\b(booking|appointment|meeting|call|time|session|reservation)\b",
    ),
    "list": (
        r"\b(my|upcoming|list( of)?|all)\b.*\b(bookings?|appointments?|meetings?|calls?"
        r"|reservations?|sessions?)\b",
        r"\bwhat (do i have|have i booked|is booked)\b",
        r"\b(do|have) i (have|got) (anything|something|any \w+)"
        r" (booked|scheduled|planned|coming up)",
        r"^\W*(list|bookings|appointments|agenda)\W*$",
    ),
    "strongbook": (_STRONG_BOOK,),
    "confirm": (
        r"\W*(no (problem|worries)|sounds (good|great|perfect)|that works|works for me|go ahead"
        r"|do it|book it"
        r"|please do|let'?s do (it|that)|that'?s (fine|great|perfect)|of course)\b",
    ),
    "notanswer": (r"\W*no (later|earlier|sooner|more|less|longer) than",),
    "deny": (
        r"\W*(not really|no way|doesn'?t work|that doesn'?t|not (that|this) one|none of"
        r"|neither)",
    ),
    "availability": (
        r"\b(free|available|availability|openings?|open slots?|slots?|vacanc\w*|any ?time|anything"
        r"|when (is|are|can|could)|what times?|which times?|are you open|anything open)\b",
    ),
    "book": (
        r"\b(meet|meeting|appointment|call|session|chat|consult\w*|demo|intro)\b",
        r"\b(could|can|may) (i|we) (get|have|grab|do)\b",
        r"\b(i'?d|i would|we'?d|we would) (like|love)\b",
        r"\b(i|we) (want|need)\b",
        r"\b(let'?s|lets) (meet|talk|do)\b",
    ),
}

CONFIRM = wordset(
    "yes y yep yeah yea yup ya sure ok okay k kk fine perfect great good confirm confirmed"
    " correct right absolutely alright definitely deal works lgtm 👍 ✅ 👌 🙆"
)
DENY = wordset("no n nope nah nay negative wrong 👎 ❌ 🙅")

VOCABULARY = Vocabulary(
    code="en",
    words=WORDS,
    phrases=PHRASES,
    intents=INTENTS,
    confirm_words=CONFIRM,
    deny_words=DENY,
    with_words=("with",),
    choice_words=frozenset(["one", "option", "choice", "number", "slot", "#"]),
    h_is_clock=False,
    default_date_order="dmy",
    month_first_zones=("America/", "US/", "Pacific/Honolulu"),
    short_meridiem=True,
    spellings={"tmw": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
               "2mrw": "tomorrow", "2mro": "tomorrow", "tomoz": "tomorrow", "2day": "today",
               "tdy": "today", "2nite": "tonight", "nxt": "next", "wknd": "weekend",
               "arvo": "afternoon", "aftn": "afternoon", "mornin": "morning", "morn": "morning",
               "wensday": "wednesday", "wendsday": "wednesday", "thurs": "thursday",
               "satday": "saturday", "hr": "hour", "hrs": "hours"},
    common_words=wordset(
        "i you we me my our your it is are am be can could would will do does did have has"
        " any anything the a an to for with on at in of and or but not please pls plz thanks"
        " what when how which who there this that works work good free time meet call book"
        " like want need let's lets maybe sure let get see then so just some would great"
        " money monkey match mine"
        " home house office work bed town city village beach hotel airport school hospital"
        " meeting reunion trouble hope love car train bus plane transit vacation holiday"),
    greetings=(r"\bgood\s+(?:morning|afternoon|evening|night|day)\b",
               r"\bhave\s+a\s+(?:good|great|nice|lovely)\s+(?:morning|afternoon|evening|night"
               r"|day|weekend)\b",
               r"^\W*(?:hi|hello|hey|hiya|howdy|yo)\b",
               r"^\W*(?:morning|afternoon|evening)\b(?=\s*(?:[!,.]|$))"),
    thanks=(r"\b(?:thanks?|thank\s+you|thx|thnx|ty|cheers|much\s+appreciated|appreciate\s+it)\b",),
    restart=(r"\b(?:start\s+(?:over|again|from\s+scratch)|restart|begin\s+again|from\s+scratch"
             r"|reset)\b",),
    shift_later=(r"\b(?:push\w*|postpone\w*|delay\w*)\b(?:\s+\w+){0,3}?\s+back\b",
                 r"\b(?:push|delay|postpone)\w*\b"),
    shift_earlier=(r"\b(?:bring|move|pull)\w*\b(?:\s+\w+){0,3}?\s+forward\b",),
    negation=(r"\bnot\s+(?:on\s+)?(?=\w)",),
    early=(r"\bearly\b",),
    instead=(r"\binstead\s+of\s+(?:on\s+)?(?=\w)", r"\brather\s+than\s+(?:on\s+)?(?=\w)"),
    paging={"earlier": r"\b(?:earlier|sooner)\b",
            "later": r"\blater\b",
            "other_day": r"\b(?:another|other|different|next)\s+day\b"},
    whole_series=(r"\b(?:whole|entire|full)\s+(?:series|set)\b",
                  r"\ball\s+(?:of\s+)?(?:the|my)\s+(?:occurrences|meetings|sessions|bookings|calls)\s+(?:of|in)\s+the\s+series\b",
                  r"\b(?:every|each)\s+occurrence\b"),
)
