"""`.env.example` lists every setting, and nothing that is not one (DESIGN 3.1)."""

import re
from pathlib import Path

from config.settings import Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
COMPOSE_ONLY = "# --- docker compose only"
_ASSIGNMENT = re.compile(r"^#?\s?([A-Z][A-Z0-9_]+)=", re.MULTILINE)


def test_env_example_names_exactly_the_settings_each_with_its_meaning():
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    settings_part, _, compose_part = text.partition(COMPOSE_ONLY)
    listed = _ASSIGNMENT.findall(settings_part)
    aliases = {field.alias for field in Settings.model_fields.values()}
    assert len(listed) == len(set(listed)), "a setting is listed twice"
    assert set(listed) == aliases
    assert not set(_ASSIGNMENT.findall(compose_part)) & aliases
    # Each setting (or a pair of them, one after the other) follows its meaning.
    described = previous_was_setting = False
    for line in settings_part.splitlines():
        is_setting = bool(_ASSIGNMENT.match(line))
        if is_setting:
            assert described or previous_was_setting, f"no meaning given above {line!r}"
            described = False
        elif line.startswith("# ") and not line.startswith("# ---"):
            described = True
        previous_was_setting = is_setting


def test_env_example_sets_nothing_when_copied_as_is():
    assigned = re.findall(r"^[A-Z][A-Z0-9_]+=", ENV_EXAMPLE.read_text(), re.MULTILINE)
    assert assigned == []  # every line is commented: a copied .env changes no default
