# The two commands of the README: `make run` (set up, load the real data, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run load test lint bench migrate assets serve worker beat

# A virtualenv with the exact versions of constraints.txt; rebuilt when the dependencies change.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

# KERN UX design system from npm, copied into static/ so whitenoise serves it (no CDN). node_modules/ and the copy
# are not in git, so every set-up makes them; rebuilt when the npm lock file changes.
KERN_SRC := node_modules/@kern-ux/native
KERN_DST := static/vendor/kern
$(KERN_DST)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(KERN_DST) && mkdir -p $(KERN_DST)/fonts
	cp $(KERN_SRC)/dist/kern.min.css $(KERN_SRC)/LICENSE.md $(KERN_DST)/
	cp $(KERN_SRC)/dist/fonts/fira-sans.css $(KERN_DST)/fonts/
	cp -r $(KERN_SRC)/dist/fonts/fira-sans $(KERN_DST)/fonts/ && rm -f $(KERN_DST)/fonts/fira-sans/*.scss
	touch $@

assets: $(KERN_DST)/.installed

install: $(VENV)/.installed $(KERN_DST)/.installed

migrate: install
	$(MANAGE) migrate --noinput

load: migrate
	$(MANAGE) load_all
	$(MANAGE) rebuild_berichte
	$(MANAGE) opendaten_bauen

run: load
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=ozgportal.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=ozgportal.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test,bench]"
	ONLY=$(ONLY) $(BIN)/python bench/run.py

# Celery worker (queues "default" and "berichte") and beat (schedules from the database, editable in the admin).
# Only with REDIS_URL: without it, tasks run inline in the web process and need neither. Both start with the
# production settings (SECRET_KEY required) unless DJANGO_SETTINGS_MODULE says otherwise.
CELERY_SETTINGS := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-ozgportal.settings.production}
worker: install
	@test -n "$$REDIS_URL" || { echo "make worker braucht REDIS_URL (ohne laufen Tasks inline)"; exit 2; }
	$(CELERY_SETTINGS) $(BIN)/celery -A ozgportal worker -Q default,berichte --loglevel=INFO --concurrency=2

beat: install
	@test -n "$$REDIS_URL" || { echo "make beat braucht REDIS_URL (ohne laufen Tasks inline)"; exit 2; }
	$(CELERY_SETTINGS) $(BIN)/celery -A ozgportal beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

# Production-like start without Docker: gunicorn, one Celery worker and beat, against DATABASE_URL and REDIS_URL
# from the environment (SECRET_KEY required; SECURE_SSL_REDIRECT=False when no TLS proxy is in front).
serve: install
	@test -n "$$DATABASE_URL" && test -n "$$REDIS_URL" && test -n "$$SECRET_KEY" || \
		{ echo "make serve braucht DATABASE_URL, REDIS_URL und SECRET_KEY"; exit 2; }
	DJANGO_SETTINGS_MODULE=ozgportal.settings.production $(MANAGE) migrate --noinput
	DJANGO_SETTINGS_MODULE=ozgportal.settings.production $(MANAGE) collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=ozgportal.settings.production sh -c '\
		$(BIN)/celery -A ozgportal worker -Q default,berichte --loglevel=INFO --concurrency=2 & W=$$!; \
		$(BIN)/celery -A ozgportal beat --loglevel=INFO & B=$$!; \
		trap "kill $$W $$B 2>/dev/null" EXIT INT TERM; \
		$(BIN)/gunicorn -c ozgportal/gunicorn.conf.py ozgportal.wsgi:application --bind $(HOST):$(PORT)'

# Regenerate the committed OpenAPI schema of /api/v1/ (tests/api/test_schema.py fails when it drifts).
api-schema: install
	DJANGO_SETTINGS_MODULE=ozgportal.settings.test $(MANAGE) spectacular --file ozgportal/api/openapi.yaml --validate
