"""A host's own email templates and branding: overrides, the sandbox, escaping, load errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.setup_file import SetupError, read_setup
from mail import render_email
from mail.host_mail import VARIABLES, HostMail
from mail.samples import contexts
from mail.template_folder import TemplateFolderError, check, read_folder
from tests.golden import assert_golden
from tests.unit.test_mail import BASE, SENDER, STAMP, TO_GUEST, TO_HOST

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "mail-templates"
BRAND = HostMail(name="Lima Coaching", color="#0b7285", logo_url="https://example.com/logo.png")
CONFIRMED = {**BASE, **TO_GUEST}


def _email(kind: str, host: HostMail | None, **extra: object):
    payload = {**CONFIRMED, **extra}
    recipient = "ana@example.com" if payload["reader"] == "host" else "erin@example.com"
    return render_email(kind, payload, recipient=recipient, stamp=STAMP, sender=SENDER,
                        host=host)


def test_a_hosts_templates_replace_subject_text_and_html_of_their_kind_only():
    host = HostMail(templates={
        "booking_confirmed.subject.txt": "Confirmed {{ event_type }} #{{ booking_id }}\n",
        "booking_confirmed.txt": "Dear {{ guest_name }}: {{ when }}\n",
        "booking_confirmed.html": "<p>Dear {{ guest_name }}</p>\n",
    })
    mine = _email("booking_confirmed", host)
    assert (mine.subject, mine.text, mine.html) == (
        "Confirmed Intro call #12",
        "Dear Erin: Tue 1 Dec, 10:00–10:30 (America/New_York) = Tue 1 Dec, 16:00–16:30 "
        "(Europe/Berlin)\n",
        "<p>Dear Erin</p>\n")
    assert mine.calendar is not None and mine.method == "REQUEST"  # the invitation stays
    titled = _email("booking_confirmed", HostMail(templates={
        "booking_confirmed.subject.txt": "Yours: {{ subject }}"}))
    assert titled.subject == "Yours: Confirmed: Intro call with Ana Lima, Tue 1 Dec 10:00"
    assert f"<title>{titled.subject}</title>" in titled.html
    other, default = _email("booking_declined", host), _email("booking_declined", None)
    assert (other.subject, other.text, other.html) == (default.subject, default.text,
                                                       default.html)


def test_a_hosts_layout_serves_every_kind_without_its_own_file():
    host = HostMail(templates={"layout.txt": "[{{ brand_name }}] {{ notice }}\n"})
    assert _email("booking_cancelled", host).text.startswith("[Ana Lima] Ana Lima cancelled")
    assert _email("reminder", host, minutes_before=60).text.startswith("[Ana Lima] Reminder")


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ notice.format.__globals__ }}",
    "{{ details.__class__.__init__.__globals__ }}",
    "{{ 'a' * 10000000 }}",
    "{% for i in range(10**9) %}{% endfor %}",
])
def test_the_sandbox_refuses_attribute_attacks_and_huge_output_at_load(attack):
    [problem] = check({"booking_confirmed.txt": "Hi\n" + attack + "\n"})
    assert problem.startswith("booking_confirmed.txt, line 2: ")
    assert problem.endswith("(rendering booking_confirmed for a host)")


def test_a_stored_template_that_fails_at_sending_falls_back_to_the_defaults(caplog):
    host = HostMail(templates={"booking_confirmed.txt": "{{ ''.__class__ }}"})
    sent = _email("booking_confirmed", host)
    assert sent.text == _email("booking_confirmed", None).text
    assert "__class__" not in sent.text
    assert "failed on booking_confirmed (SecurityError); sent with the defaults" in caplog.text


def test_html_escapes_a_hostile_guest_name_and_the_text_keeps_it():
    host = HostMail(templates={"booking_created.html": "<p>{{ guest_name }} booked</p>\n",
                               "booking_created.txt": "{{ guest_name }} booked\n"})
    email = _email("booking_created", host, **TO_HOST,
                   guest_name='<script>alert("x")</script> & Co')
    assert email.html == "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co booked</p>\n"
    assert email.text == '<script>alert("x")</script> & Co booked\n'


def test_branding_shows_in_the_default_html_and_footer():
    email = _email("booking_confirmed", BRAND)
    assert '<img src="https://example.com/logo.png" alt="Lima Coaching"' in email.html
    assert "border-bottom: 3px solid #0b7285" in email.html
    assert email.text.endswith("Sent by Slotbot for Lima Coaching.\n")
    plain = _email("booking_confirmed", None).html
    assert "<img" not in plain and "border-bottom" not in plain


@pytest.mark.parametrize("name", ["confirmed_to_guest_branded", "cancelled_to_host_branded",
                                  "rescheduled_to_guest_de_branded",
                                  "confirmed_to_guest_example_templates",
                                  "reminder_to_guest_example_templates"])
def test_branded_emails_match_their_golden_files(name: str) -> None:
    kind, extra = {
        "confirmed_to_guest_branded": ("booking_confirmed", {}),
        "cancelled_to_host_branded": ("booking_cancelled",
                                      {**TO_HOST, "status": "cancelled", "reason": "ill"}),
        "rescheduled_to_guest_de_branded": ("booking_rescheduled", {
            "guest_locale": "de", "previous_start": "2026-11-30T15:00:00+00:00"}),
        "confirmed_to_guest_example_templates": ("booking_confirmed", {}),
        "reminder_to_guest_example_templates": ("reminder", {"minutes_before": 1440}),
    }[name]
    host = BRAND
    if "example" in name:
        host = HostMail(BRAND.name, BRAND.color, BRAND.logo_url, read_folder(EXAMPLE))
    email = _email(kind, host, **extra)
    assert_golden(f"mail/{name}.txt", f"Subject: {email.subject}\n\n{email.text}")
    assert_golden(f"mail/{name}.html", email.html)


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_folder_mistakes_are_one_line_each_with_file_and_line(tmp_path):
    folder = _folder(tmp_path, {
        "booking_confirmed.html": "<p>{{ guest_name }}</p>\n<p>{{ gest_name }}</p>\n",
        "reminder.txt": "{{ lead }}\n{% if reason %}\n",
        "booking_confrmed.txt": "x",
        "notes.md": "x",
        ".DS_Store": "ignored",
    })
    with pytest.raises(TemplateFolderError) as caught:
        read_folder(folder, label="mail")
    assert caught.value.problems == [
        "mail/booking_confrmed.txt: 'booking_confrmed' is not a notice kind; "
        "did you mean booking_confirmed?",
        "mail/notes.md: not a template name: KIND.subject.txt, KIND.txt, KIND.html, "
        "layout.txt or layout.html",
    ]
    (folder / "booking_confrmed.txt").unlink()
    (folder / "notes.md").unlink()
    with pytest.raises(TemplateFolderError) as caught:
        read_folder(folder, label="mail")
    assert caught.value.problems == [
        "mail/booking_confirmed.html, line 2: unknown variable 'gest_name' for a "
        "booking_confirmed email; did you mean guest_name?",
        "mail/reminder.txt, line 2: Unexpected end of template. Jinja was looking for the "
        "following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be "
        "closed is 'if'.",
    ]
    assert all("\n" not in line for line in caught.value.problems)


def test_a_kinds_own_variable_is_unknown_to_other_kinds_and_to_layouts():
    assert check({"reminder.txt": "{{ lead }}", "booking_cancelled.txt": "{{ reason }}"}) == []
    assert check({"booking_created.txt": "{{ reason }}", "layout.html": "{{ lead }}"}) == [
        "booking_created.txt, line 1: unknown variable 'reason' for a booking_created email; "
        "only booking_cancelled, booking_declined, booking_expired has it",
        "layout.html, line 1: unknown variable 'lead' for a layout (every kind); only reminder "
        "has it",
    ]
    assert check({"booking_created.txt": "{{ bogus }}"}) == [
        "booking_created.txt, line 1: unknown variable 'bogus' for a booking_created email "
        "(docs/email-templates.md lists them)",
    ]


def test_subject_must_be_one_non_empty_line():
    assert check({"reminder.subject.txt": "{{ event_type }}\n\n{{ lead }}"}) == [
        "reminder.subject.txt: the subject must be one line (rendering reminder for a host)"]
    assert check({"reminder.subject.txt": "{% if false %}x{% endif %}"}) == [
        "reminder.subject.txt: the subject is empty (rendering reminder for a host)"]


def test_the_defaults_and_the_example_folder_pass_the_checks():
    assert check({}) == []
    assert sorted(read_folder(EXAMPLE)) == ["booking_confirmed.html",
                                            "booking_confirmed.subject.txt",
                                            "booking_confirmed.txt", "reminder.subject.txt"]


def test_every_kind_gets_exactly_its_documented_variables():
    for (kind, _reader), variables in contexts().items():
        assert set(variables) == VARIABLES[kind], kind
    docs = (ROOT / "docs" / "email-templates.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", docs, flags=re.M))
    assert set(VARIABLES) <= rows  # a row per kind
    assert rows - set(VARIABLES) == set().union(*VARIABLES.values())  # a row per variable


BRANDED = """
hosts:
  - handle: ana
    timezone: Europe/Berlin
    event_types: [{slug: intro, duration: 30}]
"""


@pytest.mark.parametrize(("brand", "problem"), [
    ('{color: "0b7285"}', "hosts[0].brand.color: '0b7285' is not a hex colour like \"#0b7285\""),
    ("{color: }", 'hosts[0].brand.color: quote the colour, like "#0b7285" (an unquoted # '
                  "starts a comment)"),
    ("{logo_url: http://example.com/l.png}",
     "hosts[0].brand.logo_url: 'http://example.com/l.png' is not an https:// URL"),
    ('{logo_url: "https://example.com/a b.png"}',
     "hosts[0].brand.logo_url: 'https://example.com/a b.png' is not an https:// URL"),
    ("{colour: red}", "hosts[0].brand.colour: unknown key; did you mean color?"),
])
def test_bad_branding_is_a_one_line_setup_error(brand, problem):
    with pytest.raises(SetupError) as caught:
        read_setup(BRANDED + f"    brand: {brand}\n")
    assert caught.value.problems == [problem]


def test_branding_and_templates_path_are_read_from_the_setup_file():
    spec = read_setup(BRANDED + '    templates: mail/ana\n    brand: {name: Lima Coaching, '
                      'color: "#0B7285", logo_url: https://example.com/logo.png}\n')
    [host] = spec.hosts
    assert host.templates == "mail/ana"
    assert (host.brand.name, host.brand.color, host.brand.logo_url) == (
        "Lima Coaching", "#0B7285", "https://example.com/logo.png")
