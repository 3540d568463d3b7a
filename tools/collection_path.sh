#!/usr/bin/env bash
# Make .build/collections/ansible_collections/seed/secretsmanager a symlink to the
# repo root and print .build/collections, for ANSIBLE_COLLECTIONS_PATH:
#   export ANSIBLE_COLLECTIONS_PATH="$(tools/collection_path.sh)"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
parent="$root/.build/collections/ansible_collections/seed"
mkdir -p "$parent"
# Relative, so the link survives moving the checkout; -n replaces an old link in place.
ln -sfn ../../../.. "$parent/secretsmanager"
echo "$root/.build/collections"
