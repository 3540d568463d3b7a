# The pinned test environments (tools/pins.py, docs/contributing.md "Pinned test environments"):
# every venv that make demo, test, test-matrix, test-localstack and bench create is installed from
# its lock under pins/, one per Python and ansible-core. Included by the Makefile (-include mk/*.mk).
TEST_SUITES += pins-check

.PHONY: help-pins pins update-pins pins-check pins-versions

help-pins:
	@echo "make pins           regenerate pins/*.txt after a requirement file changed (other versions kept)"
	@echo "make update-pins    take the newest releases into pins/*.txt, then run test, test-matrix, test-localstack"
	@echo "make pins-check     every lock is current with its requirement files (offline; in make test)"
	@echo "make pins-versions  the pinned ansible-core, botocore, boto3 and moto of each lock"

pins:
	$(PINS) compile $(PINS_ARGS)

# Every test command runs even when an earlier one fails; the new locks stay for a look either way.
update-pins:
	$(PINS) compile --upgrade $(PINS_ARGS)
	@git --no-pager diff --stat -- pins/ 2>/dev/null || true
	@failed=""; \
	for target in test test-matrix test-localstack; do \
	  $(MAKE) --no-print-directory $$target || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then \
	  echo "update-pins: FAILED:$$failed with the new pins (docs/contributing.md: when an update breaks a test)" >&2; exit 1; \
	fi; \
	echo "update-pins: make test, test-matrix and test-localstack passed with the new pins: commit pins/"

pins-check:
	$(PINS) check

pins-versions:
	@$(PINS) versions
