"""Ground truth for the benchmarks: watches the pods of one namespace and writes, as JSON
lines, the wall-clock time at which this process received each pod's creation, each change
of its Ready condition and its deletion.

    python podwatch.py NAMESPACE OUTPUT.jsonl

Runs until SIGTERM/SIGINT. The first line after the initial list is {"event": "synced"}:
the harness starts what it measures only after it.
"""

import json
import os
import signal
import sys
import time

from kubernetes import client, config, watch
from kubernetes.client.exceptions import ApiException


def ready_condition(pod):
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond
    return None


class Recorder:
    def __init__(self, path):
        self.out = open(path, "a")
        self.state = {}  # uid -> Ready status last seen
        self.unschedulable = set()

    def emit(self, event, **fields):
        fields.update(event=event, t=time.time())
        self.out.write(json.dumps(fields) + "\n")
        self.out.flush()

    def see(self, kind, pod, initial=False):
        meta = pod.get("metadata") or {}
        uid, name = meta.get("uid"), meta.get("name")
        if kind == "DELETED":
            self.state.pop(uid, None)
            self.emit("deleted", pod=name, uid=uid)
            return
        cond = ready_condition(pod) or {}
        ready = cond.get("status") == "True" and not meta.get("deletionTimestamp")
        if uid not in self.state:
            self.emit("added", pod=name, uid=uid, created=meta.get("creationTimestamp"), initial=initial)
            self.state[uid] = False
        conditions = (pod.get("status") or {}).get("conditions") or []
        sched = next((c for c in conditions if c.get("type") == "PodScheduled"), {})
        if sched.get("status") == "False" and sched.get("reason") == "Unschedulable":
            key = (uid, sched.get("message"))
            if key not in self.unschedulable:
                self.unschedulable.add(key)
                self.emit("unschedulable", pod=name, uid=uid, message=sched.get("message"))
        if ready != self.state[uid]:
            self.state[uid] = ready
            self.emit("ready" if ready else "not_ready", pod=name, uid=uid,
                      ltt=cond.get("lastTransitionTime"), initial=initial)


def main():
    namespace, path = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if os.environ.get("KUBECONFIG"):
        config.load_kube_config(os.environ["KUBECONFIG"])
    else:
        config.load_kube_config()
    core = client.CoreV1Api()
    rec = Recorder(path)

    def relist():
        resp = core.list_namespaced_pod(namespace, _preload_content=False)
        body = json.loads(resp.data)
        for pod in body.get("items") or []:
            rec.see("ADDED", pod, initial=True)
        return body["metadata"]["resourceVersion"]

    version = relist()
    rec.emit("synced", namespace=namespace)
    while True:
        try:
            for event in watch.Watch().stream(core.list_namespaced_pod, namespace, resource_version=version,
                                              timeout_seconds=60, allow_watch_bookmarks=True, deserialize=False):
                obj = event.get("raw_object") or event.get("object") or {}
                rv = (obj.get("metadata") or {}).get("resourceVersion")
                if rv:
                    version = rv
                if event.get("type") in ("ADDED", "MODIFIED", "DELETED"):
                    rec.see(event["type"], obj)
        except (ApiException, KeyError) as exc:
            # 410 Gone (or an ERROR event the raw stream cannot parse): list again.
            if isinstance(exc, ApiException) and exc.status != 410:
                raise
            version = relist()
        except (OSError, ValueError) as exc:  # a dropped connection: resume from the last version
            rec.emit("watch_error", error=str(exc))
            time.sleep(0.2)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
