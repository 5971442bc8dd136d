# -*- coding: utf-8 -*-
# Benchmark helper (test-infra, not shipped): records when each task starts and when each
# host's result reaches the controller, as JSON lines in $BENCH_TIMELINE_FILE.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: bench_timeline
type: aggregate
short_description: wall-clock task timeline for test-infra/bench
description:
  - Writes one JSON object per event (play, task start, host result, stats) to the file
    named by the environment variable BENCH_TIMELINE_FILE. Results of the modules named in
    BENCH_TIMELINE_RESULTS (comma-separated action names) are included whole.
"""

# Ansible's plugin layout puts DOCUMENTATION before the imports.
import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402

from ansible.plugins.callback import CallbackBase  # noqa: E402


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timeline"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        path = os.environ.get("BENCH_TIMELINE_FILE")
        self._out = open(path, "a") if path else None
        self._keep = set(a for a in os.environ.get("BENCH_TIMELINE_RESULTS", "").split(",") if a)
        self._emit("loaded")

    def _emit(self, event, **fields):
        if not self._out:
            return
        fields.update(event=event, t=time.time())
        self._out.write(json.dumps(fields, default=str) + "\n")
        self._out.flush()

    def v2_playbook_on_play_start(self, play):
        self._emit("play", name=play.get_name())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._emit("task_start", task=task.get_name(), action=task.action, uuid=task._uuid)

    def _result(self, status, result):
        task = result._task
        fields = dict(task=task.get_name(), action=task.action, uuid=task._uuid,
                      host=result._host.get_name(), status=status,
                      changed=bool(result._result.get("changed", False)))
        short = task.action.split(".")[-1]
        if task.action in self._keep or short in self._keep:
            fields["result"] = result._result
        elif status == "failed":
            fields["msg"] = result._result.get("msg")
        self._emit("result", **fields)

    def v2_runner_on_ok(self, result):
        self._result("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result("failed", result)

    def v2_runner_on_skipped(self, result):
        self._result("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._result("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        summary = dict((host, stats.summarize(host)) for host in sorted(stats.processed))
        self._emit("stats", summary=summary)
