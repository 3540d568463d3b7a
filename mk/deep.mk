# make test-deep: the property-based tests (hypothesis) with many more, random examples than make test runs.
# make test runs each with a bounded, fixed set (derandomized: the same examples every run); this target draws
# new ones each time. SEED_PROPERTY_EXAMPLES and SEED_PROPERTY_STEPS set how many examples and steps each.

DEEP_EXAMPLES ?= 500
DEEP_STEPS ?= 25

.PHONY: help-deep test-deep

help-deep:
	@echo "make test-deep     the property-based tests with $(DEEP_EXAMPLES) random examples of up to $(DEEP_STEPS) steps each"

test-deep: venv collection-path
	ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_ROOT) SEED_PROPERTY_EXAMPLES=$(DEEP_EXAMPLES) SEED_PROPERTY_STEPS=$(DEEP_STEPS) \
	  SEED_PROPERTY_SEED=random $(VENV_PYTHON) -m pytest -p no:cacheprovider -q -s $(PYTEST_ARGS) \
	  tests/unit/plugins/module_utils/test_fleet_properties.py
