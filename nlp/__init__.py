"""Text → :class:`BookingRequest` (DESIGN 3.4).

``parse(text, now=, tz=, lang=, hosts=, event_types=, context=)`` reads one chat
message in English, German, Spanish, French or Portuguese (other languages:
dates through dateparser). Call :func:`warm_up` once at start-up.

Conventions the conversation can rely on:

* A point ("Friday 3pm") has ``end=None``; a window has an exclusive ``end``:
  a whole day ("on Monday", "Dec 3") is midnight to midnight, "next week" is
  Monday to Monday, "between 2 and 4pm" is 14:00–16:00.
* Parts of day: morning 06–12, afternoon 12–18, evening 17–22, night 19–24,
  tonight 17–24, "end of day" 17–24. "mid-March" is March 11–20, "end of
  March" March 25–31; as a range end or a before/after bound they mean their
  edge ("from mid-March" = March 16, "by end of day" = midnight).
* "15h"/"1h30": a clock time for 13–23h or after a time cue ("at", "à", "um",
  "a las", "às", "from", ...), a duration after "for"/"pendant"/"in"; without
  a cue a duration in English, and in de/es/fr/pt a clock time next to a day
  or for 7–12h, else a duration ("1h30 avec Ana"). "2-3 people" is no time.
* "before 10" runs from the start of the day (or now, today) to 10:00;
  "after 3pm" from 15:00 to midnight; "after/since Friday" opens a 7-day window.
* A time without a day is today if still ahead, else tomorrow; with a
  ``context`` it falls on the context's day ("no, 4pm"). A bare hour is read
  in business hours: "at 4" → 16:00, "at 9" → 09:00.
* "next Friday" is the Friday of next calendar week, in every language.
* "the second one", "option 3", "2nd" set ``choice`` with intent ``confirm``;
  a digit ordinal ("the 2nd") also sets ``start`` to that day of the month.
* A denial with a time ("no, 4pm") is intent ``deny`` with the new ``start``;
  "an hour later" / "same time on Friday" resolve against ``context``.
* A repeated meeting ("every Tuesday at 10", "weekly", "every other week",
  "every Monday and Wednesday", "jeden Dienstag", "todos los martes", "tous
  les mardis", "toda terça") sets ``recurrence`` to an RRULE body without
  DTSTART (``FREQ=WEEKLY;BYDAY=TU;COUNT=4``) and ``start`` to the first
  occurrence: the next such day at the time said (a whole-day window when no
  time is said). "for 4 weeks", "6 times", "until Dec 20" end it (``COUNT``,
  or ``UNTIL`` at the local day's 23:59:59); without an end it has
  :data:`nlp.recurrence.DEFAULT_COUNT` (4) occurrences, never unbounded.
* Texts over :data:`MAX_CHARS` characters are not parsed (intent ``unknown``).

Chat messages (issue 9):

* **Zones in the text** ("4:30pm Chicago time", "EST", "GMT+1", "UTC-3",
  "+05:30", "Europe/Lisbon", "Wiener Zeit", "hora de Bogotá", "heure de
  Montréal", "horário de Brasília", "8:30am Eastern") set ``zone``; the times
  and days are read in that zone ("morgen" is tomorrow there) and converted to
  ``tz``. Places come from CLDR (Babel) and GeoNames (:mod:`nlp.places`). A
  regional abbreviation is its region's local time (``zone.regional``); an
  ambiguous one (IST, CST, BST, AST) has ``zone.choices`` and its times are
  the reader's wall clock until :meth:`BookingRequest.in_zone`.
* **Own zone**: "I'm based in Chicago", "ich bin in Wien", "vivo en Bogotá",
  "je suis à Bruxelles", "moro em Porto", "I'm on EST" set ``own_zone`` (a
  region, never a bare offset) and read the message's times there.
* **Greetings and thanks** ("good evening", "Guten Morgen", "bom dia",
  "merci") set ``pleasantry`` and are never times; "start over" sets
  ``restart``.
* **Chat spelling**: abbreviations ("tmw", "2day", "nxt wk", "sxta", "dem1")
  are vocabulary; misspelled day, month and relative words ("frday",
  "Donnerstg", "biernes") are corrected by :mod:`nlp.spelling` (one edit,
  two for long words, never a common word).
* **Clock forms**: "2115", "0800-0930", "Dec 3 1430" (a four-digit number
  after a date is a time below 1900), "9h30", "midi et demi", "dreiviertel drei".
* **Shifts**: "45 minutes later", "push it back an hour", "eine halbe Stunde
  früher", "retrasarla una hora", "avancer de 30 minutes" set ``shift``;
  with a ``context`` slot ``start`` is that slot moved, without one (a change
  of the guest's booking) ``start`` is None and the intent ``reschedule``.
* **Moves**: "move it from Thu to Fri", "von Montag auf Dienstag", "del
  lunes al martes" set ``instead_of`` (the old day) and the new day, the first
  such day after the old one; "not Thursday, Friday" rules Thursday out
  (``instead_of``) and asks for Friday (intent ``deny``).
* **Alternatives**: "Friday or Monday morning" sets ``windows`` (in time
  order; ``start``/``end`` are the first). A time of day said after the last
  day holds for every day; a day said once holds for every time; a week
  ("Monday or Tuesday next week") for every weekday. Each weekday resolves on
  its own ("Monday or Tuesday" said on a Tuesday: today and next Monday).
* **Vague windows**: "first thing" 08–10, "early morning" 06–09, "after
  lunch" 13–17, "late afternoon" 15–18, "after work" 17–20; "early next
  week" Monday–Wednesday; "sometime next week" the whole week; "end of the
  week" Friday–Sunday (in every language).
* **Language**: without ``lang`` (or when the text is clearly in another of
  the five, by two words or more) the language is read from the text
  (:mod:`nlp.detect`); ``BookingRequest.lang`` says which.
* **Event types**: ``aliases`` ("Beratung" → "consultation") and titles
  misspelled by an edit or two ("consultaton").
"""

from nlp.parse import MAX_CHARS, parse, warm_up
from nlp.request import BookingRequest, Intent

__all__ = ["MAX_CHARS", "BookingRequest", "Intent", "parse", "warm_up"]
