# rnkg: the one entry point. `make demo` sets up and runs the main job; `make test` runs everything.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

FORCE:
PHONY_VIEWS := screenshots bench-views
.PHONY: FORCE $(PHONY_VIEWS) bench fuzz goldens security-doc readme snapshots setup demo test lint docs neo4j-start neo4j-stop neo4j-status browser clean

setup: $(VENV)/.installed

# A strict editable install links each file of the package under build/ (the tree static checkers
# read), but only the files present at install time. $(VENV)/.package-files lists them and is
# rewritten only when one is added or removed, so that adding or removing a module, a saved query
# or a fact file re-runs the install.
$(VENV)/.package-files: FORCE
	@mkdir -p $(VENV)
	@{ ls *.py; find graph schema loaders queries facts claims -name __pycache__ -prune -o -type f -print; } \
	  | LC_ALL=C sort > $@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(VENV)/.installed: pyproject.toml $(VENV)/.package-files
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	rm -rf build/__editable__.*
	$(BIN)/pip install -q -e '.[dev,ftm]' --config-settings editable_mode=strict
	touch $@

## Load the curated facts into the embedded store (RNKG_DB, default ~/.local/share/rnkg/rnkg.lbug),
## run saved queries, write HTML views to out/.
demo: setup
	$(BIN)/rnkg load --reset
	$(BIN)/rnkg queries run treaty-signatories
	$(BIN)/rnkg queries run panel-veto-votes
	$(BIN)/rnkg export html $(OUT)/rnkg.html
	$(BIN)/rnkg export html $(OUT)/maia-1.html --focus "Maia-1" --depth 2

## The whole suite on both engines (every module's doctests and tests/: pyproject.toml says where): provisions Neo4j (Java + Maven) and Chromium first.
test: setup
	@if command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1; then \
	  scripts/neo4j start >/dev/null; \
	else echo "make test: no Java/Maven here, so the Neo4j tests will skip (CI=true fails them)"; fi
	@scripts/install-browser $(VENV) || echo "make test: no Chromium, so browser tests will skip (CI=true fails them)"
	$(BIN)/python -m pytest

## The long fuzz run: hypothesis over fact files and CLI arguments (2,500 examples per target,
## 10,000 in all, tests/test_fuzz.py) and read-only query texts (10,000 embedded, 2,000 Neo4j);
## prints each run's count and the total (the log is $(OUT)/fuzz.log).
fuzz: SHELL := /bin/bash
fuzz: setup
	@mkdir -p $(OUT); set -o pipefail; \
	RNKG_FUZZ_EXAMPLES=$${RNKG_FUZZ_EXAMPLES:-2500} $(BIN)/python -m pytest -q tests/test_fuzz.py 2>&1 | tee $(OUT)/fuzz.log && \
	RNKG_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest -q tests/test_readonly.py -k fuzz 2>&1 | tee -a $(OUT)/fuzz.log && \
	$(BIN)/python scripts/security_table.py --fuzz-total $(OUT)/fuzz.log

## Regenerate SECURITY.md's table of fault and bad-input classes from the suite's own counts
## (a test fails when it is stale).
security-doc: setup
	$(BIN)/python scripts/security_table.py --write

## ruff, then mypy: strict on the package (through the link tree of `make setup`), by mypy's
## defaults on the tests, the bench and the scripts (pyproject.toml says which).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy -p rnkg
	$(BIN)/mypy tests bench scripts

## Regenerate the files derived from schema/types.yaml.
docs: setup
	$(BIN)/rnkg schema --format markdown > schema/README.md

readme: setup
	$(BIN)/python scripts/readme_examples.py

## Regenerate the saved queries' golden answers (queries/expected/*.json) from the curated facts
## with each query's example parameters; read the diff before committing.
goldens: setup
	$(BIN)/python -m rnkg.queries.goldens

## Regenerate the golden Cypher of each engine (tests/snapshots/cypher-*.txt); read the diff.
snapshots: setup
	RNKG_UPDATE_SNAPSHOTS=1 $(BIN)/python -m pytest -q tests/test_dialect.py

## HTML views at 500 / 5,000 / 20,000 nodes: write time, size, first frame, stable, zoom, click
## (headless Chromium); writes bench/reports/views-*.md.
bench-views: setup
	$(BIN)/python -m bench.views --sizes 500,5000,20000

## The README's pictures (docs/img/*.png): HTML views of the curated graph in headless Chromium.
screenshots: setup
	$(BIN)/python scripts/screenshots

neo4j-start:
	scripts/neo4j start
neo4j-stop:
	scripts/neo4j stop
neo4j-status:
	scripts/neo4j status

browser: setup
	scripts/install-browser $(VENV)

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache .mypy_cache

## Every target of issue 17 in one run: 10k, 100k (3 runs each) and 1M relationships, the HTML
## views (headless Chromium: make browser), the FtM import at 100k; starts the project's Neo4j, left
## running (make neo4j-stop; Neo4j rows say why not if it cannot start). Writes bench/REPORT.md and
## bench/report.json, with the seconds of each step. Budget 30 min on 2 cores (--budget); about
## 17 min measured on an idle machine, over 20 on a slower one (bench/REPORT.md); a step still running at twice the
## budget is stopped, and the report keeps what was measured.
bench: setup
	eval "$$(scripts/neo4j start || true)"; \
	$(BIN)/python -m bench.run --sizes 10000,100000,1000000 --neo4j --readme README.md
