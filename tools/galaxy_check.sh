#!/usr/bin/env bash
# The built collection tarball installs and works offline:
#   tools/galaxy_check.sh TARBALL
# with .venv/bin first on PATH (make galaxy-check does that).
#
# 1. The tarball holds what a user needs (LICENSE, README, docs, changelog, requirements
#    files, meta/) and none of the development files (galaxy.yml build_ignore).
# 2. ansible-galaxy installs it with --offline into a scratch path; where this machine lets
#    us (unshare -n), with no network at all, which proves that nothing is downloaded.
# 3. ansible-doc documents every plugin from the installed copy alone.
# 4. Ad-hoc runs of the modules and the lookup from the installed copy against a local
#    moto server (tools/with_moto.py): create, unchanged rerun, info, read back the value.
set -euo pipefail

tarball="${1:?usage: $0 TARBALL}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tarball="$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")"
work="$root/.build/galaxy-check"
rm -rf "$work"
mkdir -p "$work/run"

say() { echo "galaxy-check: $*"; }
fail() { echo "galaxy-check: FAILED: $*" >&2; exit 1; }

# Only the scratch path: not the checkout (.build/collections), not ~/.ansible/collections.
export ANSIBLE_COLLECTIONS_PATH="$work/collections"
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=False
export ANSIBLE_LOCALHOST_WARNING=False
export ANSIBLE_INVENTORY_UNPARSED_WARNING=False
export ANSIBLE_NOCOLOR=True
export ANSIBLE_HOME="$work/ansible-home"

# No network namespace of our own where unshare is missing or not allowed: then --offline alone.
offline=()
if command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
  offline=(unshare -n)
fi

say "contents of $(basename "$tarball")"
tar -tzf "$tarball" | sed 's#/$##' | sort > "$work/contents.txt"
for wanted in MANIFEST.json FILES.json LICENSE README.md CHANGELOG.md requirements.txt bindep.txt \
    meta/runtime.yml meta/execution-environment.yml changelogs/changelog.yaml \
    plugins/modules/secret.py plugins/modules/secret_info.py plugins/lookup/secret.py docs; do
  grep -qxF "$wanted" "$work/contents.txt" || fail "$wanted is missing from the tarball"
done
for unwanted in .git .venv .build .ci bench tools mk pins Makefile demo requirements-dev.txt requirements-pins.txt \
    tests/output tests/system changelogs/.plugin-cache.yaml; do
  ! grep -q "^$unwanted\(/\|$\)" "$work/contents.txt" || fail "$unwanted is in the tarball (galaxy.yml build_ignore)"
done
! grep -qE '(^|/)(__pycache__|[^/]*\.py[co])(/|$)' "$work/contents.txt" || fail "compiled Python files are in the tarball"
grep -q '"license": \[' <(tar -xzOf "$tarball" MANIFEST.json) || fail "MANIFEST.json names no license"

say "install --offline ${offline[*]:+(in a network namespace with no network: ${offline[*]})}"
"${offline[@]}" ansible-galaxy collection install --offline -p "$work/collections" "$tarball"
"${offline[@]}" ansible-galaxy collection list seed.secretsmanager -p "$work/collections" | tee "$work/list.txt"
version="$(tar -xzOf "$tarball" MANIFEST.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["collection_info"]["version"])')"
grep -q "seed.secretsmanager *$version" "$work/list.txt" || fail "ansible-galaxy does not list seed.secretsmanager $version"

say "ansible-doc from the installed copy"
cd "$work/run"  # no ansible.cfg, no ./collections of the checkout
"${offline[@]}" ansible-doc --list seed.secretsmanager > "$work/doc-list.txt"
"${offline[@]}" ansible-doc -t lookup --list seed.secretsmanager >> "$work/doc-list.txt"
for plugin in module:seed.secretsmanager.secret module:seed.secretsmanager.secret_info lookup:seed.secretsmanager.secret; do
  type="${plugin%%:*}" name="${plugin#*:}"
  grep -q "^$name " "$work/doc-list.txt" || fail "ansible-doc does not list the $type $name"
  "${offline[@]}" ansible-doc -t "$type" "$name" > "$work/doc-$type-$name.txt"
  grep -q "$name" "$work/doc-$type-$name.txt" || fail "ansible-doc -t $type $name printed no documentation"
  grep -q "$work/collections" "$work/doc-$type-$name.txt" || fail "ansible-doc read $name from somewhere else than the installed copy"
done

say "ad-hoc runs against a local moto server"
cat > "$work/run/adhoc.sh" <<'EOF'
#!/usr/bin/env bash
# Runs under tools/with_moto.py: AWS_ENDPOINT_URL, AWS_REGION and credentials are set.
set -euo pipefail
name="galaxy-check/$$"
token=0123456789abcdef0123456789abcdef
args="name=$name secret_string=galaxy-check-value client_request_token=$token"
ansible localhost -m seed.secretsmanager.secret -a "$args" | tee created.txt
grep -q 'CHANGED' created.txt
ansible localhost -m seed.secretsmanager.secret -a "$args" | tee rerun.txt
grep -q 'SUCCESS' rerun.txt
! grep -q 'galaxy-check-value' created.txt rerun.txt
ansible localhost -m seed.secretsmanager.secret_info -a "name=$name" | tee info.txt
grep -q "\"name\": \"$name\"" info.txt
# Also as a real module (AnsiballZ packs the module_utils of the installed copy), not in-process.
ansible localhost -m seed.secretsmanager.secret -a "$args" -e seed_secretsmanager_in_process=false -vvv | tee module.txt
grep -q 'runs as a module: turned off' module.txt
grep -q 'SUCCESS' module.txt
ansible localhost -m ansible.builtin.debug -a "msg={{ lookup('seed.secretsmanager.secret', '$name') }}" | tee lookup.txt
grep -q '"msg": "galaxy-check-value"' lookup.txt
EOF
chmod +x "$work/run/adhoc.sh"
python "$root/tools/with_moto.py" --log "$work/moto.log" -- "$work/run/adhoc.sh" || fail "the ad-hoc runs failed (moto log: $work/moto.log)"
say "passed: $(basename "$tarball") installs offline and works"
