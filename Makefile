PYTHON ?= python3

.PHONY: run test core-compare lint pot screenshots

## Serve Odoo with recruit_sms on a demo database (local PostgreSQL under .local/)
run:
	$(PYTHON) scripts/devenv.py run

## Pure suite, then the Odoo suite (throwaway PostgreSQL) when Odoo 19 imports
test:
	$(PYTHON) scripts/devenv.py test

## Core's own SMS and recruitment suites without, then with recruit_sms: fails on any new failure
core-compare:
	$(PYTHON) scripts/devenv.py core-compare

## Regenerate the translation template from a fresh install
pot:
	$(PYTHON) scripts/devenv.py pot

## README pictures from a fresh demo database, in headless Chromium (docs/*.png)
screenshots:
	$(PYTHON) scripts/screenshots.py

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m pylint --rcfile=.pylintrc recruit_sms recruit_sms_website
