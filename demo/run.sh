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

echo "### ansible-playbook demo/demo.yml"
ansible-playbook demo/demo.yml

echo
echo "### ad-hoc: ansible localhost -m seed.secretsmanager.secret"
# A random value that never reaches the output: the module returns no secret values.
ansible localhost -m seed.secretsmanager.secret -a "name=demo/adhoc \
  secret_string={{ lookup('ansible.builtin.password', '/dev/null length=32 chars=ascii_letters,digits') }} \
  description='Created by an ad-hoc command' \
  endpoint_url={{ lookup('ansible.builtin.env', 'AWS_ENDPOINT_URL') }} \
  region={{ lookup('ansible.builtin.env', 'AWS_REGION') }}"
