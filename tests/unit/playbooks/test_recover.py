"""recover.yml: the size it restores, the policy it refuses, and that it refuses first.

The playbook's own expressions are read from the file and rendered with plain Jinja2 (they
use only its built-in filters), so a change to them is what these tests judge.
"""
import os

import jinja2
import pytest
import yaml

PLAYBOOK = os.path.join(os.path.dirname(__file__), "..", "..", "..", "playbooks", "recover.yml")
CHANGES = ("kubernetes.core.k8s_scale", "kubernetes.core.k8s")


def tasks():
    with open(PLAYBOOK) as f:
        return yaml.safe_load(f)[0]["tasks"]


def task(name):
    return next(t for t in tasks() if t["name"] == name)


def render(expression, **variables):
    return jinja2.Environment(undefined=jinja2.ChainableUndefined).from_string(expression).render(**variables)


def facts(statefulset, state):
    """Both set_fact steps, in order, over what k8s_objects_info would have returned."""
    found = {"objects": [
        {"exists": statefulset is not None, "resources": [statefulset] if statefulset else []},
        {"exists": True, "resources": []},
        {"exists": False, "resources": []},
        {"exists": state is not None, "resources": [{"data": state}] if state is not None else []},
    ]}
    env = jinja2.Environment()
    variables = {"_recover_found": found}
    for name in ("Pick out the StatefulSet's spec and the recorded state",
                 "Work out the size to restore and the policy the shrink runs under"):
        for key, expression in task(name)["ansible.builtin.set_fact"].items():
            value = env.from_string(expression.strip()).render(**variables)
            # What Ansible's templating does with a dict's text.
            variables[key] = yaml.safe_load(value) if value.startswith("{") else value
    return variables


def statefulset(replicas, when_scaled=None):
    spec = {"replicas": replicas, "template": {}}
    if when_scaled:
        spec["persistentVolumeClaimRetentionPolicy"] = {"whenDeleted": "Retain", "whenScaled": when_scaled}
    return {"spec": spec}


def test_a_first_run_restores_the_live_size():
    assert facts(statefulset(3), {"initialized": "2026-12-05"})["_recover_replicas"] == "3"


def test_a_second_run_restores_the_recorded_size_not_the_shrunk_one():
    # The first run timed out waiting for ordinal 0: the set is at one pod.
    assert facts(statefulset(1), {"initialized": "x", "recover-replicas": "3"})["_recover_replicas"] == "3"


def test_no_state_configmap_restores_the_live_size():
    assert facts(statefulset(5), None)["_recover_replicas"] == "5"


@pytest.mark.parametrize("when_scaled, expected", [(None, "Retain"), ("Retain", "Retain"), ("Delete", "Delete")])
def test_the_policy_is_read_and_defaults_to_retain(when_scaled, expected):
    assert facts(statefulset(3, when_scaled), {})["_recover_when_scaled"] == expected


def policy_check():
    checks = task("Check the deployment can take this recovery")["vars"]["_stateful_mysql_checks"]
    return next(c for c in checks if "whenScaled" in c["msg"])


@pytest.mark.parametrize("when_scaled, ok", [("Delete", "False"), ("Retain", "True")])
def test_when_scaled_delete_is_refused_naming_the_setting(when_scaled, ok):
    check = policy_check()
    assert render(check["ok"], _recover_when_scaled=when_scaled) == ok
    message = render(check["msg"], stateful_mysql_name="mysql", stateful_mysql_namespace="db")
    assert "mysql_statefulset_pvc_retention_when_scaled" in message
    assert "Nothing was changed" in message


def test_every_check_comes_before_the_first_change():
    names = [t["name"] for t in tasks()]
    first_change = min(i for i, t in enumerate(tasks())
                       if any(k in t for k in CHANGES) or t.get("ansible.builtin.include_role", {}).get("tasks_from") == "apply")
    assert names.index("Check the deployment can take this recovery") < first_change
    # The size is recorded before the set shrinks, and forgotten only after it is back.
    assert names.index("Record the size to restore") < names.index("Run the primary alone meanwhile")
    assert names.index("Give the StatefulSet its size back") < names.index("Forget the choice, so a later loss is decided again")


def test_every_apply_of_the_state_keeps_the_recorded_size_until_the_last():
    applies = [t for t in tasks() if t.get("ansible.builtin.include_role", {}).get("tasks_from") == "apply"
               and isinstance(t["vars"]["_stateful_mysql_apply"], dict)
               and t["vars"]["_stateful_mysql_apply"]["kind"] == "ConfigMap"]
    *keeping, last = applies
    assert keeping and all("recover-replicas" in str(t["vars"]["_stateful_mysql_apply"]["data"]) for t in keeping)
    assert "data" not in last["vars"]["_stateful_mysql_apply"]


def test_the_summary_names_the_volumes_the_size_and_the_policy():
    variables = facts(statefulset(1), {"recover-replicas": "3"})
    variables["_recover_found"]["objects"][1]["resources"] = [
        {"metadata": {"name": "data-mysql-%d" % n}} for n in (0, 1, 2)]
    message = render(task("Show what this recovery works with")["ansible.builtin.debug"]["msg"],
                     stateful_mysql_name="mysql", _recover_from="mysql-2", **variables)
    assert " ".join(message.split()) == (
        "recovering mysql-0 from volume data-mysql-2; replica volumes: data-mysql-1, data-mysql-2; "
        "size to restore: 3 (recorded by an earlier run); whenScaled: Retain")
