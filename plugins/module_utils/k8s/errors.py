# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error text from the Kubernetes API, for messages a person reads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


def api_error_text(exc):
    """The API's own message from an ApiException (its Status body), else status and reason."""
    body = getattr(exc, "body", None)
    if body:
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        try:
            return json.loads(body).get("message") or str(body)
        except (ValueError, AttributeError):
            return str(body)
    return ("%s %s" % (getattr(exc, "status", "") or "", getattr(exc, "reason", "") or exc)).strip()
