# Two commands for a fresh machine:
#   make serve   install and serve the dashboard at http://127.0.0.1:8866/
#   make test    install the test tools, Chromium and nginx, then run every test
# Also: make lab (JupyterLab on the notebooks), make bench (benchmarks), make check (content),
# make lock (renew the pins).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
NGINX ?= /usr/sbin/nginx
PDFTOTEXT ?= /usr/bin/pdftotext
HOST ?= 127.0.0.1
PORT ?= 8866

.PHONY: serve lab test check bench lock clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)

# Stamp files: reinstall only when the pins or the package metadata change.
$(VENV)/.serve-installed: $(BIN)/python requirements/serve.txt pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/serve.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.serve-installed requirements/test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/test.txt
	touch $@

# Debian packages the tests drive: Chromium (the browser), nginx (HTTPS and several workers) and
# poppler's PDF tools (the printed summary's pages).
$(CHROMIUM) $(NGINX) $(PDFTOTEXT) &:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "Chromium, nginx or poppler-utils is missing and cannot be installed without root: apt-get install chromium nginx poppler-utils" >&2; exit 1; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium nginx poppler-utils

serve: $(VENV)/.serve-installed
	$(BIN)/workbook serve --host $(HOST) --port $(PORT)

# JupyterLab on the notebooks, with plotly's extension as installed; it fetches nothing from
# the web (no news, no update check), so it works offline in a clinic. (JupyterLab refuses to
# run as root unless told; a container often runs as root.)
lab: $(VENV)/.serve-installed
	$(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=$(HOST) \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root)

check: $(VENV)/.serve-installed
	$(BIN)/workbook check

# Two test processes (pytest-xdist), each taking whole files: the browser tests spend much of
# their time waiting for timers (idle resets, culling), so two share the 2 cores well. Tests
# that hold a page to a time bound (marked `alone`) run after them, with nothing beside them.
test: $(VENV)/.test-installed $(CHROMIUM) $(NGINX) $(PDFTOTEXT)
	$(BIN)/workbook check
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not alone"
	$(BIN)/python -m pytest -m alone

# Speed and cost against a static page and a bare Voilà page (benchmarks/results.md), then
# behind nginx and the capacity ramp (benchmarks/proxy.md); about 70 minutes, not part of
# `make test`. Both parts run even if the first misses a target; make fails if either does.
bench: $(VENV)/.test-installed $(CHROMIUM) $(NGINX)
	status=0; $(BIN)/python -m benchmarks.run || status=1; \
	$(BIN)/python -m benchmarks.proxy || status=1; exit $$status

# Re-resolve every pin from the ranges in pyproject.toml (needs the package index).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet .
	{ echo "# Every package the dashboard needs, pinned. Regenerate with 'make lock'."; \
	  .lock-venv/bin/pip freeze --exclude back-spasm-workbook; } > requirements/serve.txt
	.lock-venv/bin/pip install --quiet ".[test]"
	{ echo "# The test tools, pinned, on top of serve.txt. Regenerate with 'make lock'."; echo "-r serve.txt"; \
	  .lock-venv/bin/pip freeze --exclude back-spasm-workbook | grep -vxF -f requirements/serve.txt; } > requirements/test.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) tests/browser/artifacts .pytest_cache
