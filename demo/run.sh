#!/usr/bin/env bash
# The demo: demo/demo.yml, then one ad-hoc task, against the AWS endpoint in
# AWS_ENDPOINT_URL. `make demo` runs it under tools/with_moto.py, which starts a
# throw-away moto server and sets AWS_ENDPOINT_URL, AWS_REGION and credentials.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
: "${AWS_ENDPOINT_URL:?run this through tools/with_moto.py (make demo)}"

if [ -x "$root/.venv/bin/ansible-playbook" ]; then
  export PATH="$root/.venv/bin:$PATH"
fi
ANSIBLE_COLLECTIONS_PATH="$("$root/tools/collection_path.sh")"
export ANSIBLE_COLLECTIONS_PATH
export ANSIBLE_LOCALHOST_WARNING=False
export ANSIBLE_INVENTORY_UNPARSED_WARNING=False
export ANSIBLE_NOCOLOR="${ANSIBLE_NOCOLOR:-$([ -t 1 ] && echo False || echo True)}"

# The values live in a vars file, as they would in ansible-vault, never on a command line: ansible-core
# prints an ad-hoc task's arguments (`-a '...'`) when the task fails, and `ps` shows them meanwhile.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(
  umask 077
  python3 - >"$work/demo_vars.yml" <<'PY'
import secrets, string, uuid
def password():
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(24))
for name in ("demo_password", "demo_new_password", "adhoc_value"):
    print("%s: %s" % (name, password()))
    print("%s_version: %s" % (name, uuid.uuid4()))
PY
)

# Show each command's output and keep it, to check afterwards that no value reached it.
run() {
  echo "### $*" | sed "s|$work/||g"
  "$@" 2>&1 | tee -a "$work/output.txt"
}

run ansible-playbook demo/demo.yml -e @"$work/demo_vars.yml"
echo
run ansible localhost -m seed.secretsmanager.secret -e @"$work/demo_vars.yml" \
  -a 'name=demo/adhoc secret_string={{ adhoc_value }} client_request_token={{ adhoc_value_version }}'

# The claim of the whole demo: no value in any output.
while read -r name value; do
  case "$name" in *_version:) continue ;; esac
  if grep -qF -- "$value" "$work/output.txt"; then
    echo "demo: FAILED: the value of ${name%:} appears in the output" >&2
    exit 1
  fi
done <"$work/demo_vars.yml"
echo
echo "demo: passed; no value appeared in the output above"
