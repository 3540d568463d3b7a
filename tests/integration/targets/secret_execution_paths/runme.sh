#!/usr/bin/env bash
# The two execution paths of seed.secretsmanager.secret/secret_info give the same results:
# run one scenario in the controller process and once as a module, and compare every result.
set -eu
config="$(cd ../.. && pwd)/integration_config.yml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

export ANSIBLE_INVENTORY=/dev/null  # implicit localhost: local connection, the controller's python
export ANSIBLE_LOCALHOST_WARNING=False
export ANSIBLE_INVENTORY_UNPARSED_WARNING=False
run_id="paths-$$-$RANDOM"

for path in true false; do
  ansible-playbook scenario.yml -vvv -e "@$config" -e "prefix=$run_id-$path" \
    -e "results_file=$work/$path.json" -e "seed_secretsmanager_in_process=$path" > "$work/$path.log" 2>&1 \
    || { tail -n 60 "$work/$path.log"; exit 1; }
done

# Each run really took its own path, for every task of the two modules (16 tasks).
in_process=$(grep -c 'runs in the controller process' "$work/true.log" || true)
as_module=$(grep -c 'runs as a module: turned off' "$work/false.log" || true)
echo "in-process tasks: $in_process, module tasks: $as_module"
[ "$in_process" -eq 16 ] && [ "$as_module" -eq 16 ]
if grep -q 'runs in the controller process' "$work/false.log" || grep -q 'runs as a module' "$work/true.log"; then
  echo "a task took the other execution path"; exit 1
fi

python compare.py "$work/true.json" "$run_id-true" "$work/false.json" "$run_id-false"
