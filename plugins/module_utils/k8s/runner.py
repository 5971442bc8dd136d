# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one entry every module's ``main()`` uses.

A module hands over its options, the checks its options must pass and the action that does
its work on a :class:`ClusterApi`; the runner builds kubernetes.core's module and client
(so connection options, kubeconfig and auth are kubernetes.core's), reports a failed check
before anything else happens, turns the wings' errors into a failed result, and exits.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.kubernetes.core.plugins.module_utils.args_common import AUTH_ARG_SPEC
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.client import get_api_client
from ansible_collections.kubernetes.core.plugins.module_utils.k8s.core import AnsibleK8SModule
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.api import ClusterApi
from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import K8sError


def k8s_argument_spec(**options):
    """kubernetes.core's connection options plus a module's own."""
    spec = copy.deepcopy(AUTH_ARG_SPEC)
    spec.update(options)
    return spec


def statefulset_argument_spec(**options):
    """The connection options plus the StatefulSet a module works on (doc fragment statefulset)."""
    return k8s_argument_spec(
        name=dict(type="str", required=True),
        namespace=dict(type="str", default="default"),
        replicas=dict(type="int"),
        **options
    )


class Failed(Exception):
    """A finished action whose result is a failure (``result`` holds ``msg`` and the rest)."""

    def __init__(self, result):
        super(Failed, self).__init__(result.get("msg"))
        self.result = result


def failed_check(params, checks):
    """The message of the first ``(ok(params), msg)`` check that does not hold, else None."""
    for ok, msg in checks:
        if not ok(params):
            return msg
    return None


def run_module(argument_spec, action, checks=(), errors=(), supports_check_mode=True, **module_options):
    """Runs ``action(api, module)`` and exits with the dict it returns.

    ``checks`` are ``(predicate, message)`` pairs on the options; ``errors`` the exception
    types of the module's wing whose message is the whole story (the Kubernetes wing's
    K8sError always is). A ``warnings`` list in the result becomes Ansible warnings; any other
    exception fails with its message and trace.
    """
    module_options.setdefault("check_pyyaml", False)
    module = AnsibleK8SModule(argument_spec=argument_spec, supports_check_mode=supports_check_mode, **module_options)
    msg = failed_check(module.params, checks)
    if msg:
        module.fail_json(msg=msg)
    try:
        result = action(ClusterApi(get_api_client(module)), module)
    except Failed as exc:
        module.fail_json(**exc.result)
    except (K8sError,) + tuple(errors) as exc:
        module.fail_json(msg=str(exc), **(getattr(exc, "result", None) or {}))
    except Exception as exc:  # CoreException, connection errors: message and trace
        module.fail_from_exception(exc)
    for warning in result.pop("warnings", None) or ():
        module.warn(warning)
    module.exit_json(**result)
