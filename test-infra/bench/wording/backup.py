"""Section 7, backup throughput against the clone's local limit and the restore's time, in words."""

from wording.markdown import f, label, mb, s

WHAT = {"stream": "backup rate / local streamed-backup rate (%s MB)",
        "plugin": "backup rate / local datadir-copy rate (%s MB)"}
RESTORE_WHAT = "restore to verified, %s MB"
TOOL = {"stream": "`mariadb-backup --backup --stream=xbstream` in the replica's sidecar",
        "plugin": "`CLONE LOCAL DATA DIRECTORY` into the replica's `/tmp`, a temporary server on the copy for its "
                  "GTID set, then the copy streamed as `stateful-mysql-files 1`"}
LOCAL = {"stream": "the same streamed backup extracted again inside the pod (`mariadb-backup ... | mbstream -x`; "
                   "no network, no controller)",
         "plugin": "the replica's datadir copied on its own volume (`cp -a /var/lib/mysql/data` to "
                   "`/var/lib/mysql/bench-copy`, then `sync`; no network, no controller; binary and relay logs "
                   "included, which CLONE leaves out, so the two are compared as rates)"}


def setup_paragraph(doc, figs):
    data, dd = figs["data"], figs["datadir_mb"]
    doc.w("A 3-pod deployment (site.yml %s) loaded with %d rows of 1000 random bytes (%s MB asked) in %s; "
          "datadir %s MB on the primary, %s MB on %s, the replica every backup is taken from "
          "(`mysql_backup_source_pod`). Storage request %s. Sizes in MB of 10^6 bytes."
          % (s(figs["deploy_total"]), data.get("rows", 0), data.get("megabytes"), s(data.get("load_s")),
             f(dd.get("mysql-0"), 0), f(dd.get(figs["source"]), 0), figs["source"], figs["storage"]))
    doc.w()
    doc.w("Local rate (what the clone benchmark measures as its limit): %s, in %s:"
          % (LOCAL[figs["method"]], figs["source"]))
    doc.w()
    doc.table(["pod", "load1", "bytes", "seconds", "MB/s"],
              [[r["pod"], f(r["load1"], 2), r["bytes"], f(r["seconds"], 2), f(r["rate"], 1)]
               for r in figs["local"]["rows"]])


def backups_table(doc, figs):
    doc.w("Backups: `ansible-playbook stateful.mysql.backup` to the PVC store (the claim `mysql-backups` "
          "and the store pod are created by the first), %d in a row; %s, through the Kubernetes exec API and "
          "the controller into the store pod. *Seconds* and *MB* are the manifest's (from the stream's start "
          "until stored and its SHA-256 checked); the playbook's total adds its start-up, the claim and the "
          "store pod (first run) and the manifest." % (len(figs["runs"]), TOOL[figs["method"]]))
    doc.w()
    doc.table(["run", "load1", "source", "MB", "seconds", "MB/s", "of the local rate", "backup.yml total"],
              [[r["index"], f(r["load1"], 2), r["source_pod"] or "?", mb(r["bytes"], 1), f(r["seconds"], 2),
                f(r["rate"], 1), f(r["of_local"], 2), s(r["total"])] for r in figs["runs"]])
    local = figs["local"]
    doc.w("Medians: **%s MB in %s, %s MB/s**, **%s** of the local rate (%s MB in %s, %s MB/s). No goal is set."
          % (mb(figs["bytes"], 1), s(figs["seconds"], 2), f(figs["rate"], 1), f(figs["ratio"], 2),
             mb(local["bytes"], 1), s(local["seconds"], 2), f(local["rate"] / 1e6 if local["rate"] else None, 1)))
    doc.w()


def restores_table(doc, figs):
    rows = figs["restores"]
    if not rows:
        doc.w("Restore: not measured.")
        doc.w()
        return
    doc.w("Restore: site.yml into a new namespace with `-e mysql_backup_restore_id=<the last backup> "
          "-e mysql_backup_restore_from_namespace=<the source>`, 3 pods, %d run%s (one restore: it costs a whole "
          "deployment). Seconds from site.yml's start: ordinal 0 Ready (the pod watcher), every pod Ready "
          "(site.yml's first wait returned; the replicas clone from ordinal 0) and verified (site.yml exited, "
          "replication checked). *Send* is the controller streaming the stored backup into ordinal 0's init "
          "container (`backup_restore`); the init container then checks its SHA-256 again, extracts it into `data.partial`, gives the accounts the "
          "new passwords, makes it a primary and renames it `data` (docs/backup.md)."
          % (len(rows), "" if len(rows) == 1 else "s"))
    doc.w()
    doc.table(["run", "load1", "MB sent", "send", "send MB/s", "mysql-0 init (from -> to)", "mysql-0 Ready",
               "all Ready", "verified"],
              [[r["index"], f(r["load1"], 2), mb(r["send_bytes"], 1), s(r["send_seconds"]), f(r["send_rate"], 1),
                "%s -> %s" % (f(r["init"]["from"], 0), f(r["init"]["to"], 0)), s(r["ready0"]), s(r["ready_all"]),
                s(r["verified"])] for r in rows])
    doc.w("Init container times are the API's (whole seconds). For comparison, the same site.yml from nothing "
          "(no backup) made the source deployment in %s." % s(figs["deploy_total"]))
    doc.w()


def backup_section(doc, entry):
    server, figs = entry["server"], entry["figures"]
    doc.heading("7. Backup and restore", server)
    if figs is None:
        doc.not_measured(entry, "7", "backup rate / local rate; restore to verified", "none set")
        return
    setup_paragraph(doc, figs)
    backups_table(doc, figs)
    restores_table(doc, figs)
    doc.summary.append(("7", label(server), WHAT[figs["method"]] % mb(figs["bytes"]), "%s (%s MB/s / %s MB/s)" % (
        f(figs["ratio"], 2), f(figs["rate"], 1), f(figs["local"]["rate"] / 1e6 if figs["local"]["rate"] else None, 1)),
        "none set", "-"))
    if figs["restores"]:
        restored = figs["restores"][0]["send_bytes"] or figs["bytes"]
        doc.summary.append(("7", label(server), RESTORE_WHAT % mb(restored), "%s (mysql-0 Ready %s)" % (
            s(figs["verified"]), s(figs["ready0"])), "none set", "-"))
