# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: secret
short_description: Read values of AWS Secrets Manager secrets
version_added: 0.1.0
description:
  - Returns the value of each secret named in the terms, one value per term.
  - A text value is returned as text; with O(key), the selected part of a JSON value keeps its JSON type
    (dict, list, number, bool or string). A binary value is returned as base64 text.
  - The Secrets Manager client is built once per lookup call.
author:
  - Seed (@seed)
options:
  _terms:
    description:
      - Names or ARNs of secrets. A name is never split, so names with dots work.
      - An ARN is read in its own region with a client for that region. When O(region) names another region,
        the lookup warns. Asked in the wrong region, AWS answers "not found" or "access denied", which
        O(on_missing) or O(on_denied) could hide.
    required: true
    type: list
    elements: str
  version_id:
    description: The version to read, by id.
    type: str
  version_stage:
    description: The version to read, by staging label. V(AWSCURRENT) when neither this nor O(version_id) is given.
    type: str
  key:
    description:
      - A path into a JSON value, as a list (V([db, password])) or a dotted string (V(db.password)).
        Use the list form when a key has a dot in it. A list index is given as a number.
    type: raw
  on_missing:
    description:
      - What to do when a secret does not exist. A missing version (O(version_id), O(version_stage)) of a
        secret that exists is always an error.
    type: str
    choices: [error, warn, skip]
    default: error
  on_denied:
    description: What to do when reading a secret is denied (AccessDeniedException).
    type: str
    choices: [error, warn, skip]
    default: error
  on_deleted:
    description: What to do when a secret is scheduled for deletion.
    type: str
    choices: [error, warn, skip]
    default: error
notes:
  - With V(warn) or V(skip), the term gives no value, so the list returned is shorter than the terms.
  - Errors name the secret and the AWS error code, never the value.
extends_documentation_fragment:
  - seed.secretsmanager.connection.plugins
  - seed.secretsmanager.connection.shared
"""

EXAMPLES = r"""
- name: A whole text value
  ansible.builtin.debug:
    msg: "{{ lookup('seed.secretsmanager.secret', 'prod/app/token') }}"

- name: One member of a JSON value, by path (keeps its type)
  ansible.builtin.set_fact:
    db_port: "{{ lookup('seed.secretsmanager.secret', 'prod/app/db', key='db.port') }}"
    db_password: "{{ lookup('seed.secretsmanager.secret', 'prod/app/db', key=['db', 'password']) }}"

- name: The previous version, and a secret that may be missing
  ansible.builtin.set_fact:
    previous: "{{ lookup('seed.secretsmanager.secret', 'prod/app/token', version_stage='AWSPREVIOUS') }}"
    optional: "{{ lookup('seed.secretsmanager.secret', 'prod/app/maybe', on_missing='skip') }}"

- name: Several secrets at once, against a local endpoint
  ansible.builtin.debug:
    msg: "{{ query('seed.secretsmanager.secret', 'a', 'b.c', endpoint_url='http://127.0.0.1:5000', region='us-east-1') }}"
"""

RETURN = r"""
_raw:
  description: One value per term (text, base64 text for binary values, or the JSON value that O(key) selects).
  type: list
  elements: raw
"""

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import (
    ACCESS_DENIED,
    DELETED,
    HAS_BOTOCORE,
    NOT_FOUND,
    SCHEDULED_FOR_DELETION,
    Api,
    arn_params,
    resource_actions,
    secretsmanager_client,
)
from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import CONNECTION_OPTIONS
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import not_found_by_arn_message
from ansible_collections.seed.secretsmanager.plugins.module_utils._read import get_value, key_path, select

display = Display()


# What each kind of AWS error (the AWS layer's error table) lets the user choose; any other kind,
# a missing version of a secret that exists among them, is an error whatever the options say.
PROBLEM_OPTIONS = {
    NOT_FOUND: "on_missing",
    ACCESS_DENIED: "on_denied",
    SCHEDULED_FOR_DELETION: "on_deleted",
    DELETED: "on_deleted",
}


def _problem(error):
    return PROBLEM_OPTIONS.get(getattr(error, "kind", None))


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        try:
            path = key_path(self.get_option("key"))
        except TaskError as e:
            raise AnsibleError(e.message)
        version_id = self.get_option("version_id")
        version_stage = self.get_option("version_stage") or (None if version_id else "AWSCURRENT")
        connection = {name: self.get_option(name) for name in CONNECTION_OPTIONS}
        if not HAS_BOTOCORE:
            raise AnsibleError("the seed.secretsmanager.secret lookup needs botocore (pip install botocore)")
        try:
            api = Api(secretsmanager_client(connection, reuse=True))
        except TaskError as e:
            raise AnsibleError(e.message)

        apis = [api]
        try:
            return self._values(terms, api, apis, connection, path, version_id, version_stage)
        finally:
            if self.get_option("debug_botocore_endpoint_logs"):
                # A lookup has no result to carry amazon.aws's resource_actions: show them instead.
                display.display("seed.secretsmanager.secret lookup: resource_actions: %s"
                                % ", ".join(resource_actions(action for each in apis for action in each.actions)))

    def _values(self, terms, api, apis, connection, path, version_id, version_stage):
        values = []
        for term in terms:
            try:
                # The ARN's region wins over the region option: asked elsewhere, AWS answers not found or
                # access denied, which on_missing/on_denied would hide.
                term_connection, notes = arn_params(connection, term)
                for note in notes:
                    display.warning(note)
                term_api = Api(secretsmanager_client(term_connection, reuse=True)) if notes else api
                if term_api is not api:
                    apis.append(term_api)
                # The value is not added to api.sensitive: GetSecretValue errors never carry a value, and
                # masking one term's value (often short: "1", "e") out of a later term's error mangled its
                # error code and hid the deletion that on_deleted looks for.
                text, kind = get_value(term_api, term, version_id=version_id, version_stage=version_stage)
                if path is None:
                    values.append(text)
                elif kind == "binary":
                    raise TaskError("secret %s: the value is binary, so key cannot select inside it" % term, code="NotJson")
                else:
                    values.append(select(text, path, term))
            except TaskError as e:
                option = _problem(e)
                action = self.get_option(option) if option else "error"
                # Name the term unless the core already did; a name found elsewhere in AWS's text
                # (a secret called "secret" or "deleted") does not count.
                prefix = "secret %s: " % term
                message = e.message if e.message.startswith(prefix) else prefix + e.message
                if getattr(e, "kind", None) == NOT_FOUND and term.startswith("arn:"):
                    message += " (%s)" % not_found_by_arn_message(term)
                if action == "error":
                    raise AnsibleError(message)
                if action == "warn":
                    display.warning(message)
        return values
