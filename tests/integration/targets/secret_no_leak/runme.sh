#!/usr/bin/env bash
# No secret value may reach Ansible's output. Runs leak.yml at -vvv with a log file, then searches
# every byte of its stdout, stderr and log for every value it used (and the values AWS generated),
# in raw, JSON-escaped, repr, hex and base64 forms. Any hit fails the target.
#
# ansible-test runs this from the target's directory and passes no variables to a script target:
# the endpoint comes from tests/integration/integration_config.yml, two directories up.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config="${INTEGRATION_CONFIG:-$here/../../integration_config.yml}"
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-$(command -v python || command -v python3)}"
work="$(mktemp -d)"

cleanup() {
    "$python" "$here/find_leaks.py" cleanup "$config" "$work/values.json" || true
    rm -rf "$work"
}

if [ ! -f "$config" ]; then
    echo "secret_no_leak: $config not found (make integration writes it)" >&2
    exit 1
fi

"$python" "$here/find_leaks.py" self-test
"$python" "$here/find_leaks.py" make-values "$work/values.json"
trap cleanup EXIT

playbook_rc=0
ANSIBLE_LOG_PATH="$work/ansible.log" ANSIBLE_NOCOLOR=1 \
    ansible-playbook -i localhost, -e "@$config" -e "@$work/values.json" -vvv "$here/leak.yml" \
    >"$work/stdout" 2>"$work/stderr" || playbook_rc=$?

scan_rc=0
"$python" "$here/find_leaks.py" scan "$config" "$work/values.json" "$work/stdout" "$work/stderr" "$work/ansible.log" || scan_rc=$?

if [ "$scan_rc" -ne 0 ]; then
    echo "secret_no_leak: secret values reached Ansible's output (see the LEAK lines above)" >&2
    exit 1
fi
# Only now that the output is known to be clean can it be shown.
if [ "$playbook_rc" -ne 0 ]; then
    tail -n 60 "$work/stdout"
    cat "$work/stderr" >&2
    echo "secret_no_leak: leak.yml failed (exit $playbook_rc)" >&2
    exit "$playbook_rc"
fi
grep -E '^(PLAY RECAP|localhost +:)' "$work/stdout" || true
echo "secret_no_leak: no value found in $(wc -c <"$work/stdout") bytes of stdout, $(wc -c <"$work/stderr") of stderr, $(wc -c <"$work/ansible.log") of log"
