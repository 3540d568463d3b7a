#!/usr/bin/env bash
# No secret value may reach Ansible's output. Runs leak.yml at -vvv with a log file, and identifiers.yml
# at -vvv with --diff once per execution path, then searches every byte of their stdout, stderr and log
# for every value they used (and the values AWS generated), in raw, JSON-escaped, repr, hex and base64
# forms. Any hit fails the target. check_identifiers.py then compares identifiers.yml's results with AWS.
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
"$python" "$here/find_leaks.py" make-values "$config" "$work/values.json"
trap cleanup EXIT

playbook_rc=0
ANSIBLE_LOG_PATH="$work/ansible.log" ANSIBLE_NOCOLOR=1 \
    ansible-playbook -i localhost, -e "@$config" -e "@$work/values.json" -vvv "$here/leak.yml" \
    >"$work/stdout" 2>"$work/stderr" || playbook_rc=$?

# identifiers.yml on both execution paths: in the controller process and as a module.
outputs=()
for path in in-process module; do
    switch=$([ "$path" = in-process ] && echo true || echo false)
    rc=0
    ANSIBLE_LOG_PATH="$work/$path.log" ANSIBLE_NOCOLOR=1 \
        ansible-playbook -i localhost, -e "@$config" -e "@$work/values.json" -e "path_name=$path" \
        -e "seed_secretsmanager_in_process=$switch" -e "results_file=$work/$path.json" -vvv --diff "$here/identifiers.yml" \
        >"$work/$path.stdout" 2>"$work/$path.stderr" || rc=$?
    [ "$rc" -eq 0 ] || playbook_rc=$rc
    outputs+=("$work/$path.stdout" "$work/$path.stderr" "$work/$path.log")
done

scan_rc=0
"$python" "$here/find_leaks.py" scan "$config" "$work/values.json" "$work/stdout" "$work/stderr" "$work/ansible.log" "${outputs[@]}" || scan_rc=$?

if [ "$scan_rc" -ne 0 ]; then
    echo "secret_no_leak: secret values reached Ansible's output (see the LEAK lines above)" >&2
    exit 1
fi
# Only now that the output is known to be clean can it be shown.
if [ "$playbook_rc" -ne 0 ]; then
    for output in "$work/stdout" "$work/in-process.stdout" "$work/module.stdout"; do
        echo "== $(basename "$output")"; tail -n 60 "$output"
    done
    cat "$work/stderr" "$work/in-process.stderr" "$work/module.stderr" >&2
    echo "secret_no_leak: a playbook failed (exit $playbook_rc)" >&2
    exit "$playbook_rc"
fi
# Each identifiers.yml run took its own path, for every secret task (6 each).
in_process=$(grep -c 'runs in the controller process' "$work/in-process.stdout" || true)
as_module=$(grep -c 'runs as a module: turned off' "$work/module.stdout" || true)
if [ "$in_process" -ne 6 ] || [ "$as_module" -ne 6 ]; then
    echo "secret_no_leak: identifiers.yml ran $in_process tasks in-process and $as_module as a module (6 each expected)" >&2
    exit 1
fi
for path in in-process module; do
    (cd "$here" && "$python" check_identifiers.py "$config" "$work/$path.json")
done
grep -E '^(PLAY RECAP|localhost +:)' "$work/stdout" || true
echo "secret_no_leak: no value found in $(wc -c <"$work/stdout") bytes of stdout, $(wc -c <"$work/stderr") of stderr, $(wc -c <"$work/ansible.log") of log"
