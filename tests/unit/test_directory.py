"""The host directory: names, zones and event types of every host, looked up without rules."""

from core.directory import EventTypeEntry, HostDirectory, HostEntry

INTRO = EventTypeEntry(11, "intro", "Intro call", 30)


def directory() -> HostDirectory:
    return HostDirectory.of([
        HostEntry(2, "bruno", "Bruno Costa", "America/New_York",
                  (EventTypeEntry(21, "intro", "Intro call", 30),)),
        HostEntry(1, "ana", "Ana Lima", "Europe/Berlin", (INTRO,)),
        HostEntry(3, "ana2", "Ana Souza", "Europe/Lisbon"),
    ])


def test_a_mention_by_handle_full_or_first_name_finds_the_first_host_in_handle_order():
    hosts = directory()
    assert [e.handle for e in hosts.entries] == ["ana", "ana2", "bruno"]
    assert hosts.find("Ana").handle == "ana"  # both Anas: the first by handle
    assert hosts.find("ana souza").handle == "ana2"
    assert hosts.find("BRUNO").handle == "bruno"
    assert hosts.find("carla") is None
    assert hosts.find(None) is None


def test_the_parser_vocabulary_lists_every_mention_and_each_event_type_word_once():
    hosts = directory()
    assert hosts.host_words[:3] == ("ana", "ana lima", "ana")
    assert len(hosts.host_words) == 9
    assert hosts.event_type_words == ("intro", "intro call")


def test_an_event_type_id_leads_to_its_host():
    hosts = directory()
    entry, event_type = hosts.event_type(21)
    assert (entry.handle, event_type.slug) == ("bruno", "intro")
    assert hosts.event_type(99) is None
    assert hosts.get("ana2").timezone == "Europe/Lisbon"
    assert len(hosts) == 3


def test_aliases_map_to_their_event_type_and_the_first_host_keeps_a_shared_one():
    hosts = HostDirectory.of([
        HostEntry(2, "bruno", "Bruno Costa", "America/New_York",
                  (EventTypeEntry(21, "advice", "Advice", 60, ("Beratung", "consulta")),)),
        HostEntry(1, "ana", "Ana Lima", "Europe/Berlin",
                  (EventTypeEntry(11, "consultation", "Consultation", 60, ("Consulta",)),)),
    ])
    assert dict(hosts.event_type_aliases) == {"consulta": "consultation", "beratung": "advice"}
