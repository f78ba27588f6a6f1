# policylab: `make help` lists the targets. Every target creates .venv when it is missing.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-lab
KERNEL := $(VENV)/share/jupyter/kernels/policylab/kernel.json
CORPUS := ../shared/corpus
LAB_ARGS ?=
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(LAB_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,lab]'
	touch $(LAB_STAMP)

$(KERNEL): $(STAMP)
	$(PY) -m ipykernel install --sys-prefix --name policylab --display-name "Python (policylab)" >/dev/null

.PHONY: help install report figures notebooks lab test bench lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMP) $(KERNEL) ## Create .venv, install policylab with its test tools and the `policylab` kernel

report: $(STAMP) $(KERNEL) ## The main job: summary table, charts in reports/figures, notebooks in reports/html
	@if [ -d $(CORPUS) ]; then $(PY) -m policylab.cli summary --corpus $(CORPUS); \
	else $(PY) -m policylab.cli summary; fi
	$(PY) -m policylab.cli figures --out reports/figures
	$(VENV)/bin/jupyter nbconvert --log-level=WARN --to html --execute \
		--ExecutePreprocessor.kernel_name=policylab --output-dir reports/html $(NOTEBOOKS)
	@echo "report: reports/figures/*.png|svg and reports/html/*.html"

figures: $(STAMP) ## Regenerate the charts in reports/figures without Jupyter
	$(PY) -m policylab.cli figures --out reports/figures

notebooks: $(STAMP) $(KERNEL) ## Re-execute the notebooks in place (their stored outputs are what CI checks)
	POLICYLAB_DATA=$$(mktemp -d) $(VENV)/bin/jupyter nbconvert --log-level=WARN --to notebook --execute \
		--inplace --ExecutePreprocessor.kernel_name=policylab $(NOTEBOOKS)

lab: $(LAB_STAMP) $(KERNEL) ## Open JupyterLab on notebooks/ with the `policylab` kernel (extra options: LAB_ARGS=...)
	$(VENV)/bin/jupyter lab $(LAB_ARGS) notebooks/

test: $(STAMP) ## All tests, notebooks included (tests needing ../shared/corpus skip without it)
	$(PY) -m pytest --nbval --nbval-current-env tests notebooks

bench: $(STAMP) ## Time the main paths: one table of medians, same-run baselines, ratios (reading needs ../shared/corpus)
	$(PY) benchmarks/bench.py

lint: $(STAMP) ## Check style with ruff
	$(PY) -m ruff check policylab tests benchmarks scripts

clean: ## Remove .venv, caches and generated reports
	rm -rf $(VENV) .pytest_cache reports *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
