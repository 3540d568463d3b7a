# System tests: fault injection, races, bad input, leaks, least privilege, and the examples of
# README.md and docs/*.md (tests/system/examples). Each test starts the moto servers it needs and
# runs ansible-playbook from the checkout.
TEST_SUITES += system

.PHONY: system
system: venv collection-path
	$(VENV_PYTHON) -m pytest -p no:cacheprovider -q $(PYTEST_ARGS) tests/system
