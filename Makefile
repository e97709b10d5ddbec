# make run: install everything (system packages, a virtualenv, the Python packages) and start the app.
# make test: install everything and run the linter and the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: run test lint system venv bundle bundle-jazz bench fuzz clean

run: system venv
	$(VENV)/bin/streamlit run streamlit_app.py

test: system venv
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: venv
	$(PY) -m ruff check .

system:
	bash scripts/install-system.sh

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# Rebuild the model that ships in assets/ (trained on the built-in corpus).
bundle: venv
	$(PY) -m jazz_core train --epochs 100 --seed 0 --out assets/default_model

# Rebuild the jazz model in assets/ from the Weimar Jazz Database solos (not shipped: pass their folder).
WJAZZD ?= ../shared/data/wjazzd
bundle-jazz: venv
	$(PY) -m bench.jazz_model --corpus $(WJAZZD) --out assets/jazz_model

# A long run of the hostile-input fuzz harness (tests/fuzz.py): 10,000 new examples; findings go to tests/data/hostile/.
fuzz: venv
	$(PY) -m tests.fuzz --examples 10000 --random

bench: system venv
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache
