"""Section 4, clone throughput, in words: MariaDB's streamed backup and MySQL's CLONE, each
against its local limit."""

import server_flavors
from figures.goals import GOALS
from wording.clone_note import note
from wording.markdown import f, label, mb, s, verdict_text

WHAT = {"stream": "clone rate / local streamed-backup rate (%s MB)",
        "plugin": "clone rate / local datadir-copy rate (%s MB)"}
STEP_LABELS = {
    "start": "scale.yml started until mysql-3 created (playbook start-up, k8s_objects_info, k8s_scale)",
    "sched": "created until scheduled (PVC provisioned by local-path)",
    "sandbox": "scheduled until init-config started (volumes mounted, sandbox)",
    "init": "init-config and init-datadir (two containers started one after the other)",
    # Pods with one init container running init-config, init-datadir and clone in turn.
    "sandbox-1": "scheduled until the init container started (volumes mounted, sandbox)",
    "init-1": "init-config and init-datadir, in the init container before its clone step",
    "connect-1": "clone step started until receiving (connect, challenge)",
    "scratch-1": "clone step started until CLONE began (donor login checked, scratch datadir initialised, "
                 "throwaway server started)",
    "connect": "clone container started until receiving (connect, challenge)",
    "stream": "stream: backup on the donor, extraction (%s)",
    "prepare": "prepare (mariadb-backup --prepare), rename",
    "scratch": "clone container started until CLONE began (donor login checked, scratch datadir initialised, "
               "throwaway server started)",
    "copy": "CLONE INSTANCE from the donor, throwaway server stopped (%s)",
    "finish": "sync, rename into place",
    "containers": "clone done until mysql container started",
    "ready": "server start, replication set up, until Ready (probe every 2 s)",
    "noticed": "Ready until statefulset_wait saw it",
    "check": "until replication_check returned (caught up, canary)",
}
BYTES_FROM = {"log": "read from that line here",
              "datadir": "here the log had none, so the new replica's datadir after scale.yml, which also holds "
                         "what its server wrote since",
              "local": "the local extraction's"}
LOCAL_INTRO = {
    "stream": "Local rate: the streamed backup extracted again inside the pod (no network, no prepare, "
              "no server start) — the limit of this machine for the same bytes:",
    "plugin": "Local rate: the donor's datadir copied inside the donor pod (`cp -a /var/lib/mysql/data` to "
              "`/var/lib/mysql/bench-copy`, then `sync`; no network, no server) — the limit of this machine's "
              "storage for the same kind of files. The copy stays on the donor's own volume rather than going to "
              "`/tmp` because the clone, too, reads one PVC and writes another of the same StorageClass (here "
              "both local-path directories on the node's disk), while `/tmp` is an emptyDir, which on another "
              "cluster may be another disk or memory. It copies the whole datadir, binary and relay logs "
              "included, which CLONE leaves out, so the two are compared as rates:",
}


def data_paragraph(doc, figs):
    data, dd = figs["data"], figs["datadir_mb"]
    doc.w("Data: %d rows of 1000 random bytes (%s MB asked) loaded into the primary in %s, replicas "
          "caught up %s later; table `bench.filler` %s MB (data + index), datadir %s MB on the primary, "
          "%s MB on mysql-2 (the donor: ordinal 3 clones from ordinal 2). Storage request %s. Sizes in "
          "MB of 10^6 bytes."
          % (data.get("rows", 0), data.get("megabytes"), s(data.get("load_s")), s(data.get("caught_up_s")),
             f(figs["table_mb"], 0), f(dd.get("mysql-0", 0), 0), f(dd.get("mysql-2", 0), 0), figs["storage"]))
    doc.w()
    doc.w(LOCAL_INTRO[figs["method"]])
    doc.w()
    doc.table(["pod", "load1", "bytes extracted" if figs["method"] == "stream" else "bytes copied", "seconds",
               "MB/s"],
              [[r["pod"], f(r["load1"], 2), r["bytes"], f(r["seconds"], 2), f(r["rate"], 1)]
               for r in figs["local"]["rows"]])


def stream_paths(doc, paths):
    if not paths or not paths["rows"]:
        return
    doc.w("Stream path: the same backup sent from the donor mysql-2 to mysql-1 over the pod network "
          "through `socat` (`mariadb-backup ... | socat -u - TCP:mysql-1.mysql:3399` into "
          "`socat -u TCP-LISTEN:3399 - | mbstream -x`), once with socat's default 8192-byte buffer "
          "(what the sidecar used before), once with `-b 131072` (what it uses); from the "
          "sender's start to the receiver's end:")
    doc.w()
    doc.table(["socat buffer", "load1", "bytes", "seconds", "MB/s", "of the local rate"],
              [[r["block"], f(r["load1"], 2), r["bytes"], f(r["seconds"], 2), f(r["rate"], 1), f(r["of_local"], 2)]
               for r in paths["rows"]])
    sp, of_local = paths["medians"], paths["of_local"]
    if 8192 in sp and 131072 in sp:
        doc.w("Median: %s with socat's default buffer, %s with 128 KiB (%s of the local rate against %s)."
              % (s(sp[8192], 2), s(sp[131072], 2), f(of_local[8192], 2), f(of_local[131072], 2)))
        doc.w()


def runs_table(doc, figs):
    plugin = figs["method"] == "plugin"
    header = ["run", "load1", "pod created -> caught up"] + (["MB cloned"] if plugin else [])
    rows = []
    for r in figs["runs"]:
        row = [r["index"], f(r["load1"], 2), s(r["t_clone"])] + ([mb(r["bytes"])] if plugin else [])
        row += [f(r["rate"], 1), f(r["ratio"], 2), "n/a" if r["caught_up"] is None else str(r["caught_up"]),
                s(r["total"])]
        rows.append(row)
    doc.table(header + ["MB/s", "of the local rate", "replication_check caught_up", "scale.yml total"], rows)


def ratio_paragraph(doc, figs):
    local = figs["local"]
    text = ("*Caught up* is the end of scale.yml's `replication_check` task, which returns once every "
            "replica, mysql-3 included, has applied the primary's GTIDs and returned a canary row written "
            "just before. ")
    if figs["method"] == "stream":
        text += ("Bytes are those of the local extraction (%s MB) for both rates, so the ratio is local "
                 "time / clone time. Local time, median: primary %s, donor mysql-2 %s."
                 % (mb(local["bytes"]), s(local["seconds"], 2), s(local["donor_seconds"], 2)))
    else:
        text += ("The clone's bytes are what CLONE reported writing (`cloned <size>` in the clone step's log, "
                 "`du -sh`, two or three digits; %s), the local copy's its own, so the ratio is (clone bytes / clone "
                 "time) / (local bytes / local time). Local copy, median: %s MB in %s, %s MB/s."
                 % (BYTES_FROM[figs["runs"][0]["bytes_from"]], mb(local["bytes"]), s(local["seconds"], 2),
                    f(local["rate"] / 1e6 if local["rate"] else None, 1)))
    doc.w(text)
    doc.w()
    goal = GOALS["clone"]
    doc.w("Median **%s** of the local rate. Goal >= %.1f: %s." % (f(figs["ratio"], 2), goal.limit,
                                                                  verdict_text(figs["verdict"], goal)))
    doc.w()


def timeline(doc, figs):
    m = figs["median"]
    doc.w("### Timeline of the median clone (run %d), seconds" % m["index"])
    doc.w()
    doc.w("API and log times have whole-second precision; created, Ready and the module's times are "
          "sub-second.")
    doc.w()
    rows = []
    for step in m["steps"]:
        one = m["init_containers"] == 1 and step["key"] + "-1" in STEP_LABELS
        text = STEP_LABELS[step["key"] + ("-1" if one else "")]
        if "%s" in text:
            text %= step["detail"] or "?"
        rows.append([text, f(step["from"], 1), f(step["to"], 1), s(step["duration"], 1)])
    doc.table(["step", "from", "to", "duration"], rows)
    what = "The stream alone" if figs["method"] == "stream" else "The CLONE statement alone"
    against = "the local backup" if figs["method"] == "stream" else "a local copy of the same bytes"
    doc.w("%s (%s) against %s (%s): %s of the local rate; the remaining %s of the %s are the steps around it."
          % (what, s(m["transfer"], 0), against, s(m["local_equiv"], 1), f(m["transfer_of_local"], 2),
             s(m["around"], 1), s(m["t_clone"], 1)))
    doc.w()


def clone_section(doc, entry):
    server, figs = entry["server"], entry["figures"]
    doc.heading("4. Clone throughput: a 4th replica of a loaded primary", server)
    if figs is None:
        what = WHAT[server_flavors.clone_method(server)].replace(" (%s MB)", "")
        doc.not_measured(entry, "4", what, GOALS["clone"].text)
        return
    data_paragraph(doc, figs)
    if figs["method"] == "stream":
        stream_paths(doc, figs["paths"])
    runs_table(doc, figs)
    ratio_paragraph(doc, figs)
    doc.summary.append(("4", label(server), WHAT[figs["method"]] % mb(figs["median"]["bytes"]), f(figs["ratio"], 2),
                        GOALS["clone"].text, verdict_text(figs["verdict"], GOALS["clone"])))
    timeline(doc, figs)
    if figs["note"]:
        doc.notes.append(note(server, figs))
