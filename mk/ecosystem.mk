# Ansible ecosystem: plugin reference docs (antsibull-docs), changelog (antsibull-changelog),
# lint (ansible-lint, ruff), execution environment (ansible-builder), the Galaxy tarball,
# and the ansible-core/Python version matrix. Included by the Makefile (-include mk/*.mk).
#
# The docs, changelog and lint tools live in their own venv, .build/venv-tools, installed from
# pins/tools-py3.11.txt (the lock of requirements-docs.txt and requirements-lint.txt); .venv (the
# test venv) is left alone.

TEST_SUITES += lint docs-check changelog-check ee-check galaxy-check

TOOLS_VENV := $(CURDIR)/.build/venv-tools
TOOLS_BIN := $(TOOLS_VENV)/bin
TOOLS_PINS := tools-py3.11
TOOLS_REQUIREMENTS := pins/$(TOOLS_PINS).txt requirements-docs.txt requirements-lint.txt
TOOLS_HASH := $(shell cat $(TOOLS_REQUIREMENTS) | $(PYTHON) -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')
TOOLS_STAMP := $(TOOLS_VENV)/.installed-$(TOOLS_HASH)
# The tools first on PATH (antsibull-docs and ansible-lint start ansible-doc and ansible-playbook).
WITH_TOOLS := PATH=$(TOOLS_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_ROOT)
# Run a command with no network at all where this machine allows it (a new network namespace),
# which proves it works offline; plain otherwise.
NO_NETWORK := $(shell unshare -n true 2>/dev/null && echo unshare -n)

COLLECTION_VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
DIST_DIR := .build/dist
TARBALL := $(DIST_DIR)/seed-secretsmanager-$(COLLECTION_VERSION).tar.gz

DOCS_OUT := docs/plugins
DOCS_FLAGS := --config-file tools/antsibull-docs.cfg collection-plugins --use-current \
  --output-format simplified-rst --fqcn-plugin-names --fail-on-error --no-add-antsibull-docs-version

# What ansible-lint and ruff look at. Directories, not file lists: new targets and tests are
# linted as they appear.
LINT_YAML := demo plugins/modules plugins/lookup tests/integration/targets
LINT_PYTHON := plugins tests tools

.PHONY: help-ecosystem tools-venv docs docs-check changelog changelog-release changelog-check \
  lint dist ee-check galaxy-check test-matrix

help-ecosystem:
	@echo "make docs             regenerate docs/plugins/*.rst from the plugins' documentation"
	@echo "make docs-check       docs/plugins is current; antsibull-docs lint-collection-docs; guide links and snippets"
	@echo "make changelog        regenerate CHANGELOG.md from changelogs/changelog.yaml"
	@echo "make changelog-release  release galaxy.yml's version: fragments -> changelog.yaml, CHANGELOG.md"
	@echo "make changelog-check  antsibull-changelog lint; CHANGELOG.md current; a fragment for every change"
	@echo "make lint             ansible-lint (production profile, offline) and ruff"
	@echo "make ee-check         ansible-builder create and introspect on the built tarball"
	@echo "make galaxy-check     build the tarball, install it offline, ansible-doc and ad-hoc runs against moto"
	@echo "make test-matrix      sanity, units, integration on ansible-core 2.16 (py3.11) and 2.21 (py3.13)"

tools-venv: $(TOOLS_STAMP)

$(TOOLS_STAMP):
	@test -x $(TOOLS_BIN)/python || $(PYTHON) -m venv $(TOOLS_VENV)
	$(PINS) install $(TOOLS_PINS) $(TOOLS_BIN)/python --quiet
	@rm -f $(TOOLS_VENV)/.installed-*
	@touch $@

# ---- docs -------------------------------------------------------------------------------

docs: tools-venv collection-path
	@rm -rf .build/docs && mkdir -p .build/docs
	$(WITH_TOOLS) antsibull-docs $(DOCS_FLAGS) --dest-dir .build/docs seed.secretsmanager
	@rm -rf $(DOCS_OUT) && mkdir -p $(DOCS_OUT) && cp .build/docs/*.rst $(DOCS_OUT)/
	@echo "docs: $(DOCS_OUT) regenerated"

docs-check: tools-venv collection-path
	@rm -rf .build/docs-check && mkdir -p .build/docs-check
	$(WITH_TOOLS) antsibull-docs $(DOCS_FLAGS) --dest-dir .build/docs-check seed.secretsmanager
	@diff -ru $(DOCS_OUT) .build/docs-check >.build/docs-check.diff || { \
	  cat .build/docs-check.diff; \
	  echo "docs-check: $(DOCS_OUT) is not what the plugins' documentation gives: run 'make docs' and commit the result" >&2; \
	  exit 1; }
	$(WITH_TOOLS) antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs all \
	  --disallow-unknown-collection-refs $(COLLECTION_LINK)
	$(WITH_TOOLS) $(TOOLS_BIN)/python tools/check_docs.py README.md docs
	@echo "docs-check: passed"

# ---- changelog --------------------------------------------------------------------------

changelog: tools-venv
	$(WITH_TOOLS) antsibull-changelog generate
	@rm -f changelogs/.plugin-cache.yaml

# Moves the fragments into changelogs/changelog.yaml under galaxy.yml's version (bump it first).
changelog-release: tools-venv collection-path
	$(WITH_TOOLS) antsibull-changelog release --version $(COLLECTION_VERSION)
	@rm -f changelogs/.plugin-cache.yaml

changelog-check: tools-venv
	$(WITH_TOOLS) antsibull-changelog lint
	$(WITH_TOOLS) antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
	@mkdir -p .build/changelog-check
	$(WITH_TOOLS) antsibull-changelog generate --output .build/changelog-check/CHANGELOG.md --output-format md
	@rm -f changelogs/.plugin-cache.yaml
	@diff -u CHANGELOG.md .build/changelog-check/CHANGELOG.md || { \
	  echo "changelog-check: CHANGELOG.md is not what changelogs/changelog.yaml gives: run 'make changelog'" >&2; exit 1; }
	$(PYTHON) tools/check_changelog_fragments.py
	@echo "changelog-check: passed"

# ---- lint -------------------------------------------------------------------------------

# Both linters run, whatever the first one finds.
lint: tools-venv collection-path
	@failed=""; \
	echo "+ ruff check --config tools/ruff.toml $(LINT_PYTHON)"; \
	$(TOOLS_BIN)/ruff check --no-cache --config tools/ruff.toml $(LINT_PYTHON) || failed="$$failed ruff"; \
	echo "+ $(NO_NETWORK) ansible-lint -c tools/ansible-lint.yml --offline $(LINT_YAML)"; \
	$(WITH_TOOLS) $(NO_NETWORK) ansible-lint -c tools/ansible-lint.yml --project-dir $(CURDIR) --offline \
	  --nocolor $(LINT_YAML) || failed="$$failed ansible-lint"; \
	if [ -n "$$failed" ]; then echo "lint: FAILED:$$failed" >&2; exit 1; fi; \
	echo "lint: passed"

# ---- packaging --------------------------------------------------------------------------

dist: venv
	@rm -rf $(DIST_DIR) && mkdir -p $(DIST_DIR)
	$(VENV)/bin/ansible-galaxy collection build --force --output-path $(DIST_DIR) .

ee-check: tools-venv dist
	$(TOOLS_BIN)/python tools/ee_check.py --tarball $(TARBALL) --ansible-galaxy $(VENV)/bin/ansible-galaxy

galaxy-check: venv dist
	tools/galaxy_check.sh $(TARBALL)

# ---- version matrix ---------------------------------------------------------------------

# Entries and their venvs: tools/matrix.py (make test-matrix MATRIX_ARGS="--entry core2.16-py3.11").
test-matrix:
	$(PYTHON) tools/matrix.py $(MATRIX_ARGS)
