"""Section 2, the no-change re-run, in words; and its closing note when the goal is missed."""

from figures.goals import GOALS
from wording.markdown import f, label, s, verdict_text

WHAT = "second site.yml run (changed=0) / first run"


def fraction_and_goal(doc, server, figs):
    goal = GOALS["rerun"]
    doc.table(["run", "first run (total)", "second run (total)", "changed", "fraction"],
              [[r["index"], s(r["first"]), s(r["total"]), r["changed"], f(r["fraction"], 3)] for r in figs["rows"]])
    v = verdict_text(figs["verdict"], goal)
    over = ""
    if figs["fraction"] is not None and figs["fraction"] > goal.limit:
        over = ("; at the median first run (%s) the goal allows %s, the second run took %s"
                % (s(figs["first"]), s(figs["allowed"]), s(figs["second"])))
    doc.w("Median fraction **%s** (the first run's whole time, verification included, is the "
          "denominator). Goal <= %.2f with changed=0: %s%s." % (f(figs["fraction"], 3), goal.limit, v, over))
    doc.w()
    doc.summary.append(("2", label(server), WHAT, f(figs["fraction"], 3), goal.text, v))


def profile(doc, p):
    doc.w("Profile of the median second run (run %d, %s; every task of 0.05 s or more):" % (p["index"], s(p["total"])))
    doc.w()
    doc.table(["start", "duration", "task", "module"],
              [[f(t["start"], 2), f(t["duration"], 2), t["name"], t["action"]] for t in p["tasks"]])
    doc.w("%d tasks ran a module: %s of the %s. ansible-playbook start-up until the first callback: %s; "
          "after the last task until exit: %s; the rest is task scheduling, include_role, argument "
          "validation, assert and set_fact (%s)."
          % (p["modules"], s(p["module_time"], 2), s(p["total"], 2), s(p["loaded"], 2), s(p["tail"], 2),
             s(p["rest"], 2)))
    doc.w()


def module_startup(doc, imports, p):
    doc.w("Module start-up, measured by starting this Python %d times per line "
          "(`python -c \"<imports>\"`, median):" % imports["repeat"])
    doc.w()
    doc.table(["python -c", "seconds"], [["`%s`" % code, s(t, 3)] for code, t in imports["rows"]])
    doc.w("Loading the generated `CoreV1Api`/`AppsV1Api` would cost **%s** more per module start "
          "than the dynamic client kubernetes.core's modules use; the collection's "
          "`statefulset_wait` and `replication_check` read through that dynamic client and open exec "
          "sessions with the websocket client directly (`plugins/module_utils/cluster_api.py`, "
          "`pod_exec.py`), so they do not pay it. The two modules' own time against their tasks' time "
          "in this run:" % s(imports["delta"], 2))
    doc.w()
    doc.table(["task", "module", "task", "module's elapsed", "start-up and return"],
              [[r["name"], r["action"], s(r["task"], 2), s(r["elapsed"], 3), s(r["startup"], 2)] for r in p["startup"]])


def changed_note(server, n):
    return ("**Re-run, %s: not a no-change run.** The second site.yml run reported %s; with nothing to change "
            "it must change nothing (changed=0), so the goal is missed whatever its time. The run's log in the work "
            "directory names the task." % (label(server), ", ".join("changed=%d in run %d" % (c, i)
                                                                    for i, c in n["changed"])))


def note(server, figs):
    n, p = figs["note"], figs["profile"]
    if not n["over"]:
        return changed_note(server, n)
    poll = ""
    if n["polls"]:
        poll = (" replication_check itself spent %s: it polls the replicas with a new exec session "
                "each and sleeps 1 s between rounds (`POLL_INTERVAL`); polling the canary sooner (0.1 s, "
                "growing) would cut most of that." % s(p["check_elapsed"], 2))
    return ("**Re-run, %s (%s, goal %.2f).** With nothing to change, site.yml still runs %d modules one after "
            "the other, %s of its %s; the goal allows %s. %d of them read or apply objects (%s each on "
            "average, one Python process each); the two verification modules spend %s and %s in their "
            "tasks against %s and %s of their own work — the rest is a Python process per module: "
            "Ansible's module wrapper, the kubernetes client's import and configuration.%s Fix: read "
            "once and apply once, as for (1) (%d API tasks down to 2). Estimated from the numbers above "
            "(not measured): %s saved, a re-run of about %s, %s of the first run."
            % (label(server), f(figs["fraction"], 3), GOALS["rerun"].limit, p["modules"], s(p["module_time"], 1),
               s(p["total"], 1), s(n["allowed"], 1), n["api_tasks"], s(n["mean"], 2), s(p["wait_task"], 2),
               s(p["check_task"], 2), s(p["wait_elapsed"], 2), s(p["check_elapsed"], 2), poll, n["api_tasks"],
               s(n["saving"], 1), s(n["estimate"], 1), f(n["estimate_fraction"], 2))
            + (" " + changed_note(server, n) if n["changed"] else ""))


def rerun_section(doc, entry):
    server, figs = entry["server"], entry["figures"]
    doc.heading("2. Re-run: the second site.yml run", server)
    if figs is None:
        doc.not_measured(entry, "2", WHAT, GOALS["rerun"].text)
        return
    fraction_and_goal(doc, server, figs)
    profile(doc, figs["profile"])
    if figs["imports"]:
        module_startup(doc, figs["imports"], figs["profile"])
    if figs["note"]:
        doc.notes.append(note(server, figs))
