# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: secret
short_description: Read values of AWS Secrets Manager secrets
version_added: 0.1.0
description:
  - Returns the value of each secret named in the terms, one value per term, in the order of the terms.
  - With O(path) instead of terms, returns one dict of every secret under that path, name -> value.
  - A text value is returned as text; with O(key), the selected part of a JSON value keeps its JSON type
    (dict, list, number, bool or string). A binary value is returned as base64 text.
  - The Secrets Manager client is built once per lookup call.
  - Two or more terms are read in batches of 20 (BatchGetSecretValue), so 100 terms take 5 calls. A term is read
    on its own (GetSecretValue) when it is the only one of its region, when O(version_id) or a O(version_stage)
    other than V(AWSCURRENT) is given (a batch reads the current version only), and after AWS denies the batch
    call (C(secretsmanager:BatchGetSecretValue) is an IAM action of its own, so a policy that allows only
    C(secretsmanager:GetSecretValue) still works, with one call per term).
  - BatchGetSecretValue allows 100 requests a second per account and region (GetSecretValue 10,000), so a play
    that reads on many hosts at once can be throttled. A batch still throttled after botocore's retries is sent
    again up to 3 times, after about 0.5, 1 and 2 seconds (each delay varied at random, so that the hosts spread
    out); still throttled, its terms and those of the later batches are read one call each (GetSecretValue), with
    the same values and the same O(on_missing), O(on_denied) and O(on_deleted) as a lookup of each term alone.
author:
  - Seed (@seed)
options:
  _terms:
    description:
      - Names or ARNs of secrets. A name is never split, so names with dots work.
      - A name and an ARN of the same secret, and the same term twice, each give the value again (read once).
      - An ARN is read in its own region with a client for that region. When O(region) names another region,
        the lookup warns. Asked in the wrong region, AWS answers "not found" or "access denied", which
        O(on_missing) or O(on_denied) could hide.
      - Not with O(path).
    type: list
    elements: str
  path:
    description:
      - Read every secret whose name starts with this text (V(prod/payments/)), and return one dict of name -> value
        (sorted by name) instead of one value per term. The prefix is taken as it is written, so end it with V(/)
        to stay inside one level (V(prod/pay) also matches V(prod/payments/db) and V(prod/payroll)).
      - Not with terms, O(version_id) or a O(version_stage) other than V(AWSCURRENT). An empty path, or one that
        is only V(/), is refused.
      - Secrets scheduled for deletion are left out, whatever O(on_deleted) says.
      - O(key) applies to each value. A secret without a current value (created without one, for example), and
        with O(key) a value without the key or that is not JSON, follows O(on_missing); with V(warn) or V(skip) it
        is left out and the other secrets are returned. A secret AWS does not let the caller read follows
        O(on_denied). Each such message names the secret.
      - When no secret is under the path, O(on_missing) decides (V(warn) and V(skip) return an empty dict).
      - Read with BatchGetSecretValue and a name filter, 20 secrets a call (IAM actions
        C(secretsmanager:BatchGetSecretValue), C(secretsmanager:ListSecrets) and C(secretsmanager:GetSecretValue)).
        When the batch call is denied, or still throttled after 3 more attempts (as for terms), the secrets are
        listed (ListSecrets, a quota of its own that takes 100 names a call) and those not read yet are read one by
        one (GetSecretValue). A listing may miss a secret created in the last minutes. When the listing is
        throttled too, the lookup fails with a message that names the path and both throttled calls.
    type: str
    version_added: 0.2.0
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
      - A value that does not have the key counts as missing, so O(on_missing) decides. So does a value that is
        not JSON (plain text or binary), which has no key at all.
    type: raw
  on_missing:
    description:
      - What to do when a secret does not exist, has no current value (AWSCURRENT), or its value does not have O(key)
        (or is not JSON).
      - A missing version asked by O(version_id) or a O(version_stage) other than V(AWSCURRENT), of a secret that
        exists, is always an error.
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
  - Each term's problem is decided by its own kind, as when it is read alone; a batch changes only the number of calls.
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

- name: Many secrets in one lookup (read 20 a call), in the order given
  ansible.builtin.set_fact:
    app_settings: "{{ query('seed.secretsmanager.secret', 'prod/app/db', 'prod/app/token', 'prod/app/settings', on_missing='skip') }}"

- name: Every secret under a path, as a dict of name -> value
  ansible.builtin.set_fact:
    payments: "{{ lookup('seed.secretsmanager.secret', path='prod/payments/') }}"

- name: One member of each JSON value under a path (a value without it is left out)
  ansible.builtin.set_fact:
    passwords: "{{ lookup('seed.secretsmanager.secret', path='prod/db/', key='password', on_missing='skip') }}"

- name: Several secrets at once, against a local endpoint
  ansible.builtin.debug:
    msg: "{{ query('seed.secretsmanager.secret', 'a', 'b.c', endpoint_url='http://127.0.0.1:5000', region='us-east-1') }}"
"""

RETURN = r"""
_raw:
  description:
    - One value per term (text, base64 text for binary values, or the JSON value that O(key) selects).
    - With O(path), one dict of secret name -> value.
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
    VERSION_NOT_FOUND,
    Api,
    resource_actions,
    secretsmanager_client,
)
from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import CONNECTION_OPTIONS
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError
from ansible_collections.seed.secretsmanager.plugins.module_utils._model import CURRENT, not_found_by_arn_message
from ansible_collections.seed.secretsmanager.plugins.module_utils._read import check_path, get_value, key_path, read_path, read_values, select
from ansible_collections.seed.secretsmanager.plugins.module_utils._regions import arn_params

display = Display()


# What each kind of AWS error (the AWS layer's error table) lets the user choose; any other kind,
# a missing version of a secret that exists among them, is an error whatever the options say.
PROBLEM_OPTIONS = {
    NOT_FOUND: "on_missing",
    ACCESS_DENIED: "on_denied",
    SCHEDULED_FOR_DELETION: "on_deleted",
    DELETED: "on_deleted",
}


# A key the value does not have: missing too, as in amazon.aws.secretsmanager_secret (its nested=true). So is a key
# asked of a value that is not JSON (text, or binary): it has no key at all, and with a path one such secret
# among JSON ones must not fail the others when on_missing says warn or skip.
KEY_NOT_FOUND = "KeyNotFound"
NOT_JSON = "NotJson"

# Keywords ansible-core itself may hand to run(): 2.16-2.18 pass wantlist=True for with_<lookup> loops.
CORE_KEYWORDS = ("wantlist",)


# A path no secret's name starts with: missing too (a misspelled path would otherwise give {} without a word).
NOT_UNDER_PATH = "NoSecretUnderPath"


def _problem(error, current=False):
    """The on_* option that decides an error, or None. current: the current version (AWSCURRENT) was read, so a
    version AWS does not find means that the secret has no value (created without one), which counts as missing."""
    if error.code in (KEY_NOT_FOUND, NOT_JSON, NOT_UNDER_PATH):
        return "on_missing"
    kind = getattr(error, "kind", None)
    if kind == VERSION_NOT_FOUND and current:
        return "on_missing"
    return PROBLEM_OPTIONS.get(kind)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        # ansible-core takes only the keywords it knows and drops the rest without a word (2.16 to 2.21):
        # a misspelled key= would return the whole JSON value, so check them first.
        self._check_keywords(kwargs)
        self.set_options(var_options=variables, direct={k: v for k, v in kwargs.items() if k not in CORE_KEYWORDS})
        version_id = self.get_option("version_id")
        version_stage = self.get_option("version_stage") or (None if version_id else CURRENT)
        secret_path = self.get_option("path")
        try:
            path = key_path(self.get_option("key"))
            if secret_path is not None:
                secret_path = check_path(secret_path)
                if terms:
                    raise ValidationError("path", "reads every secret under the path; give either terms or path, not both")
                if version_id or version_stage != CURRENT:
                    # BatchGetSecretValue reads the current version only.
                    raise ValidationError("path", "reads the current values only; it takes no version_id or version_stage")
        except TaskError as e:
            raise AnsibleError(e.message)
        connection = {name: self.get_option(name) for name in CONNECTION_OPTIONS}
        if not HAS_BOTOCORE:
            raise AnsibleError("the seed.secretsmanager.secret lookup needs botocore (pip install botocore)")
        try:
            api = Api(secretsmanager_client(connection, reuse=True))
        except TaskError as e:
            raise AnsibleError(self._connection_message(e))

        apis = [api]
        try:
            if secret_path is not None:
                return [self._path_values(api, secret_path, path)]
            return self._values(terms, api, apis, connection, path, version_id, version_stage)
        finally:
            if self.get_option("debug_botocore_endpoint_logs"):
                # A lookup has no result to carry amazon.aws's resource_actions: show them instead.
                display.display("seed.secretsmanager.secret lookup: resource_actions: %s"
                                % ", ".join(resource_actions(action for each in apis for action in each.actions)))

    def _values(self, terms, api, apis, connection, path, version_id, version_stage):
        # Each term's Api: the ARN's region wins over the region option (asked elsewhere, AWS answers not found
        # or access denied, which on_missing/on_denied would hide). One Api per region, so its terms batch together.
        regional = {}
        term_apis = []
        for term in terms:
            try:
                term_connection, notes = arn_params(connection, term)
                for note in notes:
                    display.warning(note)
                term_api = api
                if notes:
                    term_api = regional.get(term_connection["region"])
                    if term_api is None:
                        term_api = regional[term_connection["region"]] = Api(secretsmanager_client(term_connection, reuse=True))
                        apis.append(term_api)
                term_apis.append(term_api)
            except TaskError as e:
                term_apis.append(e)
        # The current values of two or more secrets of one region come in batches (BatchGetSecretValue, 20 a
        # call); a version (version_id, or a version_stage other than AWSCURRENT) only GetSecretValue reads.
        read = {}
        # Only a version asked by version_id or another stage is "a missing version": no current value is no value.
        current = not version_id and version_stage == CURRENT
        if current:
            for each in apis:
                secret_ids = list(dict.fromkeys(term for term, term_api in zip(terms, term_apis) if term_api is each))
                if len(secret_ids) > 1:
                    read.update(((id(each), secret_id), answer) for secret_id, answer in read_values(each, secret_ids).items())

        # The value is not added to api.sensitive: GetSecretValue errors never carry a value, and masking one
        # term's value (often short: "1", "e") out of a later term's error mangled its error code and hid the
        # deletion that on_deleted looks for.
        values = []
        for term, term_api in zip(terms, term_apis):
            try:
                if isinstance(term_api, TaskError):
                    raise term_api
                answer = read.get((id(term_api), term))
                if answer is None:
                    answer = read[(id(term_api), term)] = self._get_value(term_api, term, version_id, version_stage)
                if isinstance(answer, TaskError):
                    raise answer
                text, kind = answer
                values.append(self._select(text, kind, path, term))
            except TaskError as e:
                self._problem_or_raise(e, term, current=current)
        return values

    @staticmethod
    def _get_value(api, term, version_id, version_stage):
        try:
            return get_value(api, term, version_id=version_id, version_stage=version_stage)
        except TaskError as e:
            return e

    @staticmethod
    def _select(text, kind, path, name):
        if path is None:
            return text
        if kind == "binary":
            raise TaskError("secret %s: the value is binary, so key cannot select inside it" % name, code=NOT_JSON)
        return select(text, path, name)

    def _path_values(self, api, secret_path, path):
        """{name: value} of every secret under the path, sorted by name."""
        try:
            found, failures = read_path(api, secret_path)
        except TaskError as e:
            self._problem_or_raise(e, None, "path %s: " % secret_path, current=True)
            return {}
        answers = dict(found, **failures)
        values = {}
        for name in sorted(answers):
            try:
                if isinstance(answers[name], TaskError):
                    raise answers[name]
                text, kind = answers[name]
                values[name] = self._select(text, kind, path, name)
            except TaskError as e:
                self._problem_or_raise(e, name, current=True)
        if not answers:
            self._problem_or_raise(TaskError("no secret's name starts with it", code=NOT_UNDER_PATH), None, "path %s: " % secret_path)
        return values

    def _problem_or_raise(self, e, term, prefix=None, current=False):
        """Warn, skip or fail as the on_* option of the error's kind says (any other error fails). current: the
        current version was read (no version_id, no other version_stage)."""
        option = _problem(e, current)
        action = self.get_option(option) if option else "error"
        # Name the term unless the core already did; a name found elsewhere in AWS's text
        # (a secret called "secret" or "deleted") does not count.
        prefix = prefix or "secret %s: " % term
        message = e.message if e.message.startswith(prefix) else prefix + e.message
        if getattr(e, "kind", None) == NOT_FOUND and term and term.startswith("arn:"):
            message += " (%s)" % not_found_by_arn_message(term)
        if action == "error":
            if option:
                message += " (%s=warn or %s=skip goes on without it)" % (option, option)
            raise AnsibleError(self._connection_message(e, message))
        if action == "warn":
            display.warning(message)

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
