# Two commands a new user needs: `make portfolio` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := example-portfolio
OUT := _build/example

.PHONY: portfolio test test-oldest fuzz docs schema messages bench gallery lint venv clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e .

portfolio: venv
	$(BIN)/sphinx-build -W --keep-going -q -b html $(EXAMPLE) $(OUT)/html
	$(BIN)/sphinx-build -W --keep-going -q -b cpdpdf $(EXAMPLE) $(OUT)/pdf
	@echo
	@echo "Your example portfolio is ready:"
	@echo "  HTML: $(abspath $(OUT)/html/index.html)"
	@echo "  PDF:  $$(ls $(abspath $(OUT))/pdf/*.pdf)"

test: $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/ruff check sphinx_cpd tests docs/_ext benchmarks
	$(BIN)/mypy sphinx_cpd
	$(BIN)/python -m pytest -n auto -q

# The whole suite against the lowest version of every runtime dependency that
# pyproject.toml declares (tests/oldest_constraints.py reads them from it), in
# a virtual environment of its own; the test tools themselves are the newest.
OLDEST := .venv-oldest
test-oldest:
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST)/bin/python tests/oldest_constraints.py > $(OLDEST)/constraints.txt
	$(OLDEST)/bin/python -m pip install --quiet -c $(OLDEST)/constraints.txt -e '.[test]'
	$(OLDEST)/bin/python -m pip check
	$(OLDEST)/bin/python -m pytest -n auto -q -p no:cacheprovider

# The property-based privacy test at full strength (CI runs a few examples).
FUZZ_EXAMPLES ?= 500
fuzz: $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[test]'
	CPD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -n auto -q -p no:cacheprovider tests/test_privacy_fuzz.py

# The JSON Schema of portfolio.json, generated from the object kinds.
schema: venv
	$(BIN)/python -c "from sphinx_cpd.schema import schema_text; print(schema_text(), end='')" > docs/portfolio.schema.json

# The message catalogues: every text marked for translation gathered into
# sphinx_cpd/locales/sphinx_cpd.pot, each language's .po brought up to date and
# compiled to the .mo a build reads.
messages: venv
	$(BIN)/python -m sphinx_cpd.messages

docs: venv
	$(BIN)/sphinx-build -W --keep-going -q -b html docs _build/docs
	@echo "The documentation is in $(abspath _build/docs/index.html)"

bench: venv
	$(BIN)/python benchmarks/run.py --output _build/bench/report.md
	$(BIN)/python benchmarks/navigation.py --output _build/bench/navigation.md

# The gallery's screenshots of the example (docs/_static/gallery), in Chromium.
gallery: $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python docs/gallery.py

lint: $(BIN)/activate
	$(BIN)/ruff check sphinx_cpd tests
	$(BIN)/ruff format --check sphinx_cpd tests
	$(BIN)/mypy sphinx_cpd

clean:
	rm -rf _build $(OLDEST)
