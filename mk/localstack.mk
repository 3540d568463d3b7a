# The second integration-test endpoint: LocalStack (moto stays the default one). Included by the
# Makefile (-include mk/*.mk); not in TEST_SUITES, .ci/run runs it after make test and test-matrix.
#
# LocalStack runs without docker under Python 3.13 in its own venv, .build/venv-localstack, from
# pins/localstack-py3.13.txt (the lock of requirements-localstack.txt); ansible-test keeps running with .venv (tools/run_ansible_test.py
# --endpoint localstack, which starts and stops LocalStack through tools/with_localstack.py).

LOCALSTACK_VENV := $(CURDIR)/.build/venv-localstack
LOCALSTACK_PINS := localstack-py3.13
LOCALSTACK_REQUIREMENTS := pins/$(LOCALSTACK_PINS).txt requirements-localstack.txt
LOCALSTACK_HASH := $(shell cat $(LOCALSTACK_REQUIREMENTS) | $(PYTHON) -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')
LOCALSTACK_STAMP := $(LOCALSTACK_VENV)/.installed-$(LOCALSTACK_HASH)
# python3.13 from PATH when it runs, else pyenv's (its shim fails when 3.13 is not selected).
LOCALSTACK_PYTHON ?= $(shell $(PYTHON) -c 'import sys; sys.path.insert(0, "tools"); import matrix; print(matrix.find_python("3.13") or "")')

# The integration targets that talk to an endpoint, all of them. LOCALSTACK_TARGETS=secret runs one.
# --continue-on-error: every target runs, so one run lists every difference.
LOCALSTACK_TARGETS ?= secret secret_validation secret_info lookup_secret module_defaults \
  secret_execution_paths secret_no_leak secrets

.PHONY: help-localstack localstack-venv test-localstack

help-localstack:
	@echo "make test-localstack  the integration targets against a LocalStack (Python 3.13 venv in .build/venv-localstack)"

localstack-venv: $(LOCALSTACK_STAMP)

$(LOCALSTACK_STAMP):
	@test -n "$(LOCALSTACK_PYTHON)" || { echo "localstack-venv: no python3.13 found (LocalStack 2026.3 needs it)" >&2; exit 1; }
	@test -x $(LOCALSTACK_VENV)/bin/python || $(LOCALSTACK_PYTHON) -m venv $(LOCALSTACK_VENV)
	$(PINS) install $(LOCALSTACK_PINS) $(LOCALSTACK_VENV)/bin/python --quiet
	@rm -f $(LOCALSTACK_VENV)/.installed-*
	@touch $@

test-localstack: venv localstack-venv
	$(VENV_PYTHON) tools/run_ansible_test.py --endpoint localstack integration --continue-on-error $(ANSIBLE_TEST_ARGS) $(LOCALSTACK_TARGETS)
