#!/usr/bin/env python
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make distinctive secret values, then look for them in everything Ansible wrote.

    find_leaks.py make-values CONFIG VALUES.json   random values for leak.yml and identifiers.yml (-e @VALUES.json)
    find_leaks.py self-test                        prove that scan finds every form it looks for
    find_leaks.py scan CONFIG VALUES.json FILE...  exit 1 when any value, in any form, is in a FILE
    find_leaks.py cleanup CONFIG VALUES.json       delete every secret of this run (boto3)

CONFIG is ansible-test's integration_config.yml (endpoint, region, keys). scan also reads the
values that AWS generated (generate_secret) back from the endpoint, to look for them too.
Nothing here ever prints a value: a hit is reported as value id, form and file.
"""

import base64
import json
import os
import re
import secrets
import string
import sys

ROUNDS = 6  # one set of values per step of leak.yml (see its header)


def token():
    return secrets.token_hex(10)


def password():
    """A random password of letters, digits and punctuation (with a hex core, as every value here has)."""
    alphabet = string.ascii_letters + string.digits + "!#%&*+-=?@^_~"
    return "".join(secrets.choice(alphabet) for _index in range(16)) + token()


def make_values(path, region):
    values = {"prefix": "leak-" + secrets.token_hex(4)}
    # identifiers.yml: a real password (letters, digits, punctuation) among members that are everyday words,
    # the region and a port, which the task's name, tags and description and AWS's ARN hold too.
    values["real_password"] = password()
    values["real_password_2"] = password()
    values["everyday_json"] = {"environment": "prod", "region": region, "username": "admin", "port": 5432,
                               "password": values["real_password"]}
    for i in range(1, ROUNDS + 1):
        # A quote, a backslash and non-ASCII letters, so that escaped forms differ from raw ones.
        values["string_%d" % i] = 'leak-string-%s-"q"-\\-\u00fc' % token()
        values["user_%d" % i] = "leak-user-%s" % token()
        values["member_%d" % i] = 'leak-member-%s-"q"-\u00e9' % token()
        raw = b"\x00\xff\xfe" + os.urandom(6) + b"leak-binary-" + token().encode() + os.urandom(7)
        values["binary_%d" % i] = base64.b64encode(raw).decode()
    values["template_user"] = "leak-template-user-%s" % token()
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(values, handle)


def documents(values):
    """The JSON documents leak.yml builds from the values, and identifiers.yml's (searched whole only: its
    other members are everyday words that the name, tags and ARN legitimately show)."""
    found = {"document_%d" % i: {"username": values["user_%d" % i], "password": values["member_%d" % i]} for i in range(1, ROUNDS + 1)}
    if "everyday_json" in values:
        found["everyday_json"] = values["everyday_json"]
    return found


def base64_forms(data):
    """base64 of data as it would appear inside a longer base64 text, at each of the three alignments."""
    forms = []
    for skip in range(3):
        part = data[skip:]
        part = part[: len(part) - len(part) % 3]
        if len(part) >= 6:
            forms.append(base64.b64encode(part))
            forms.append(base64.urlsafe_b64encode(part))
    return forms


def text_forms(text):
    raw = text.encode("utf-8")
    forms = {
        "raw": [raw],
        "json-escaped": [json.dumps(text)[1:-1].encode(), json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8")],
        "python-repr": [repr(text)[1:-1].encode("utf-8"), ascii(text)[1:-1].encode()],
        "base64": base64_forms(raw),
        "hex": [raw.hex().encode(), raw.hex().upper().encode()],
    }
    return forms


def bytes_forms(data):
    latin = data.decode("latin-1")
    return {
        "raw": [data],
        "base64": base64_forms(data),
        "json-escaped": [json.dumps(latin)[1:-1].encode(), json.dumps(data.decode("utf-8", "replace"))[1:-1].encode()],
        "python-repr": [repr(data)[2:-1].encode()],
        "hex": [data.hex().encode(), data.hex().upper().encode()],
    }


def needles(values, generated=None):
    """(value id, form, bytes) for every value and every form of it."""
    out = []

    def add(value_id, forms):
        for form, items in forms.items():
            for item in items:
                out.append((value_id, form, item))

    for key, value in values.items():
        if key in ("prefix", "everyday_json"):
            continue
        if key.startswith("binary_"):
            data = base64.b64decode(value)
            add(key, bytes_forms(data))
            add(key + " as base64 text", text_forms(value))
            marker = data[data.index(b"leak-binary-"):][:32]
            add(key + " marker", {"raw": [marker], "base64": base64_forms(marker)})
        else:
            add(key, text_forms(value))
            # The random core alone catches a value cut short or wrapped in something unforeseen.
            core = re.search(r"[0-9a-f]{20}", value).group(0)
            add(key + " core", {"raw": [core.encode()], "base64": base64_forms(core.encode())})
    for key, document in documents(values).items():
        for variant, text in (
            ("compact", json.dumps(document, separators=(",", ":"), ensure_ascii=False)),
            ("sorted", json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)),
            ("spaced", json.dumps(document)),
        ):
            add("%s %s" % (key, variant), text_forms(text))
    for key, value in (generated or {}).items():
        add(key, text_forms(value))
    return out


def scan(found_in, files):
    hits = []
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        for value_id, form, needle in found_in:
            count = data.count(needle)
            if count:
                hits.append((value_id, form, os.path.basename(path), count))
    return hits


def read_config(path):
    import yaml

    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def client(config):
    import boto3

    return boto3.client(
        "secretsmanager",
        endpoint_url=config["aws_endpoint_url"],
        region_name=config["aws_region"],
        aws_access_key_id=config["aws_access_key"],
        aws_secret_access_key=config["aws_secret_key"],
    )


def generated_values(config, values):
    """The values AWS generated for the generate_secret steps, read back from the endpoint."""
    sm = client(config)
    found = {}
    for suffix in ("generated", "generated-json"):
        name = "%s/%s" % (values["prefix"], suffix)
        try:
            text = sm.get_secret_value(SecretId=name)["SecretString"]
        except sm.exceptions.ResourceNotFoundException:
            continue
        found[suffix] = text
        try:
            document = json.loads(text)
        except ValueError:
            continue
        if isinstance(document, dict) and isinstance(document.get("password"), str):
            found[suffix + " member"] = document["password"]
    return found


def cleanup(config, values):
    sm = client(config)
    names = []
    for page in sm.get_paginator("list_secrets").paginate(IncludePlannedDeletion=True):
        names.extend(s["Name"] for s in page["SecretList"] if s["Name"].startswith(values["prefix"] + "/"))
    for name in names:
        sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    return names


def self_test():
    """Every form of every value, dropped into noise, must be found; clean noise must not be."""
    path = "self-test-values.json"
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), "find_leaks-%s" % secrets.token_hex(4))
    os.makedirs(tmp)
    try:
        make_values(os.path.join(tmp, path), "eu-west-1")
        with open(os.path.join(tmp, path), encoding="utf-8") as handle:
            values = json.load(handle)
        all_needles = needles(values, {"generated": "GeneratedPassword-%s" % token()})
        noise = os.path.join(tmp, "noise")
        with open(noise, "wb") as handle:
            handle.write(os.urandom(4096) + json.dumps({"prefix": values["prefix"]}).encode())
        if scan(all_needles, [noise]):
            return "clean noise reported as a leak"
        for value_id, form, needle in all_needles:
            sample = os.path.join(tmp, "sample")
            with open(sample, "wb") as handle:
                handle.write(b"noise " + needle + b" noise")
            if not scan([(value_id, form, needle)], [sample]):
                return "%s (%s) not found" % (value_id, form)
        # A value inside a larger base64 text, at every offset, is found in its base64 form.
        string_needles = [n for n in all_needles if n[0] == "string_1" and n[1] == "base64"]
        for offset in range(3):
            sample = os.path.join(tmp, "sample")
            with open(sample, "wb") as handle:
                handle.write(base64.b64encode(os.urandom(offset) + values["string_1"].encode("utf-8") + os.urandom(5)))
            if not scan(string_needles, [sample]):
                return "string_1 inside base64 at offset %d not found" % offset
        return None
    finally:
        for name in os.listdir(tmp):
            os.remove(os.path.join(tmp, name))
        os.rmdir(tmp)


def main(argv):
    command = argv[0] if argv else ""
    if command == "make-values" and len(argv) == 3:
        make_values(argv[2], read_config(argv[1])["aws_region"])
        return 0
    if command == "self-test" and len(argv) == 1:
        problem = self_test()
        print("find_leaks self-test: %s" % (problem or "every form of every value is found"))
        return 1 if problem else 0
    if command in ("scan", "cleanup") and len(argv) >= 3:
        config = read_config(argv[1])
        with open(argv[2], encoding="utf-8") as handle:
            values = json.load(handle)
        if command == "cleanup":
            print("find_leaks cleanup: deleted %d secrets" % len(cleanup(config, values)))
            return 0
        generated = generated_values(config, values)
        found_in = needles(values, generated)
        hits = scan(found_in, argv[3:])
        for value_id, form, path, count in hits:
            print("LEAK: %s (%s form) found %d time(s) in %s" % (value_id, form, count, path))
        sizes = ", ".join("%s %d bytes" % (os.path.basename(p), os.path.getsize(p)) for p in argv[3:])
        print("find_leaks: %d forms of %d values (%d generated) searched in %s: %d hits"
              % (len(found_in), len(values) - 1 + len(generated), len(generated), sizes, len(hits)))
        return 1 if hits else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
