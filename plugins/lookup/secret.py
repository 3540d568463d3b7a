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
      - A value that does not have the key counts as missing, so O(on_missing) decides.
    type: raw
  on_missing:
    description:
      - What to do when a secret does not exist, or its value does not have O(key).
      - A missing version (O(version_id), O(version_stage)) of a secret that exists is always an error.
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
  - With V(warn) or V(skip), the term gives no value, so the list returned is shorter than the terms. When no
    term gives a value, C(lookup) and C(query) both return an empty list; C(| default(..., true)) replaces it
    (the C(true) makes C(default) replace an empty value, not only an undefined one).
  - Errors name the secret and the AWS error code, never the value.
  - A keyword that is no option of this lookup (a misspelled O(key), for example) fails the lookup.
    ansible-core itself would ignore it.
  - Without credentials, or with credentials AWS does not accept, the error says where credentials come from
    (the options as keywords or variables, the environment, a profile in the shared files, a role).
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

- name: A default for a secret, or a key, that may be missing (skip gives [], which default(..., true) replaces)
  ansible.builtin.set_fact:
    log_level: "{{ lookup('seed.secretsmanager.secret', 'prod/app/settings', key='log_level', on_missing='skip') | default('info', true) }}"

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

import difflib

from ansible.errors import AnsibleError, AnsibleOptionsError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.seed.secretsmanager.plugins.module_utils._aws import (
    ACCESS_DENIED,
    CREDENTIALS,
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


# A key the value does not have: missing too, as in amazon.aws.secretsmanager_secret (its nested=true).
KEY_NOT_FOUND = "KeyNotFound"

# Keywords ansible-core itself may hand to run(): 2.16-2.18 pass wantlist=True for with_<lookup> loops.
CORE_KEYWORDS = ("wantlist",)


def _problem(error):
    if error.code == KEY_NOT_FOUND:
        return "on_missing"
    return PROBLEM_OPTIONS.get(getattr(error, "kind", None))


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        # ansible-core takes only the keywords it knows and drops the rest without a word (2.16 to 2.21):
        # a misspelled key= would return the whole JSON value, so check them first.
        self._check_keywords(kwargs)
        self.set_options(var_options=variables, direct={k: v for k, v in kwargs.items() if k not in CORE_KEYWORDS})
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
            raise AnsibleError(self._connection_message(e))

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
                    if option:
                        message += " (%s=warn or %s=skip goes on without it)" % (option, option)
                    raise AnsibleError(self._connection_message(e, message))
                if action == "warn":
                    display.warning(message)
        return values

    def _check_keywords(self, kwargs):
        """Fail on a keyword that is no option (nor an alias of one), naming it and the options."""
        definitions = {name: spec for name, spec in self.option_definitions.items() if not name.startswith("_")}
        known = set(definitions)
        for spec in definitions.values():
            known.update(spec.get("aliases") or ())
        unknown = sorted(name for name in kwargs if name not in known and name not in CORE_KEYWORDS)
        if not unknown:
            return
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hints.append("%s (did you mean %s?)" % (name, close[0]) if close else name)
        raise AnsibleOptionsError(
            "the seed.secretsmanager.secret lookup has no option %s; its options are: %s"
            % (", ".join(hints), ", ".join(sorted(definitions)))
        )

    def _connection_message(self, error, message=None):
        """The error's message, with where this lookup reads the option a connection error is about:
        the options also come from variables (the PLUGINS connection fragment), which the shared text
        of the AWS layer cannot name."""
        message = error.message if message is None else message
        if getattr(error, "kind", None) == CREDENTIALS:
            return "%s The lookup also reads them from the variables %s." % (
                message, self._sources(("access_key", "secret_key", "session_token", "profile"), env=False)
            )
        # The AWS layer's one message for NoRegionError (other region errors, such as a bad name, stay as they are).
        if getattr(error, "option", None) == "region" and error.message.startswith("region: no region given"):
            return "region: no region given: the lookup reads it from %s, or the profile's region in the config file" % self._sources(("region",))
        return message

    def _sources(self, options, env=True):
        """Every keyword, variable and environment variable that sets these options, from their definitions."""
        keywords, variables, environment = [], [], []
        for name in options:
            spec = self.option_definitions.get(name) or {}
            keywords.extend([name] + list(spec.get("aliases") or ()))
            variables.extend(entry["name"] for entry in spec.get("vars") or ())
            environment.extend(entry["name"] for entry in spec.get("env") or ())
        if not env:
            return ", ".join(variables)
        return "the keyword %s, the variable %s or the environment variable %s" % (
            " or ".join(keywords), " or ".join(variables), " or ".join(sorted(environment))
        )
