# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API's own words in error messages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from kubernetes.client.exceptions import ApiException

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import api_error_text


def test_the_status_message_is_used():
    exc = ApiException(status=403, reason="Forbidden")
    exc.body = json.dumps({"kind": "Status", "message": "pods is forbidden"}).encode()
    assert api_error_text(exc) == "pods is forbidden"


def test_a_body_that_is_not_json_is_shown_as_it_is():
    exc = ApiException(status=502, reason="Bad Gateway")
    exc.body = "<html>bad gateway</html>"
    assert api_error_text(exc) == "<html>bad gateway</html>"


def test_without_a_body_status_and_reason():
    assert api_error_text(ApiException(status=500, reason="Boom")) == "500 Boom"
