# policylab: `make help` lists the targets. Every target creates .venv when it is missing.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CORPUS := ../shared/corpus

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: help install report test bench lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv and install policylab with its test tools

report: $(STAMP) ## The main job: read the available plans and print a summary table
	@if [ -d $(CORPUS) ]; then $(PY) -m policylab.cli summary --corpus $(CORPUS); \
	else $(PY) -m policylab.cli summary; fi

test: $(STAMP) ## Run all tests (those needing ../shared/corpus skip without it)
	$(PY) -m pytest

bench: $(STAMP) ## Time the main paths (medians and ratios; needs ../shared/corpus)
	$(PY) benchmarks/read_pdf.py

lint: $(STAMP) ## Check style with ruff
	$(PY) -m ruff check policylab tests benchmarks scripts

clean: ## Remove .venv, caches and generated reports
	rm -rf $(VENV) .pytest_cache reports *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
