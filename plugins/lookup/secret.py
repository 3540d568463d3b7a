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
  cache:
    description:
      - Read each secret once per run of C(ansible-playbook) or C(ansible), however many hosts and tasks use it. Ansible
        templates a variable again at every use on every host, so without it a lookup in C(group_vars) reads the secret
        each time.
      - The values are kept in the memory of a small server process of the run's own (started by the first lookup that
        needs it, on a Unix socket in a directory only the user can enter), never on disk, and the server ends with the
        run. A value changed during a run is seen by the next run. Errors are not kept (each use reads again).
      - If the cache cannot be used, the lookup reads directly, with the same result. Outside of an ansible run (a
        lookup called from Python) there is no cache.
      - V(false) reads directly each time. The guide C(docs/lookup-cache.md) of the collection tells more.
    type: bool
    default: true
    env:
      - name: SEED_SECRETSMANAGER_LOOKUP_CACHE
    vars:
      - name: seed_secretsmanager_lookup_cache
    version_added: 0.2.0
  cache_ttl:
    description:
      - Seconds a cached value is used before it is read again, within the run. V(0) uses it for the whole run, so
        that every host of the run gets the same value.
    type: int
    default: 0
    env:
      - name: SEED_SECRETSMANAGER_LOOKUP_CACHE_TTL
    vars:
      - name: seed_secretsmanager_lookup_cache_ttl
    version_added: 0.2.0
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
import importlib
import os
import types

from ansible.errors import AnsibleError, AnsibleOptionsError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.seed.secretsmanager.plugins.module_utils._connection import CONNECTION_OPTIONS
from ansible_collections.seed.secretsmanager.plugins.module_utils._errors import TaskError, ValidationError
from ansible_collections.seed.secretsmanager.plugins.plugin_utils import _lookup_cache as lookup_cache

display = Display()

# The read side (the AWS, model and read layers, botocore) is imported by the first lookup that reads, not with the
# plugin: every forked worker that templates the lookup imports the plugin, and one that the run's cache answers
# runs none of it (the collection loader compiles each file again in each process). Its names are this module's
# attributes all the same (module __getattr__, and _read_side() takes one that a test set).
READ_SIDE = {
    "ansible_collections.seed.secretsmanager.plugins.module_utils._aws": (
        "ACCESS_DENIED", "CREDENTIALS", "DELETED", "HAS_BOTOCORE", "NOT_FOUND", "SCHEDULED_FOR_DELETION", "VERSION_NOT_FOUND",
        "Api", "resource_actions", "secretsmanager_client",
    ),
    "ansible_collections.seed.secretsmanager.plugins.module_utils._model": ("CURRENT", "not_found_by_arn_message"),
    "ansible_collections.seed.secretsmanager.plugins.module_utils._read": ("check_path", "get_value", "key_path", "read_path", "read_values", "select"),
    "ansible_collections.seed.secretsmanager.plugins.module_utils._regions": ("arn_params",),
}
_READ_SIDE_MODULES = {name: module for module, names in READ_SIDE.items() for name in names}


def __getattr__(name):
    module = _READ_SIDE_MODULES.get(name)
    if module is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    return getattr(importlib.import_module(module), name)


def _read_side():
    """The read side's names: this module's own where one was set (a test's), else the layers'."""
    namespace = globals()
    return types.SimpleNamespace(**{
        name: namespace[name] if name in namespace else getattr(importlib.import_module(module), name)
        for name, module in _READ_SIDE_MODULES.items()
    })


def _problem_options(rs):
    """What each kind of AWS error (the AWS layer's error table) lets the user choose; any other kind,
    a missing version of a secret that exists among them, is an error whatever the options say."""
    return {
        rs.NOT_FOUND: "on_missing",
        rs.ACCESS_DENIED: "on_denied",
        rs.SCHEDULED_FOR_DELETION: "on_deleted",
        rs.DELETED: "on_deleted",
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


def _problem(rs, error, current=False):
    """The on_* option that decides an error, or None. current: the current version (AWSCURRENT) was read, so a
    version AWS does not find means that the secret has no value (created without one), which counts as missing."""
    if error.code in (KEY_NOT_FOUND, NOT_JSON, NOT_UNDER_PATH):
        return "on_missing"
    kind = getattr(error, "kind", None)
    if kind == rs.VERSION_NOT_FOUND and current:
        return "on_missing"
    return _problem_options(rs).get(kind)


def _effective(connection, place=None):
    """What, besides the secret and its version, decides a read's answer: the connection options (the region of an
    ARN's own client) and the environment that botocore reads credentials, profiles and regions from. It is only
    ever hashed (an HMAC of the run's cache), never stored."""
    options = dict(connection, region=place) if place else connection
    environment = sorted((name, value) for name, value in os.environ.items() if name.startswith("AWS_") or name == "HOME")
    return [sorted(options.items()), environment]


def _encode_value(answer):
    """What the run's cache keeps of a term's answer: a value (text, kind), never an error."""
    if isinstance(answer, tuple) and len(answer) == 2 and all(isinstance(part, str) for part in answer):
        return list(answer)
    return None


def _decode_value(value):
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and value[1] in ("string", "binary"):
        return tuple(value)
    return None


def _encode_path(answer):
    """A path's answer is kept only when every secret under it was read: a failure is read again each time."""
    if not isinstance(answer, tuple):
        return None
    found, failures = answer
    if failures or not found:
        return None
    return {name: list(each) for name, each in found.items()}


def _decode_path(value):
    if not isinstance(value, dict) or not value:
        return None
    found = {}
    for name, each in value.items():
        each = _decode_value(each)
        if each is None:
            return None
        found[name] = each
    return found, {}


class _Apis:
    """The lookup's clients, built when a read first needs one: None is the options' client (a failure to build
    it fails the lookup, with where the options come from), a region an ARN's own (a failure is that term's)."""

    def __init__(self, rs, connection, connection_message):
        self.rs = rs
        self.connection = connection
        self.connection_message = connection_message
        self.apis = {}
        self.made = []

    def get(self, place):
        api = self.apis.get(place)
        if api is None:
            options = dict(self.connection, region=place) if place else self.connection
            try:
                api = self.rs.Api(self.rs.secretsmanager_client(options, reuse=True))
            except TaskError as e:
                if place is None:
                    raise AnsibleError(self.connection_message(e))
                raise
            self.apis[place] = api
            self.made.append(api)
        return api


class LookupModule(LookupBase):
    # Of the read in progress: how many terms a problem stopped (warned about or skipped: such an answer is not
    # kept), and the warnings about ARNs in other regions (kept with the answer, shown again with it).
    _problems = 0
    _notes = ()
    _rs = None  # the read side (_read_side()), bound by the first read

    def run(self, terms, variables=None, **kwargs):
        # ansible-core takes only the keywords it knows and drops the rest without a word (2.16 to 2.21):
        # a misspelled key= would return the whole JSON value, so check them first.
        self._check_keywords(kwargs)
        self.set_options(var_options=variables, direct={k: v for k, v in kwargs.items() if k not in CORE_KEYWORDS})
        connection = {name: self.get_option(name) for name in CONNECTION_OPTIONS}
        session = self._cache_session() if terms or self.get_option("path") is not None else None
        try:
            if session is not None:
                # The whole answer of the same lookup (same terms and options) earlier in the run: no read at all.
                # Only answers without a problem are kept, so the on_* options had nothing to decide.
                identity = self._result_identity(terms, connection)
                cached = self._cached_result(session, identity)
                if cached is not None:
                    for note in cached["warnings"]:
                        display.warning(note)
                    if self.get_option("debug_botocore_endpoint_logs"):
                        display.display("seed.secretsmanager.secret lookup: resource_actions: ")
                    return cached["values"]
            self._rs = _read_side()
            self._problems = 0
            self._notes = []
            values = self._read(terms, session, connection)
            if session is not None and not self._problems:
                try:
                    session.store(identity, {"values": values, "warnings": self._notes})
                except lookup_cache.CacheError as e:
                    display.vvv("seed.secretsmanager.secret lookup: the run's cache failed: %s" % e)
            return values
        finally:
            if session is not None:
                session.close()

    def _result_identity(self, terms, connection):
        options = [(name, self.get_option(name)) for name in ("version_id", "version_stage", "key", "path", "cache_ttl")]
        return ["result", list(terms), options, _effective(connection)]

    def _cached_result(self, session, identity):
        try:
            cached = session.peek(identity, ttl=self.get_option("cache_ttl") or 0)
        except lookup_cache.CacheError as e:
            display.vvv("seed.secretsmanager.secret lookup: the run's cache failed, read directly: %s" % e)
            return None
        if cached is None:
            return None
        if not (isinstance(cached, dict) and isinstance(cached.get("values"), list) and isinstance(cached.get("warnings"), list)
                and all(isinstance(note, str) for note in cached["warnings"])):
            session.broken = True
            display.vvv("seed.secretsmanager.secret lookup: the run's cache gave an answer not understood: read directly")
            return None
        return cached

    def _read(self, terms, session, connection):
        rs = self._rs
        version_id = self.get_option("version_id")
        version_stage = self.get_option("version_stage") or (None if version_id else rs.CURRENT)
        secret_path = self.get_option("path")
        try:
            path = rs.key_path(self.get_option("key"))
            if secret_path is not None:
                secret_path = rs.check_path(secret_path)
                if terms:
                    raise ValidationError("path", "reads every secret under the path; give either terms or path, not both")
                if version_id or version_stage != rs.CURRENT:
                    # BatchGetSecretValue reads the current version only.
                    raise ValidationError("path", "reads the current values only; it takes no version_id or version_stage")
        except TaskError as e:
            raise AnsibleError(e.message)
        if not rs.HAS_BOTOCORE:
            raise AnsibleError("the seed.secretsmanager.secret lookup needs botocore (pip install botocore)")
        apis = _Apis(rs, connection, self._connection_message)
        try:
            if session is None:
                # Without the run's cache the options' client is built first, so that a connection error fails the
                # lookup before any read; with it, clients are built when a read needs one (a hit builds none).
                apis.get(None)
            if secret_path is not None:
                return [self._path_values(apis, session, connection, secret_path, path)]
            return self._values(terms, apis, session, connection, path, version_id, version_stage)
        finally:
            if self.get_option("debug_botocore_endpoint_logs"):
                # A lookup has no result to carry amazon.aws's resource_actions: show them instead.
                display.display("seed.secretsmanager.secret lookup: resource_actions: %s"
                                % ", ".join(rs.resource_actions(action for each in apis.made for action in each.actions)))

    def _values(self, terms, apis, session, connection, path, version_id, version_stage):
        rs = self._rs
        # Each term's client: the ARN's region wins over the region option (asked elsewhere, AWS answers not found
        # or access denied, which on_missing/on_denied would hide). One client per region, so its terms batch together.
        # A term's place is None (the options' client), a region, or the TaskError that stops it.
        places = []
        for term in terms:
            try:
                term_connection, notes = rs.arn_params(connection, term)
                for note in notes:
                    display.warning(note)
                    self._notes.append(note)
                places.append(term_connection["region"] if notes else None)
            except TaskError as e:
                places.append(e)
        # Only a version asked by version_id or another stage is "a missing version": no current value is no value.
        current = not version_id and version_stage == rs.CURRENT
        items = list(dict.fromkeys((place, term) for place, term in zip(places, terms) if not isinstance(place, TaskError)))

        def read(wanted):
            # The current values of two or more secrets of one region come in batches (BatchGetSecretValue, 20 a
            # call); a version (version_id, or a version_stage other than AWSCURRENT) only GetSecretValue reads.
            answers = {}
            for place in dict.fromkeys(place for place, _term in wanted):
                secret_ids = [term for each, term in wanted if each == place]
                try:
                    api = apis.get(place)
                except TaskError as e:
                    answers.update(((place, secret_id), e) for secret_id in secret_ids)
                    continue
                if current and len(secret_ids) > 1:
                    answers.update(((place, secret_id), answer) for secret_id, answer in rs.read_values(api, secret_ids).items())
                else:
                    answers.update(((place, secret_id), self._get_value(api, secret_id, version_id, version_stage)) for secret_id in secret_ids)
            return answers

        keys = {
            (place, term): ("value", term, version_id, version_stage, _effective(connection, place))
            for place, term in items
        }
        read_answers = self._read_through(session, keys, read, _encode_value, _decode_value)

        # The value is not added to api.sensitive: GetSecretValue errors never carry a value, and masking one
        # term's value (often short: "1", "e") out of a later term's error mangled its error code and hid the
        # deletion that on_deleted looks for.
        values = []
        for term, place in zip(terms, places):
            try:
                if isinstance(place, TaskError):
                    raise place
                answer = read_answers[(place, term)]
                if isinstance(answer, TaskError):
                    raise answer
                text, kind = answer
                values.append(self._select(text, kind, path, term))
            except TaskError as e:
                self._problem_or_raise(e, term, current=current)
        return values

    def _cache_session(self):
        """A session with the run's cache, or None: turned off, not in an ansible run, or the cache cannot be used."""
        if not self.get_option("cache"):
            return None
        try:
            return lookup_cache.open_session()
        except lookup_cache.CacheError as e:
            display.vvv("seed.secretsmanager.secret lookup: the run's cache is not used: %s" % e)
        return None

    def _read_through(self, session, keys, read, encode, decode):
        """read(items) for the items the run's cache does not answer (all of them without a session, or once it fails)."""
        if not keys:
            return {}
        answers, problem = lookup_cache.read_through(session, keys, read, encode, decode, ttl=self.get_option("cache_ttl") or 0)
        if problem is not None:
            display.vvv("seed.secretsmanager.secret lookup: the run's cache failed, read directly: %s" % problem)
        return answers

    def _get_value(self, api, term, version_id, version_stage):
        try:
            return self._rs.get_value(api, term, version_id=version_id, version_stage=version_stage)
        except TaskError as e:
            return e

    def _select(self, text, kind, path, name):
        if path is None:
            return text
        if kind == "binary":
            raise TaskError("secret %s: the value is binary, so key cannot select inside it" % name, code=NOT_JSON)
        return self._rs.select(text, path, name)

    def _path_values(self, apis, session, connection, secret_path, path):
        """{name: value} of every secret under the path, sorted by name."""

        def read(wanted):
            try:
                return {item: self._rs.read_path(apis.get(None), secret_path) for item in wanted}
            except TaskError as e:
                return {item: e for item in wanted}

        item = ("path", secret_path)
        keys = {item: ("path", secret_path, _effective(connection, None))}
        answer = self._read_through(session, keys, read, _encode_path, _decode_path)[item]
        if isinstance(answer, TaskError):
            self._problem_or_raise(answer, None, "path %s: " % secret_path, current=True)
            return {}
        found, failures = answer
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
        rs = self._rs
        option = _problem(self._rs, e, current)
        action = self.get_option(option) if option else "error"
        self._problems += 1
        # Name the term unless the core already did; a name found elsewhere in AWS's text
        # (a secret called "secret" or "deleted") does not count.
        prefix = prefix or "secret %s: " % term
        message = e.message if e.message.startswith(prefix) else prefix + e.message
        if getattr(e, "kind", None) == rs.NOT_FOUND and term and term.startswith("arn:"):
            message += " (%s)" % rs.not_found_by_arn_message(term)
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
        if getattr(error, "kind", None) == _read_side().CREDENTIALS:
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
