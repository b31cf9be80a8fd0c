#!/usr/bin/env bash
# The Slotbot demo: loads examples/hosts.yaml into a fresh SQLite file and plays
# a multi-guest conversation through `slotbot chat` with the clock fixed at
# Monday 30 Nov 2026, 09:00 in Berlin. Run it with `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
export SLOTBOT_DATABASE_URL="sqlite:///$workdir/demo.db"
NOW=2026-11-30T08:00:00+00:00

section() { printf '\n=== %s\n' "$*"; }

section "The host setup: two hosts, Ana in Berlin and Bruno in New York"
slotbot load examples/hosts.yaml

section "Carla books an intro call with Ana (times default to Ana's zone)"
slotbot chat --as carla --name Carla --now "$NOW" <<'MSG'
/start ana
30 min with Ana tomorrow at 10am?
yes
MSG

section "Dan asks for the same time: it's taken, so he gets the nearest free times"
slotbot chat --as dan --name Dan --now "$NOW" <<'MSG'
hi, could I get an intro call with Ana tomorrow at 10am?
2
yes
MSG

section "Erin writes from New York: she reads every time in her own zone"
slotbot chat --as erin --name Erin --tz America/New_York --now "$NOW" <<'MSG'
anything free for an intro call with Ana on Thursday morning?
1
yes
what are my bookings?
MSG

section "Frank joins Bruno's design workshop, a 3-seat event in New York time"
slotbot chat --as frank --name Frank --tz Europe/London --now "$NOW" <<'MSG'
is Bruno free for the design workshop on Wednesday at 4pm?
yes
MSG
slotbot slots bruno workshop --from 2026-12-02 --to 2026-12-02 --tz Europe/London

section "Carla moves her call, then Dan cancels his"
slotbot chat --as carla --name Carla --now "$NOW" <<'MSG'
move my call to Wednesday 3pm
yes
MSG
slotbot chat --as dan --name Dan --now "$NOW" <<'MSG'
cancel my booking
yes
MSG

section "Gil writes in Portuguese from Lisbon; the bot answers in Portuguese"
slotbot chat --as gil --name Gil --tz Europe/Lisbon --lang pt --now "$NOW" <<'MSG'
queria 60 minutos com a Ana na quinta às 15h
sim
MSG

section "Ana checks her week with a host command"
slotbot command --host ana --now "$NOW" upcoming

section "All bookings (UTC)"
slotbot bookings

section "Tuesday afternoon: one tick queues the due reminders and the hosts' digests"
slotbot tick --now 2026-12-01T15:00:00+00:00
slotbot outbox | sed -n '1p;/reminder\|digest/p'
