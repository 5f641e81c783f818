# Short verbs for developers. Each one goes through dev.py, which needs only Python 3.11+.
.PHONY: run test lint format migrations-check messages setup ci bench load lock

run:            ## the portal on http://127.0.0.1:8000/ with the 26 Sept 2018 workshop
	python3 dev.py run

test:           ## the test suite (browser tests skip, saying why, without Chromium)
	python3 dev.py test

setup:          ## migrate and load the fixture into the configured database
	python3 dev.py manage setup_portal

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

migrations-check:
	.venv/bin/python manage.py makemigrations --check --dry-run

messages:       ## refresh and compile the Indonesian catalogue (needs gettext)
	.venv/bin/python manage.py makemessages -l id --ignore=.venv --ignore=staticfiles
	.venv/bin/python manage.py compilemessages -l id --ignore=.venv

ci:
	bash .ci/run

bench:          ## benchmark table against the static-file ceiling (PostgreSQL, Redis, wrk)
	python3 bench/run.py

load:           ## 60 s load test at 64 connections
	python3 bench/run.py --load

lock:           ## re-resolve requirements.lock from pyproject.toml (README, "Updating dependencies")
	.venv/bin/uv pip compile pyproject.toml --extra test --extra dev --generate-hashes \
		--python-version 3.11 --python-platform x86_64-unknown-linux-gnu -o requirements.lock
