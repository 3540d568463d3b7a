# -*- coding: utf-8 -*-
# Copyright: Contributors to the seed.secretsmanager collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The options of CONNECTION_TABLE in plugins/module_utils/_connection.py, the one source of the
    # modules' argument spec. Ansible reads option docs only from here, so they are written out by
    # hand: tests/unit/plugins/module_utils/test_connection_options.py fails when a name, type,
    # alias, default or environment variable here differs from the table.
    MODULES = r"""
requirements:
  - python >= 3.9
options:
  region:
    description:
      - The AWS region of the secret, for example V(eu-west-1).
      - When not given, E(AWS_REGION) or E(AWS_DEFAULT_REGION), then the profile's region are used.
    type: str
    aliases: [aws_region, ec2_region]
  profile:
    description:
      - A profile from the AWS shared configuration and credentials files.
      - When not given, E(AWS_PROFILE) is used, then E(AWS_DEFAULT_PROFILE) (read by amazon.aws too).
      - With O(access_key) and O(secret_key) set as well (as options or from their environment variables), those keys
        are the credentials, and the profile's own credentials (or a role it assumes) are not used. The profile still
        gives its region when O(region) is not set, and its C(endpoint_url) when O(endpoint_url) is not set.
    type: str
    aliases: [aws_profile]
  access_key:
    description:
      - The AWS access key id. When not given, E(AWS_ACCESS_KEY_ID), then E(AWS_ACCESS_KEY) (read by amazon.aws too),
        or botocore's credential chain is used.
    type: str
    aliases: [aws_access_key_id, aws_access_key, ec2_access_key]
  secret_key:
    description:
      - The AWS secret access key. When not given, E(AWS_SECRET_ACCESS_KEY), then E(AWS_SECRET_KEY) (read by amazon.aws
        too), or botocore's credential chain is used.
    type: str
    aliases: [aws_secret_access_key, aws_secret_key, ec2_secret_key]
  session_token:
    description:
      - The AWS session token of temporary credentials. When not given, E(AWS_SESSION_TOKEN) is used.
    type: str
    aliases: [aws_session_token]
  endpoint_url:
    description:
      - The URL of the Secrets Manager endpoint, for example a local test server.
      - When not given, E(AWS_ENDPOINT_URL), then E(AWS_URL) (read by amazon.aws too) is used, and otherwise the AWS
        endpoint of the region.
    type: str
    aliases: [aws_endpoint_url, ec2_url]
  aws_ca_bundle:
    description:
      - A CA bundle to verify the endpoint's certificate with. When not given, E(AWS_CA_BUNDLE) is used.
    type: path
  debug_botocore_endpoint_logs:
    description:
      - When V(true), the result has RV(resource_actions), the IAM actions of the calls the task made, each once, in the
        order first made (for example V(secretsmanager:DescribeSecret)), as amazon.aws's modules return them, so
        amazon.aws's C(aws_resource_actions) callback also lists this collection's calls. RV(actions) lists every call in
        any case.
      - When not given, E(ANSIBLE_DEBUG_BOTOCORE_LOGS) is used.
      - Taken for compatibility with amazon.aws's common options, so that one set of C(module_defaults) serves both
        collections. Unlike amazon.aws, no botocore logger is read; the list comes from the collection's own record of
        its calls, so it is also right for a local endpoint such as moto.
    type: bool
    default: false
"""

    PLUGINS = r"""
options:
  region:
    description:
      - The AWS region of the secrets, for example V(eu-west-1).
    type: str
    aliases: [aws_region, ec2_region]
    env:
      # The last one set wins: AWS_REGION over AWS_DEFAULT_REGION, as in the modules.
      - name: AWS_DEFAULT_REGION
      - name: AWS_REGION
    vars:
      - name: aws_region
  profile:
    description:
      - A profile from the AWS shared configuration and credentials files.
      - With O(access_key) and O(secret_key) set as well (from any of their sources), those keys are the credentials,
        and the profile's own credentials (or a role it assumes) are not used. The profile still gives its region when
        O(region) is not set, and its C(endpoint_url) when O(endpoint_url) is not set.
    type: str
    aliases: [aws_profile]
    env:
      # The last one set wins: AWS_PROFILE over AWS_DEFAULT_PROFILE (read by amazon.aws too), as in the modules.
      - name: AWS_DEFAULT_PROFILE
      - name: AWS_PROFILE
    vars:
      - name: aws_profile
  access_key:
    description:
      - The AWS access key id.
    type: str
    aliases: [aws_access_key_id, aws_access_key, ec2_access_key]
    env:
      - name: AWS_ACCESS_KEY
      - name: AWS_ACCESS_KEY_ID
    vars:
      - name: aws_access_key
  secret_key:
    description:
      - The AWS secret access key.
    type: str
    aliases: [aws_secret_access_key, aws_secret_key, ec2_secret_key]
    env:
      - name: AWS_SECRET_KEY
      - name: AWS_SECRET_ACCESS_KEY
    vars:
      - name: aws_secret_key
  session_token:
    description:
      - The AWS session token of temporary credentials.
    type: str
    aliases: [aws_session_token]
    env:
      - name: AWS_SESSION_TOKEN
    vars:
      - name: aws_session_token
  endpoint_url:
    description:
      - The URL of the Secrets Manager endpoint, for example a local test server.
    type: str
    aliases: [aws_endpoint_url, ec2_url]
    env:
      - name: AWS_URL
      - name: AWS_ENDPOINT_URL
    vars:
      - name: aws_endpoint_url
  aws_ca_bundle:
    description:
      - A CA bundle to verify the endpoint's certificate with.
    type: path
    env:
      - name: AWS_CA_BUNDLE
  debug_botocore_endpoint_logs:
    description:
      - When V(true), the lookup shows the IAM actions of the calls it made, each once, in the order first made (for
        example V(secretsmanager:GetSecretValue)), as one line of output (also when it fails). A lookup has no result
        of its own to add C(resource_actions) to, as amazon.aws's modules do.
      - Taken for compatibility with amazon.aws's common options; amazon.aws's lookups do not take it.
    type: bool
    default: false
    env:
      - name: ANSIBLE_DEBUG_BOTOCORE_LOGS
"""

    # What the modules and the lookup share (botocore, validate_certs, aws_config): both extend this too.
    SHARED = r"""
requirements:
  - botocore >= 1.34.0 (1.41.0 or newer for the type and rotation.external_* options of the secret module)
options:
  validate_certs:
    description:
      - When V(false), TLS certificates of the endpoint are not verified. Only for test endpoints.
    type: bool
    default: true
  aws_config:
    description:
      - Options passed to botocore's C(Config), for example C(connect_timeout), C(read_timeout) or C(retries).
      - "Retries default to botocore's standard mode with 5 attempts in all (C({mode: standard, total_max_attempts: 5}));
        keys given in C(retries) override those."
      - As in botocore, C(retries.total_max_attempts) counts every attempt (V(1) means no retry) and
        C(retries.max_attempts) counts the retries after the first attempt (V(0) means no retry).
    type: dict
"""
