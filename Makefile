# Two commands do everything on a fresh Debian machine: `make book` and `make test`.
# Set-up is part of both: a virtual environment with the pinned Python packages, and the
# Debian packages the build and the tests need (installed when run as root).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
#: JupyterLab's own environment (`make lab`); its kernel runs in $(VENV).
LAB_VENV := .venv-lab
LAB_INSTALLED := $(LAB_VENV)/.installed
#: The notebook `make lab` opens; JupyterLab shows the others in its file browser.
NOTEBOOK ?= notebooks/innovationstyper.md
NODE_INSTALLED := node_modules/.installed
# chromium: browser tests; TeX and fonts: the PDF edition; poppler-utils: PDF tests.
DEBIAN_PACKAGES := chromium texlive-xetex texlive-latex-extra latexmk texlive-lang-european \
	fonts-freefont-otf texlive-fonts-recommended poppler-utils

.PHONY: book test test-notebooks test-site test-all-others check lab verify bench setup debian-packages data check-data translations clean

# SIGINT ignored until the build's own handler is in place (its first lines): a Ctrl-C while
# Python starts (its site packages) would otherwise end in a traceback.
book: setup
	@trap '' INT; $(PY) -m innobarometer.building.build

# Everything, what CI runs: the book, then every test (those marked `book` read what it built;
# those marked `lab` drive JupyterLab as `make lab` starts it). Three pytest processes at once,
# each printing its report when it ends: the notebooks as an analyst runs them (on 20 generated
# files, `generated`, and in JupyterLab, `lab`) with a second chapter built by the kit (`chapter`); the site and the chapter in a browser (`browser`,
# `reader`: mostly waiting on the browser), with the charts and the explorer as drawn (`drawn`,
# busy on a core meanwhile); and all the other tests (the builds among them).
# The two cores do about 1.45 times the work of one when both are busy, so what counts is the
# work: 120 generated files took 374 s beside the rest (now 20), and JupyterLab's tests run beside
# them rather than beside the site's, which took 279 s alone. Four processes took 302 s against
# 274 s for three.
test: book $(LAB_INSTALLED)
	@$(MAKE) --no-print-directory -j3 --output-sync=target test-notebooks test-site test-all-others

test-notebooks:
	@$(PY) -m pytest -m "generated or lab or chapter" --durations=5

test-site:
	@$(PY) -m pytest -m "not generated and not lab and not chapter and (reader or browser or drawn)" --durations=5

test-all-others:
	@$(PY) -m pytest -m "not generated and not lab and not chapter and not reader and not browser and not drawn" --durations=10

# The quick loop: the tests that need no built book and no JupyterLab (about 20 s).
check: setup
	@$(PY) -m pytest -m "not book and not lab" --hypothesis-profile=quick

# JupyterLab on the notebooks, opened as notebooks (jupytext) with their MyST rendered
# (jupyterlab-myst); the settings in jupyter-config/ and jupytext.toml; no network after set-up.
lab: setup $(LAB_INSTALLED)
	JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter-config $(LAB_VENV)/bin/jupyter lab --ServerApp.root_dir=$(CURDIR) $(if $(filter 0,$(shell id -u)),--allow-root) $(NOTEBOOK)

$(LAB_INSTALLED): requirements-lab.txt $(INSTALLED)
	test -x $(LAB_VENV)/bin/python || $(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt
	@# The kernel spec "python3" of the notebooks, pointing at $(VENV)'s Python. (ipykernel warns
	@# that $(LAB_VENV) is not among $(VENV)'s kernel folders: it is not meant to be.)
	$(PY) -m ipykernel install --prefix $(LAB_VENV) --name python3 --display-name "Python 3 (ipykernel)" >/dev/null 2>&1
	touch $@

# Build times against the framework's floor, page weights, site size: benchmarks/results.md;
# cells hidden by tau-ARGUS and by the heuristic it replaced: benchmarks/suppression.md.
bench: setup
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/suppression.py > benchmarks/suppression.md

# Re-run every notebook from scratch, then compare each statistic with the public record,
# in Danish; in English with INNOBAROMETER_LANGUAGE=en make verify.
verify: setup
	@trap '' INT; $(PY) -m innobarometer.building.build --fresh
	@$(PY) -m innobarometer.presentation.verification

setup: debian-packages $(INSTALLED) $(NODE_INSTALLED)

$(INSTALLED): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# axe-core, injected into the built pages by the accessibility test.
# The machine's Node.js is used where there is one; otherwise Debian's.
$(NODE_INSTALLED): package.json package-lock.json
	@command -v npm >/dev/null || $(MAKE) debian-packages DEBIAN_PACKAGES="nodejs npm"
	npm ci --no-audit --no-fund --silent
	touch $@

debian-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "Missing Debian packages. Run: sudo apt-get install --no-install-recommends $$missing"; exit 1; \
	fi

# Bring the English edition's catalogues (locale/en/LC_MESSAGES/) up to date with the pages.
translations: setup
	@$(PY) -m innobarometer.site.translations

# Regenerate the synthetic stand-in from data/synthetic/assumptions.yml (deterministic).
data: setup
	$(PY) -m organiser_smartere.synthesize

# Validate the configured microdata (INNOBAROMETER_DATA or the synthetic stand-in) only.
check-data: setup
	$(PY) -m innobarometer.data.microdata

clean:
	rm -rf _build
