# Build, demo and test entry points for the seed.secretsmanager collection.
# Only python3 is assumed: `make venv` installs everything else into .venv.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
# Every venv is installed from a lock under pins/ (tools/pins.py; docs/contributing.md, "Pinned test
# environments"): the requirement files say what is needed, the lock which version of each package.
PINS := $(PYTHON) tools/pins.py
DEV_PINS := py3.11-core2.19
DEMO_PINS := py3.11-core2.19-demo
REQUIREMENTS := pins/$(DEV_PINS).txt requirements.txt requirements-dev.txt tests/unit/requirements.txt
# The stamp's name carries a hash of the lock and its inputs: a new lock reinstalls, an edited input
# without a new lock stops at tools/pins.py's check, a fresh checkout with the same files does not.
REQUIREMENTS_HASH := $(shell cat $(REQUIREMENTS) | $(PYTHON) -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')
VENV_STAMP := $(VENV)/.installed-$(REQUIREMENTS_HASH)
# The demo needs less (requirements-demo.txt: the runtime, ansible-core, moto's server), in the same
# .venv under a stamp of its own; a .venv that `make venv` installed already has all of it.
DEMO_REQUIREMENTS := pins/$(DEMO_PINS).txt pins/$(DEV_PINS).txt requirements.txt requirements-demo.txt
DEMO_REQUIREMENTS_HASH := $(shell cat $(DEMO_REQUIREMENTS) | $(PYTHON) -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')
DEMO_STAMP := $(VENV)/.demo-installed-$(DEMO_REQUIREMENTS_HASH)
DEMO_DEPENDS := $(if $(wildcard $(VENV_STAMP)),$(VENV_STAMP),$(DEMO_STAMP))

COLLECTIONS_ROOT := $(CURDIR)/.build/collections
COLLECTION_LINK := $(COLLECTIONS_ROOT)/ansible_collections/seed/secretsmanager

export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: help venv demo-venv collection-path demo test sanity units pytest integration build clean

help:
	@echo "make venv          create .venv and install pins/$(DEV_PINS).txt (requirements-dev.txt, pinned)"
	@echo "make demo-venv     create .venv with only what the demo needs (pins/$(DEMO_PINS).txt)"
	@echo "make demo          run demo/demo.yml and an ad-hoc task against a local moto server"
	@echo "make test          sanity, units (ansible-test and pytest), integration"
	@echo "make sanity | units | pytest | integration"
	@echo "make build         ansible-galaxy collection build into .build/"
	@echo "make clean         remove .build/ and tests/output/ (keeps .venv)"

venv: $(VENV_STAMP)

$(VENV_STAMP):
	@test -x $(VENV_PYTHON) || $(PYTHON) -m venv $(VENV)
	$(PINS) install $(DEV_PINS) $(VENV_PYTHON) --quiet
	@rm -f $(VENV)/.installed-*
	@touch $@

# .build/collections/ansible_collections/seed/secretsmanager -> the repo root, so that
# ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_ROOT) finds the collection as it is checked out.
collection-path:
	@tools/collection_path.sh >/dev/null

demo-venv: $(DEMO_DEPENDS)

# pip's "Collecting" lines are the progress; the rest of its output (and every error) is kept.
$(DEMO_STAMP):
	@echo "make demo: installing ansible-core, botocore and moto into $(VENV) (first run only; make test installs the rest)"
	@test -x $(VENV_PYTHON) || $(PYTHON) -m venv $(VENV)
	$(PINS) install $(DEMO_PINS) $(VENV_PYTHON) \
	  | { grep --line-buffered -E '^(Collecting|Successfully installed)' || true; }
	@rm -f $(VENV)/.demo-installed-*
	@touch $@

demo: demo-venv
	$(VENV_PYTHON) tools/with_moto.py --log .build/moto-demo.log -- demo/run.sh

# Every suite runs even when an earlier one fails; the summary names the failures.
# Fragments in mk/*.mk add their own targets and suites (TEST_SUITES += name).
TEST_SUITES := sanity units pytest integration
-include mk/*.mk

test: venv
	@failed=""; \
	for suite in $(TEST_SUITES); do \
	  $(MAKE) --no-print-directory $$suite || failed="$$failed $$suite"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed" >&2; exit 1; fi; \
	echo "make test: all passed ($(TEST_SUITES))"

sanity: venv
	$(VENV_PYTHON) tools/run_ansible_test.py sanity $(ANSIBLE_TEST_ARGS)

units: venv
	$(VENV_PYTHON) tools/run_ansible_test.py units $(ANSIBLE_TEST_ARGS)

# The unit tests straight from the checkout, against one moto server for the whole run.
# pytest exits 5 when it collects no test; that is not a failure while tests/unit is empty.
pytest: venv collection-path
	@if ! find tests/unit -name 'test_*.py' | grep -q .; then echo "pytest: no unit tests yet"; exit 0; fi; \
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_ROOT) \
	  $(VENV_PYTHON) tools/with_moto.py --log .build/moto-pytest.log -- \
	  $(VENV_PYTHON) -m pytest -p no:cacheprovider $(PYTEST_ARGS) tests/unit

integration: venv
	$(VENV_PYTHON) tools/run_ansible_test.py integration $(ANSIBLE_TEST_ARGS)

build: venv
	$(VENV)/bin/ansible-galaxy collection build --force --output-path .build .

clean:
	rm -rf .build tests/output
