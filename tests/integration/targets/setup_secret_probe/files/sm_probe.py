#!/usr/bin/env python
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A second read path for the integration targets: boto3 straight to the endpoint, not the module.

    sm_probe.py CONFIG COMMAND NAME [OPTIONS]

CONFIG is a JSON file with endpoint, region, access_key and secret_key (the setup role writes it),
so that neither the command line nor the environment carries the credentials.
Every command prints one line of JSON. No command ever prints a secret value: the value checks
print only true or false, and take the expected value as its SHA-256 or on standard input.

    describe NAME            metadata: exists, deleted, current/previous version, versions, tags,
                             description, replicas, rotation (never the value)
    list PREFIX              names of the secrets whose name starts with PREFIX, those scheduled
                             for deletion included
    policy NAME              the resource policy as parsed JSON ({} when none)
    value-matches NAME KIND SHA256
                             true when AWSCURRENT holds the value whose SHA-256 (hex) is given:
                             of the text (string), of the JSON with sorted keys, no spaces and
                             non-ASCII kept (json), of the standard base64 text (binary)
    value-rules NAME ...     true when AWSCURRENT (or its JSON member --key) follows the rules
                             --length N --no-digits --no-punctuation --no-upper --no-lower
                             --exclude CHARS --each (one of every type not excluded)
                             --template JSON (the other members must equal this object)
    value-absent NAME        text on stdin; true when neither the AWSCURRENT value nor any string
                             member of it (when it is a JSON object) occurs in that text
    replicas-found NAME REGION...  the REGIONs in which a secret NAME exists
    rotation-lambda NAME     create (once) an IAM role and a do-nothing Lambda function NAME;
                             switches moto's Lambda to its docker-less implementation; prints the ARN
    delete-lambda NAME       delete that function and role (missing is fine)
"""

import argparse
import base64
import hashlib
import io
import json
import string
import sys
import urllib.request
import zipfile

import boto3
import botocore.exceptions


def client(args, service, region=None):
    return boto3.client(
        service,
        endpoint_url=args.config["endpoint"],
        region_name=region or args.config["region"],
        aws_access_key_id=args.config["access_key"],
        aws_secret_access_key=args.config["secret_key"],
    )


def describe(args):
    sm = client(args, "secretsmanager")
    try:
        secret = sm.describe_secret(SecretId=args.name)
    except sm.exceptions.ResourceNotFoundException:
        return {"exists": False}
    stages = secret.get("VersionIdsToStages") or {}

    def labelled(label):
        return next((v for v, s in stages.items() if label in s), None)

    return {
        "exists": True,
        "deleted": bool(secret.get("DeletedDate")),
        "arn": secret["ARN"],
        "current_version": labelled("AWSCURRENT"),
        "previous_version": labelled("AWSPREVIOUS"),
        "versions": stages,
        "description": secret.get("Description"),
        "kms_key_id": secret.get("KmsKeyId"),
        "tags": {t["Key"]: t.get("Value", "") for t in secret.get("Tags") or []},
        "replicas": sorted(r["Region"] for r in secret.get("ReplicationStatus") or []),
        "rotation_enabled": bool(secret.get("RotationEnabled")),
        "rotation_lambda_arn": secret.get("RotationLambdaARN"),
        "rotation_rules": secret.get("RotationRules") or {},
        "replication_status": [{"region": r["Region"], "status": r.get("Status"), "kms_key_id": r.get("KmsKeyId")}
                               for r in secret.get("ReplicationStatus") or []],
        # Epoch seconds, so a playbook can compare them with a result's ISO dates.
        "created_epoch": secret["CreatedDate"].timestamp() if secret.get("CreatedDate") else None,
        "last_changed_epoch": secret["LastChangedDate"].timestamp() if secret.get("LastChangedDate") else None,
    }


def list_names(args):
    sm = client(args, "secretsmanager")
    names = []
    for page in sm.get_paginator("list_secrets").paginate(IncludePlannedDeletion=True):
        names.extend(s["Name"] for s in page["SecretList"] if s["Name"].startswith(args.name))
    return sorted(names)


def policy(args):
    sm = client(args, "secretsmanager")
    text = sm.get_resource_policy(SecretId=args.name).get("ResourcePolicy")
    return json.loads(text) if text else {}


def current_value(args):
    sm = client(args, "secretsmanager")
    response = sm.get_secret_value(SecretId=args.name, VersionStage="AWSCURRENT")
    if "SecretBinary" in response:
        return "binary", response["SecretBinary"]
    return "string", response.get("SecretString")


def value_matches(args):
    try:
        kind, value = current_value(args)
    except botocore.exceptions.ClientError:
        return False
    if args.kind == "binary":
        if kind != "binary":
            return False
        text = base64.b64encode(value).decode()
    elif kind != "string":
        return False
    elif args.kind == "json":
        try:
            text = json.dumps(json.loads(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        except ValueError:
            return False
    else:
        text = value
    return hashlib.sha256(text.encode("utf-8")).hexdigest() == args.sha256.lower()


def value_rules(args):
    kind, value = current_value(args)
    if kind != "string":
        return False
    if args.key or args.template:
        try:
            document = json.loads(value)
        except ValueError:
            return False
        if not isinstance(document, dict) or args.key not in document:
            return False
        value = document.pop(args.key)
        if document != json.loads(args.template or "{}"):
            return False
    if not isinstance(value, str) or len(value) != args.length:
        return False
    classes = {
        "digits": (string.digits, args.no_digits),
        "punctuation": (string.punctuation, args.no_punctuation),
        "upper": (string.ascii_uppercase, args.no_upper),
        "lower": (string.ascii_lowercase, args.no_lower),
    }
    allowed = "".join(chars for chars, excluded in classes.values() if not excluded)
    if any(c not in allowed for c in value) or any(c in (args.exclude or "") for c in value):
        return False
    if args.each:
        for chars, excluded in classes.values():
            if not excluded and not any(c in chars for c in value):
                return False
    return True


def value_absent(args):
    text = sys.stdin.read()
    kind, value = current_value(args)
    if kind == "binary":
        forms = [value, base64.b64encode(value)]
        return not any(form in text.encode("utf-8", "surrogateescape") for form in forms)
    forms = [value]
    try:
        document = json.loads(value)
    except ValueError:
        document = None
    if isinstance(document, dict):
        forms.extend(member for member in document.values() if isinstance(member, str))
    return not any(form in text for form in forms)


def replicas_found(args):
    found = []
    for region in args.regions:
        sm = client(args, "secretsmanager", region=region)
        try:
            sm.describe_secret(SecretId=args.name)
        except sm.exceptions.ResourceNotFoundException:
            continue
        found.append(region)
    return found


def rotation_lambda(args):
    # moto invokes a rotation function when RotateSecret names one; its default Lambda needs
    # docker. The docker-less one (a moto server setting) answers every invocation with success.
    # LocalStack has no /moto-api: its Lambda accepts the function without docker (it ends Failed).
    if args.config.get("endpoint_kind", "moto") == "moto":
        request = urllib.request.Request(
            args.config["endpoint"].rstrip("/") + "/moto-api/config",
            data=json.dumps({"lambda": {"use_docker": False}}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=10).close()
    iam = client(args, "iam")
    try:
        role = iam.get_role(RoleName=args.name)["Role"]
    except iam.exceptions.NoSuchEntityException:
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        role = iam.create_role(RoleName=args.name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    lam = client(args, "lambda")
    try:
        return lam.get_function(FunctionName=args.name)["Configuration"]["FunctionArn"]
    except lam.exceptions.ResourceNotFoundException:
        pass
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("index.py", "def handler(event, context):\n    return None\n")
    created = lam.create_function(
        FunctionName=args.name, Runtime="python3.11", Role=role["Arn"], Handler="index.handler", Code={"ZipFile": archive.getvalue()}
    )
    return created["FunctionArn"]


def delete_lambda(args):
    lam = client(args, "lambda")
    try:
        lam.delete_function(FunctionName=args.name)
    except lam.exceptions.ResourceNotFoundException:
        pass
    except botocore.exceptions.ClientError as exc:
        # Endpoint marking (localstack): without docker LocalStack's Lambda never starts the
        # function, and DeleteFunction then answers 500 InternalError "Unable to find version
        # manager for ...:$LATEST" (AWS deletes a function in any state). The function dies
        # with the LocalStack run; the role is still deleted below.
        if args.config.get("endpoint_kind") != "localstack" or exc.response["Error"]["Code"] != "InternalError":
            raise
    iam = client(args, "iam")
    try:
        iam.delete_role(RoleName=args.name)
    except iam.exceptions.NoSuchEntityException:
        pass
    return True


def read_config(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config", type=read_config)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name, function):
        sub = commands.add_parser(name)
        sub.add_argument("name")
        sub.set_defaults(function=function)
        return sub

    simple = (
        ("describe", describe),
        ("list", list_names),
        ("policy", policy),
        ("rotation-lambda", rotation_lambda),
        ("delete-lambda", delete_lambda),
    )
    for name, function in simple:
        command(name, function)
    command("value-absent", value_absent)
    matches = command("value-matches", value_matches)
    matches.add_argument("kind", choices=["string", "json", "binary"])
    matches.add_argument("sha256")
    rules = command("value-rules", value_rules)
    rules.add_argument("--length", type=int, required=True)
    rules.add_argument("--key")
    rules.add_argument("--template")
    rules.add_argument("--exclude")
    for flag in ("--no-digits", "--no-punctuation", "--no-upper", "--no-lower", "--each"):
        rules.add_argument(flag, action="store_true")
    command("replicas-found", replicas_found).add_argument("regions", nargs="+")
    args = parser.parse_args()
    print(json.dumps(args.function(args)))


if __name__ == "__main__":
    main()
