# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Secret of random values, created once and never rewritten (generated_secret module)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import secrets
import string

ALPHABET = string.ascii_letters + string.digits


def random_value(length):
    """``length`` characters from letters and digits (safe in option files, URLs and shells)."""
    return "".join(secrets.choice(ALPHABET) for _index in range(length))


def secret_body(namespace, name, keys, length, labels):
    data = dict((key, base64.b64encode(random_value(length).encode()).decode()) for key in keys)
    return {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": name, "namespace": namespace, "labels": dict(labels or {})}, "data": data}


def ends_with_line_break(encoded):
    """Whether a Secret's base64 ``data`` value ends in a line feed or carriage return: what
    ``kubectl create secret --from-file`` stores from a file ending in a newline. The
    collection refuses such a value (pod scripts and modules alike) instead of trimming it,
    which would use a password other than the one the Secret holds."""
    try:
        return base64.b64decode(encoded or "").endswith((b"\n", b"\r"))
    except (TypeError, ValueError):
        return False


def line_break_message(namespace, name, key):
    return ("key %r of Secret %s/%s ends with a line break; store the value without it (kubectl create secret "
            "--from-literal, or --from-file with a file that has no final newline)" % (key, namespace, name))


def present_keys(secret):
    """Keys of a Secret holding a non-empty value (the values themselves are not kept)."""
    return sorted(key for key, value in (secret.get("data") or {}).items() if value)


def ensure(api, namespace, name, keys, length, labels, check_mode=False):
    """Creates the Secret with a random value per key unless one of that name exists; the
    result says what happened and which keys exist, never a value."""
    path = "/api/v1/namespaces/%s/secrets" % namespace
    existing = api.get("%s/%s" % (path, name))
    if existing is None and not check_mode:
        created = api.create(path, secret_body(namespace, name, keys, length, labels))
        if created is not None:
            return {"changed": True, "created": True, "keys": present_keys(created), "missing": []}
        # Created by someone else between the two calls: theirs stands.
        existing = api.get("%s/%s" % (path, name))
    if existing is None:
        return {"changed": True, "created": True, "keys": sorted(keys), "missing": []}
    have = present_keys(existing)
    return {"changed": False, "created": False, "keys": have, "missing": sorted(set(keys) - set(have))}
