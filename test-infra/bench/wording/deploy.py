"""Section 1, time to ready, in words; and its closing note when the goal is missed."""

from figures.goals import GOALS
from wording.markdown import f, label, s, verdict_text
from wording.pods import pod_table

WHAT = "deploy-to-ready, site.yml / (kubectl apply + rollout status)"


def runs_table(doc, rows):
    out = []
    for r in rows:
        if r["kind"] == "site":
            out.append([r["index"], "site.yml", f(r["load1"], 2), s(r["ready"]), s(r["verify"]), s(r["check"]),
                        s(r["total"])])
        else:
            out.append([r["index"], "kubectl apply + rollout status", f(r["load1"], 2), s(r["total"]), "-", "-",
                        s(r["total"])])
    doc.table(["run", "command", "load1", "deploy-to-ready", "verification added", "of which replication_check",
               "total"], out)


def medians_and_goals(doc, server, m):
    goal, vgoal = GOALS["ttr"], GOALS["verify"]
    doc.w("Medians over %d + %d runs: site.yml deploy-to-ready **%s**, baseline **%s**: ratio **%sx** "
          "(per run: %s). Verification added **%s** (median). Spread: site.yml %s to %s, baseline %s to %s; "
          "on this 2-CPU machine a run-to-run difference of a few seconds is noise, as large as "
          "the goal's %.0f%% margin."
          % (m["site_count"], m["base_count"], s(m["site_ready"]), s(m["base_ready"]), f(m["ratio"], 2),
             ", ".join(f(p, 2) + "x" for p in m["pairs"]) or "n/a", s(m["site_verify"]), s(m["site_spread"][0]),
             s(m["site_spread"][1]), s(m["base_spread"][0]), s(m["base_spread"][1]), 100 * (goal.limit - 1)))
    doc.w()
    v1, v2 = verdict_text(m["verdict"], goal), verdict_text(m["verify_verdict"], vgoal)
    over = ("; %s over the %s the goal allows" % (s(m["beyond"]), s(m["allowed"]))
            if m["verdict"]["status"] == "missed" else "")
    doc.w("- Goal deploy-to-ready <= %.2fx the baseline: %s%s." % (goal.limit, v1, over))
    doc.w("- Goal verification adds <= %.0f s: %s." % (vgoal.limit, v2))
    doc.w()
    measured = "%sx (%s / %s)" % (f(m["ratio"], 2), s(m["site_ready"]), s(m["base_ready"]))
    doc.summary.append(("1", label(server), WHAT, measured, goal.text, v1))
    doc.summary.append(("1", label(server), "verification added by site.yml", s(m["site_verify"]), vgoal.text, v2))


def where_the_time_goes(doc, figs):
    site, base = figs["where"]["site"], figs["where"]["base"]
    doc.w("### Where the time goes (median runs: site.yml run %d, baseline run %d)"
          % (figs["site_index"], figs["base_index"]))
    doc.w()
    doc.table(["step", "site.yml", "baseline"], [
        ["start until pod mysql-0 exists (objects applied)", s(site["first_pod"], 2), s(base["first_pod"], 2)],
        ["pod mysql-0 created until mysql-2 Ready (the cluster's work)", s(site["cluster"], 2), s(base["cluster"], 2)],
        ["mysql-2 Ready until the command noticed", s(site["noticed"], 2), s(base["noticed"], 2)],
        ["deploy-to-ready", s(site["ready"], 2), s(base["ready"], 2)],
    ])
    doc.w("Per pod, seconds from the command's start (API times — scheduled, init containers, "
          "started — have whole-second precision; created and Ready are the watcher's wall clock):")
    doc.w()
    doc.w("site.yml run %d:" % figs["site_index"])
    doc.w()
    pod_table(doc, figs["site_pods"], "wait module saw Ready")
    doc.w("baseline run %d:" % figs["base_index"])
    doc.w()
    pod_table(doc, figs["base_pods"])


def before_the_wait(doc, figs):
    pre = figs["before_wait"]
    doc.w("site.yml run %d, every task until the wait (start and duration in seconds; the callback "
          "loaded %s after the process started):" % (figs["site_index"], s(pre["loaded"], 2)))
    doc.w()
    doc.table(["start", "duration", "task", "module"],
              [[f(t["start"], 2), f(t["duration"], 2), t["name"], t["action"]] for t in pre["tasks"]])
    doc.w("Before the wait began (%s), %d tasks that call the API took %s together; the rest (%s) is "
          "ansible-playbook's start-up, the include_role/assert/set_fact tasks and the gaps between "
          "tasks." % (s(pre["before_wait"], 2), pre["count"], s(pre["module_time"], 2), s(pre["overhead"], 2)))
    doc.w()


def task_names(tasks):
    return "%d task%s (%s)" % (len(tasks), "" if len(tasks) == 1 else "s", ", ".join(
        "`%s` %s" % (name.split(" : ")[-1], s(d, 2)) for name, d in tasks))


def note(server, figs):
    """The closing note on a missed deploy-to-ready goal (figs["note"] is not None)."""
    m, n, pre, site = figs["medians"], figs["note"], figs["before_wait"], figs["where"]["site"]
    goal = GOALS["ttr"].limit
    text = ("**Time to ready, %s (%sx, goal %.2fx; %s over what the goal allows).** The pods take as long "
            "under both commands (%s from mysql-0's creation to mysql-2 Ready under site.yml, %s under "
            "the baseline) and the wait notices the last one within %s. The difference is before the "
            "first pod exists: %s under site.yml against %s for `kubectl apply`. In that time site.yml "
            "runs %d API tasks one after the other (%s in all, %s each on average: a Python process per "
            "task that imports the kubernetes client and builds its API client) plus %s of ansible-playbook "
            "start-up, include_role, argument validation and assert tasks. Fix: read the cluster once (the "
            "collection's own `k8s_objects_info` can return the namespace, StorageClasses, ConfigMap, Secret "
            "and StatefulSet in one call; this run read with %s) and apply once (one `kubernetes.core.k8s` "
            "task with the Namespace, ConfigMap, Services, Secret, StatefulSet, PDB and NetworkPolicy in one "
            "list; this run applied with %s). Estimated from the numbers above "
            "(not measured): 2 API tasks instead of %d save about %s, a deploy-to-ready of about %s, %sx the "
            "baseline."
            % (label(server), f(m["ratio"], 2), goal, s(m["beyond"], 1), s(n["site_cluster"], 1),
               s(n["base_cluster"], 1), s(site["noticed"], 2), s(site["first_pod"], 1),
               s(figs["where"]["base"]["first_pod"], 1), pre["count"], s(pre["module_time"], 1), s(n["mean"], 2),
               s(pre["overhead"], 1), task_names(n["reads"]), task_names(n["applies"]), pre["count"],
               s(n["saving"], 1), s(n["estimate"], 1), f(n["estimate_ratio"], 2)))
    if n["rest"]:
        r = n["rest"]
        text += (" That alone still misses %.2fx: the rest before the wait is ansible-playbook itself — %s "
                 "until the first task, %d include_role, argument-spec, assert and set_fact tasks taking %s, "
                 "and %s between tasks. Validating in one task per play rather than in three roles' "
                 "`validate` entry points plus their argument specs would cut that part; so would fewer "
                 "include_role layers." % (goal, s(r["first_task"], 2), r["count"], s(r["busy"], 2), s(r["gaps"], 2)))
    return text


def ttr_section(doc, entry):
    server, figs = entry["server"], entry["figures"]
    doc.heading("1. Time to ready: 3 pods from nothing", server)
    if figs is None:
        doc.not_measured(entry, "1", WHAT, GOALS["ttr"].text)
        return
    doc.w("site.yml: from the start of `ansible-playbook` until the `statefulset_wait` task returned "
          "(*deploy-to-ready*), then what the verification adds until the process exits (the "
          "`replication_check` task and the end of the play). Baseline: `kubectl apply -f` of the same "
          "objects plus `kubectl rollout status`, which verifies nothing. A fresh namespace each run; "
          "the order alternates between runs.")
    doc.w()
    runs_table(doc, figs["rows"])
    medians_and_goals(doc, server, figs["medians"])
    where_the_time_goes(doc, figs)
    before_the_wait(doc, figs)
    if figs["note"]:
        doc.notes.append(note(server, figs))
