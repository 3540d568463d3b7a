#!/usr/bin/env python
"""Check that ansible-builder can build an execution environment with this collection.

    .build/venv-tools/bin/python tools/ee_check.py --tarball .build/dist/seed-secretsmanager-X.Y.Z.tar.gz

Needs no container engine: everything up to the image build is checked.

1. Install the built tarball (ansible-galaxy --offline) into a scratch collections tree,
   so that what is checked is what an image would get, not the checkout.
2. `ansible-builder create` on the installed collection's meta/execution-environment.yml,
   with the files it names beside it: the file is a valid execution environment
   definition, every file it names is in the tarball, and the build context carries them.
3. `ansible-builder introspect` on the scratch tree (the step that runs inside the image
   build): it finds the collection and reads exactly the requirements of requirements.txt
   and bindep.txt.
4. `ansible-builder create` on a definition that installs the collection from the tarball,
   as a user's would: the Containerfile installs it and runs the introspection.

Run with the tools venv's python (ansible-builder and PyYAML are there); ansible-galaxy
is taken from --ansible-galaxy or PATH.
"""

import argparse
import os
import shutil
import subprocess
import sys

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMESPACE, NAME = "seed", "secretsmanager"
FQCN = "%s.%s" % (NAMESPACE, NAME)


class CheckFailed(Exception):
    pass


def run(cmd, **kwargs):
    print("ee-check: $ %s" % " ".join(cmd), flush=True)
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False, **kwargs)
    output = result.stdout.decode("utf-8", "replace")
    if result.returncode:
        raise CheckFailed("%s exited with %d:\n%s" % (os.path.basename(cmd[0]), result.returncode, output))
    return output


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def requirement_lines(path):
    """The lines that count in a pip or bindep file (as introspect reads them)."""
    with open(path, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def install_tarball(galaxy, tarball, collections):
    shutil.rmtree(collections, ignore_errors=True)
    env = dict(os.environ)
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    run([galaxy, "collection", "install", "--offline", "--force", "-p", collections, tarball], env=env)
    root = os.path.join(collections, "ansible_collections", NAMESPACE, NAME)
    if not os.path.isfile(os.path.join(root, "MANIFEST.json")):
        raise CheckFailed("the tarball did not install to %s" % root)
    return root


def check_definition(builder, collection_root, work):
    """Step 2: meta/execution-environment.yml is a definition ansible-builder accepts."""
    meta_file = os.path.join(collection_root, "meta", "execution-environment.yml")
    if not os.path.isfile(meta_file):
        raise CheckFailed("meta/execution-environment.yml is not in the tarball")
    with open(meta_file, encoding="utf-8") as handle:
        definition = yaml.safe_load(handle)
    dependencies = definition.get("dependencies") or {}
    if not dependencies.get("python"):
        raise CheckFailed("meta/execution-environment.yml names no Python requirements")

    # ansible-builder reads the paths relative to the definition, introspect relative to
    # the collection root: put the definition where both mean the same files.
    target = os.path.join(work, "definition")
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    shutil.copy(meta_file, os.path.join(target, "execution-environment.yml"))
    named = {}
    for kind in ("python", "system"):
        relative = dependencies.get(kind)
        if not relative:
            continue
        if os.path.isabs(relative) or relative.startswith(".."):
            raise CheckFailed("dependencies.%s must be a path inside the collection, not %s" % (kind, relative))
        source = os.path.join(collection_root, relative)
        if not os.path.isfile(source):
            raise CheckFailed("dependencies.%s names %s, which is not in the tarball" % (kind, relative))
        os.makedirs(os.path.dirname(os.path.join(target, relative)), exist_ok=True)
        shutil.copy(source, os.path.join(target, relative))
        named[kind] = source

    context = os.path.join(target, "context")
    run([builder, "create", "-f", os.path.join(target, "execution-environment.yml"), "-c", context,
         "--output-filename", "Containerfile"])
    containerfile = read(os.path.join(context, "Containerfile"))
    if "introspect" not in containerfile:
        raise CheckFailed("the Containerfile made from meta/execution-environment.yml does not introspect")
    for source in named.values():
        copied = os.path.join(context, "_build", os.path.basename(source))
        if not os.path.isfile(copied) or requirement_lines(copied) != requirement_lines(source):
            raise CheckFailed("the build context does not carry %s as the collection has it" % os.path.basename(source))
    print("ee-check: meta/execution-environment.yml is a valid definition (%s)" % ", ".join(
        "%s: %s" % (kind, os.path.relpath(path, collection_root)) for kind, path in sorted(named.items())))
    return named


def check_introspect(builder, collections, named, work):
    """Step 3: what the image build's introspect step reads from the installed collection."""
    pip_out = os.path.join(work, "introspect-requirements.txt")
    bindep_out = os.path.join(work, "introspect-bindep.txt")
    for path in (pip_out, bindep_out):
        if os.path.exists(path):
            os.remove(path)
    output = run([builder, "introspect", "--sanitize", "--write-pip", pip_out, "--write-bindep", bindep_out, collections])
    print(output.rstrip())
    for kind, out in (("python", pip_out), ("system", bindep_out)):
        expected = requirement_lines(named[kind]) if kind in named else []
        found = []
        if os.path.exists(out):
            with open(out, encoding="utf-8") as handle:
                for line in handle:
                    requirement, _hash, origin = line.partition("#")
                    if requirement.strip():
                        if FQCN not in origin:
                            raise CheckFailed("introspect attributes %r to %r, not to %s" % (requirement.strip(), origin.strip(), FQCN))
                        found.append(requirement.strip())
        # --sanitize merges duplicates and lowercases names: compare the same way.
        if sorted(set(r.lower() for r in found)) != sorted(set(r.lower() for r in expected)):
            raise CheckFailed("introspect read %s requirements %s, expected %s" % (kind, found, expected))
        print("ee-check: introspect reads the %s requirements: %s" % (kind, ", ".join(found) or "none"))


def check_image_definition(builder, tarball, work):
    """Step 4: a user's definition that installs the collection from the tarball."""
    target = os.path.join(work, "image")
    shutil.rmtree(target, ignore_errors=True)
    os.makedirs(target)
    name = os.path.basename(tarball)
    definition = {
        "version": 3,
        "dependencies": {
            "ansible_core": {"package_pip": "ansible-core>=2.16"},
            "ansible_runner": {"package_pip": "ansible-runner"},
            "galaxy": {"collections": [{"name": "collections/" + name, "type": "file"}]},
        },
        "additional_build_files": [{"src": os.path.abspath(tarball), "dest": "collections"}],
        "additional_build_steps": {"prepend_galaxy": ["COPY _build/collections/ /build/collections/"]},
    }
    path = os.path.join(target, "execution-environment.yml")
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(definition, handle, sort_keys=False)
    context = os.path.join(target, "context")
    run([builder, "create", "-f", path, "-c", context, "--output-filename", "Containerfile"])
    containerfile = read(os.path.join(context, "Containerfile"))
    for needle in ("ansible-galaxy collection install", "introspect", "COPY _build/collections/ /build/collections/"):
        if needle not in containerfile:
            raise CheckFailed("the image's Containerfile lacks %r" % needle)
    if not os.path.isfile(os.path.join(context, "_build", "collections", name)):
        raise CheckFailed("the build context does not carry the tarball")
    print("ee-check: a definition installing %s gives a build context (%s)" % (name, os.path.relpath(context, REPO_ROOT)))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check the collection's execution environment metadata.")
    parser.add_argument("--tarball", required=True, help="the built collection tarball")
    parser.add_argument("--work", default=os.path.join(REPO_ROOT, ".build", "ee-check"), help="scratch directory")
    parser.add_argument("--ansible-builder", default=os.path.join(os.path.dirname(sys.executable), "ansible-builder"))
    parser.add_argument("--ansible-galaxy", default=shutil.which("ansible-galaxy"))
    args = parser.parse_args(argv)
    if not args.ansible_galaxy:
        parser.error("ansible-galaxy not found; give --ansible-galaxy")

    os.makedirs(args.work, exist_ok=True)
    collections = os.path.join(args.work, "collections")
    try:
        root = install_tarball(args.ansible_galaxy, args.tarball, collections)
        named = check_definition(args.ansible_builder, root, args.work)
        check_introspect(args.ansible_builder, collections, named, args.work)
        check_image_definition(args.ansible_builder, args.tarball, args.work)
    except CheckFailed as exc:
        print("ee-check: FAILED: %s" % exc, file=sys.stderr)
        return 1
    print("ee-check: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
