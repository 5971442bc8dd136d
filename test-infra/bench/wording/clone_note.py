"""The closing note on a clone that misses its goal, in words."""

from figures.goals import GOALS
from wording.markdown import f, label, mb, s

# What each fixed step is and, where one is known, how to shorten it; %s is its duration.
FIXES = {
    "sched": "PVC provisioning (%s): local-path starts a helper pod per volume; the test "
             "cluster's storage, not the collection",
    "sandbox": "pod sandbox and volumes (%s): the cluster's",
    "init": "init-config and init-datadir (%s): two more containers started one after the other "
            "before the clone can begin; one init container running the three scripts in turn "
            "would save most of it",
    "init-1": "init-config and init-datadir in the init container before its clone step (%s)",
    "connect": "connecting to the donor (%s)",
    "prepare": "`mariadb-backup --prepare` (%s), run with the default `--use-memory` (100 MB); "
               "a larger value shortens redo application on big backups",
    "scratch": "the throwaway recipient (%s): a scratch datadir initialised and a server started, one after "
               "the other, before CLONE can run",
    "finish": "`sync` and the rename (%s)",
    "containers": "starting the mysql and replication containers after the clone (%s): the kubelet's",
    "ready": "from the server's start to Ready (%s): the server starts, the sidecar polls for it "
             "every 1 s before it configures replication, the startup probe (every 1 s) must "
             "pass before the readiness probe (every 2 s) runs at all, so Ready can trail running "
             "replication by up to about 3 s",
    "noticed": "the wait noticing Ready (%s)",
    "check": "replication_check after Ready (%s): module start-up, then the replica's catch-up "
             "and the canary row",
}
TRANSFER = {"stream": "the stream", "plugin": "the CLONE statement"}


def estimate_text(method, e, goal):
    if method == "stream":
        if e["size"] is None:
            return " Even with the larger buffer the stream reaches only %s of local, below %.1f." % (
                f(e["transfer_of_local"], 2), goal)
        return (" With the larger buffer (stream at %s of local) and these fixed steps unchanged, the ratio would "
                "be %s here and would reach %.1f only from about %s GB of data (an estimate from the numbers "
                "above, not measured)."
                % (f(e["transfer_of_local"], 2), f(e["ratio_here"], 2), goal, f(e["size"] / 1e9, 0)))
    if e["size"] is None:
        return " The CLONE statement alone reaches only %s of local, below %.1f." % (f(e["transfer_of_local"], 2), goal)
    return (" At the CLONE statement's rate here (%s of local) and with these fixed steps unchanged, the ratio "
            "would reach %.1f only from about %s GB of data (an estimate from the numbers above, not measured)."
            % (f(e["transfer_of_local"], 2), goal, f(e["size"] / 1e9, 0)))


def note(server, figs):
    n, m, method = figs["note"], figs["median"], figs["method"]
    goal = GOALS["clone"].limit
    transfer = TRANSFER[method]
    text = ("**Clone throughput, %s (%s of the local rate, goal %.1f).** Copying %s MB locally takes %s; the "
            "new replica needs %s from its creation until it is caught up: %s %s, the steps around it %s. "
            % (label(server), f(figs["ratio"], 2), goal, mb(m["bytes"]), s(m["local_equiv"], 1), s(m["t_clone"], 1),
               transfer, s(m["transfer"], 0), s(n["fixed"], 0)))
    if n["transfer_too_slow"]:
        text += ("%s by itself runs at %s of the local rate (log times, whole seconds), so at that rate no saving "
                 "elsewhere can reach %.1f at any data size. "
                 % (transfer[0].upper() + transfer[1:], f(m["transfer_of_local"], 2), goal))
    b = n["buffers"]
    if b and b["matters"]:
        text += ("The stream path profile shows the buffer matters: through socat with its default "
                 "8 KiB buffer the transfer takes %s, with `-b 131072` %s (local: %s); the sidecar "
                 "serves clones with `-b 131072` (`roles/mysql_config/files/scripts/sidecar.sh`). "
                 % (s(b["default"], 2), s(b["large"], 2), s(m["local_equiv"], 2)))
    one_init = m["init_containers"] == 1
    fixes = [FIXES[k + "-1" if k == "init" and one_init else k] % s(v, 1) for k, v in n["ranked"][:6] if k in FIXES]
    text += ("The goal means caught up within %s of the pod's creation; in this run the cluster's own steps "
             "(PVC provisioning, sandbox, container starts) alone took %s. The fixed steps, largest first: %s."
             % (s(n["need"], 1), s(n["cluster"], 1), "; ".join(fixes)))
    if n["estimate"]:
        text += estimate_text(method, n["estimate"], goal)
    if n["quick"]:
        text += " (A quick run's small data set exaggerates the fixed part: the full mode measures 1 GB.)"
    return text
