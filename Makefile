# policylab: `make help` lists the targets. Every target creates .venv when it is missing.
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-lab
KERNEL := $(VENV)/share/jupyter/kernels/policylab/kernel.json
CORPUS := ../shared/corpus
# Official files (in CORPUS) that `make test` adds to a scratch data home, so that the
# notebooks' full-text cells run: file=plan id, added side by side.
TEST_TEXTS := us-aap-2025/Americas-AI-Action-Plan.pdf=us-aap-2025 \
	cn-gaigi-2023-zh/mfa_t20231020_11164831.html=cn-gaigi-2023 \
	gb-aiop-2025/ai-opportunities-action-plan.html=gb-aiop-2025
LAB_ARGS ?=
# Jupyter refuses to start as root (the usual container user) unless told it may.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
FUZZ_ARGS ?= --seed 1 --count 2000
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# One BLAS thread per process: the matrices here are small, extra threads only spin, and
# report and test already run one process per core.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

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

.PHONY: help install report summary-table notebooks-html figures notebooks lab test fuzz bench model lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMP) $(KERNEL) ## Create .venv, install policylab with its test tools and the `policylab` kernel

report: $(STAMP) $(KERNEL) ## The main job: reports/index.html linking the summary table, the charts and the notebooks
	@$(MAKE) --no-print-directory -j$(JOBS) --output-sync=target summary-table figures notebooks-html
	@$(PY) -m policylab.report $(REPORTS) notebooks

# The parts of the report, run as parallel jobs; the notebooks' kernels run side by side. The report
# lists the shipped plans only (never plans a user added); its full-text parts read the official files
# of those plans from the data home and say so where they are absent. REPORTS=DIR writes it elsewhere.
REPORTS ?= reports
KERNEL_NAME ?= policylab
summary-table: $(STAMP)
	@$(PY) -m policylab.cli summary --shipped --out $(REPORTS)

notebooks-html: $(STAMP) $(KERNEL)
	@$(PY) scripts/execute_notebooks.py --kernel $(KERNEL_NAME) --output-dir $(REPORTS)/html $(NOTEBOOKS)

figures: $(STAMP) ## Regenerate the charts in reports/figures without Jupyter
	$(PY) -m policylab.cli figures --out $(REPORTS)/figures

notebooks: $(STAMP) $(KERNEL) ## Re-execute the notebooks in place (their stored outputs are what CI checks)
	POLICYLAB_DATA=$$(mktemp -d) $(PY) scripts/execute_notebooks.py --inplace $(NOTEBOOKS)

lab: $(LAB_STAMP) $(KERNEL) ## Open JupyterLab on notebooks/ with the `policylab` kernel (extra options: LAB_ARGS=...)
	$(VENV)/bin/jupyter lab $(LAB_ROOT) $(LAB_ARGS) notebooks/

test: $(STAMP) ## All tests, notebooks included (with ../shared/corpus, full-text cells run on a data home filled from it)
	@home=$$(mktemp -d); \
	if [ -d $(CORPUS) ]; then \
		for entry in $(TEST_TEXTS); do \
			$(PY) -m policylab.cli add $(CORPUS)/$${entry%%=*} --plan $${entry##*=} --data-home $$home & added="$$added $$!"; \
		done; \
		for job in $$added; do wait $$job || failed=1; done; \
		[ -z "$$failed" ] || { rm -rf $$home; exit 1; }; \
	fi; \
	POLICYLAB_DATA=$$home $(PY) -m pytest --nbval -n $(JOBS) --dist loadscope notebooks tests; status=$$?; rm -rf $$home; exit $$status

fuzz: $(STAMP) ## Read 2000 mutated documents; any crash or hang fails (FUZZ_ARGS="--seed 7 --count 500")
	$(PY) scripts/fuzz_readers.py $(FUZZ_ARGS)

bench: $(STAMP) ## Time the main paths: one table of medians, same-run baselines, ratios (reading needs ../shared/corpus)
	$(PY) benchmarks/bench.py

model: $(STAMP) ## Refit the supervised tagger on all gold plans (needs ../shared/corpus) into policylab/models/tagger.npz
	$(PY) scripts/build_model.py

lint: $(STAMP) ## Check style with ruff
	$(PY) -m ruff check policylab tests benchmarks scripts

clean: ## Remove .venv, caches and generated reports
	rm -rf $(VENV) .pytest_cache reports *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
