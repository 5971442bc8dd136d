"""Section 5, scale-out 3 -> 5, in words."""

from figures.goals import GOALS
from wording.markdown import f, label, s
from wording.pods import pod_table

WHAT = "scale-out 3 -> 5, scale.yml / (kubectl scale + rollout status)"


def runs_table(doc, rows):
    out = []
    for r in rows:
        if r["kind"] == "site":
            out.append([r["index"], "scale.yml", f(r["load1"], 2), s(r["ready"]), s(r["verify"]), s(r["total"])])
        else:
            out.append([r["index"], "kubectl scale + rollout status", f(r["load1"], 2), s(r["total"]), "-",
                        s(r["total"])])
    doc.table(["run", "command", "load1", "scaled-to-ready", "verification added", "total"], out)


def scale_section(doc, entry):
    server, figs = entry["server"], entry["figures"]
    doc.heading("5. Scale-out 3 -> 5", server)
    if figs is None:
        doc.not_measured(entry, "5", WHAT, "none set")
        return
    doc.w("Two deployments of the same objects, one made by site.yml, one by `kubectl apply -f` (one "
          "after the other: the node's CPU requests do not fit both at 5 pods), each loaded with the "
          "same data (%s MB of random rows), then scaled 3 -> 5 and back (PVCs of the removed pods "
          "deleted, not timed) %d times. scale.yml: until its `statefulset_wait` returned "
          "(*scaled-to-ready*) and in total (with the replication check)."
          % (figs["megabytes"] if figs["megabytes"] is not None else "?", figs["runs"]))
    doc.w()
    runs_table(doc, figs["rows"])
    doc.w("Medians: scale.yml scaled-to-ready **%s** (total %s), baseline **%s**: ratio **%sx** "
          "(total: %sx). The issue sets no goal for this one; for reference, (1)'s goal is %.2fx."
          % (s(figs["site_ready"]), s(figs["site_total"]), s(figs["base_ready"]), f(figs["ratio"], 2),
             f(figs["total_ratio"], 2), GOALS["ttr"].limit))
    doc.w()
    doc.summary.append(("5", label(server), WHAT, "%sx (%s / %s; total %s)" % (
        f(figs["ratio"], 2), s(figs["site_ready"]), s(figs["base_ready"]), s(figs["site_total"])), "none set", "-"))
    doc.w("Per new pod, seconds from the command's start (median runs: scale.yml run %d, baseline run %d):"
          % (figs["site_index"], figs["base_index"]))
    doc.w()
    doc.w("scale.yml:")
    doc.w()
    pod_table(doc, figs["site_pods"], "wait module saw Ready")
    doc.w("baseline:")
    doc.w()
    pod_table(doc, figs["base_pods"])
    doc.table(["scale.yml task", "start", "duration"],
              [[t["name"], f(t["start"], 2), f(t["duration"], 2)] for t in figs["tasks"]])
