"""Section 3, wait latency, in words."""

from figures.goals import GOALS
from wording.markdown import f, label, s, verdict_text

WHAT = "wait latency, statefulset_wait (median)"


def latency_tables(doc, figs):
    doc.table(["run", "pod", "module - watcher (s)", "k8s_info - watcher (s)",
               "module observed_at - lastTransitionTime (s)", "watcher - lastTransitionTime (s)",
               "Ready before the wait began"],
              [[r["index"], r["pod"], f(r["module"], 3), f(r["k8s_info"], 3), f(r["raw"], 3), f(r["watcher"], 3),
                "yes" if r["before_wait"] else "no"] for r in figs["rows"]])
    doc.w("Per ordinal, medians over %d runs:" % figs["runs"])
    doc.w()
    doc.table(["pod", "statefulset_wait", "kubernetes.core k8s_info (wait_sleep 5)",
               "raw observed_at - lastTransitionTime"],
              [[p["pod"], s(p["module"], 3), s(p["k8s_info"], 3), s(p["raw"], 3)] for p in figs["per_ordinal"]])


def wait_section(doc, entry):
    server, figs = entry["server"], entry["figures"]
    goal = GOALS["wait"]
    doc.heading("3. Wait latency: a pod turns Ready, the wait notices", server)
    if figs is None:
        doc.not_measured(entry, "3", WHAT, goal.text)
        return
    doc.w("Each run deploys 3 pods with site.yml while, started at the same moment, a second "
          "ansible-playbook waits for each pod with `kubernetes.core.k8s_info` (`wait: true`, "
          "`wait_condition: {type: Ready, status: \"True\"}`, default `wait_sleep` of 5 s; one host per "
          "pod, so the three waits run in parallel). The watcher records when each pod turned Ready. "
          "*module* = the `observed_at` that `statefulset_wait` returns for the pod minus the "
          "watcher's time; *k8s_info* = when that host's result reached ansible-playbook minus the "
          "watcher's time.")
    doc.w()
    latency_tables(doc, figs)
    v = verdict_text(figs["verdict"], goal)
    doc.w("Median latency over %d pods: statefulset_wait **%s** (max %s), kubernetes.core's wait **%s** "
          "(max %s; its polling every 5 s gives 0 to 5 s, 2.5 s on average). A value near 0, or slightly "
          "negative, means the module's own watch delivered the change as fast as the watcher's. Goal "
          "median under %.0f s: %s."
          % (figs["pods"], s(figs["module"], 3), s(figs["module_max"], 3), s(figs["k8s_info"], 3),
             s(figs["k8s_info_max"], 3), goal.limit, v))
    doc.w()
    doc.w("`lastTransitionTime` is written by the kubelet with whole-second precision (truncated), so "
          "`observed_at - lastTransitionTime` is the real latency plus the lost fraction of a second "
          "(0 to 1 s): the watcher itself shows %s to %s against it (median %s). The watcher's "
          "wall clock is the ground truth the first column uses; both clocks are this machine's (the "
          "kind node shares the kernel clock)."
          % (s(figs["watcher_spread"][0], 3), s(figs["watcher_spread"][1], 3), s(figs["watcher"], 3)))
    doc.w()
    if figs["alone"]:
        a = figs["alone"]
        doc.w("The same latency in the time-to-ready runs of (1), where no baseline ran beside it: median "
              "%s over %d pods (max %s)." % (s(a["median"], 3), a["count"], s(a["max"], 3)))
        doc.w()
    doc.summary.append(("3", label(server), WHAT, "%s (k8s_info: %s)" % (s(figs["module"], 3), s(figs["k8s_info"], 2)),
                        goal.text, v))
