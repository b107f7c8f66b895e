# The two commands of the README: `make run` (set up, load the real data, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run load test lint bench migrate

# A virtualenv with the exact versions of constraints.txt; rebuilt when the dependencies change.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

load: migrate
	$(MANAGE) load_all

run: load
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=ozgportal.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=ozgportal.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	ONLY=$(ONLY) $(BIN)/python bench/run.py
