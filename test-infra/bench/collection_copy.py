"""What the benchmark ran: the collection's files as they were on disk at the start (the
working tree, which may differ from HEAD), hashed and copied, so that every run measures the
same code even when someone edits or commits in the checkout meanwhile."""

import hashlib
import os
import shutil
import subprocess

COLLECTION_PATHS = ["plugins", "roles", "playbooks", "meta", "site.yml", "galaxy.yml"]


def collection_files(repo):
    return subprocess.run(["git", "-C", repo, "ls-files", "-co", "--exclude-standard", "--"] + COLLECTION_PATHS,
                          capture_output=True, text=True, check=True).stdout.split()


def collection_state(repo):
    """A hash of the collection's files and the files that differ from HEAD."""
    digest = hashlib.sha256()
    for name in sorted(collection_files(repo)):
        path = os.path.join(repo, name)
        if os.path.isfile(path):
            digest.update(name.encode() + b"\0")
            with open(path, "rb") as f:
                digest.update(hashlib.sha256(f.read()).digest())
    changed = subprocess.run(["git", "-C", repo, "status", "--porcelain", "--"] + COLLECTION_PATHS,
                             capture_output=True, text=True).stdout.splitlines()
    return {"hash": digest.hexdigest()[:16], "changed_files": [line[3:] for line in changed]}


def snapshot_collection(repo, workdir):
    """Copies the collection to <workdir>/collection/ansible_collections/stateful/mysql;
    returns (collections path, what the results record)."""
    root = os.path.join(workdir, "collection")
    dest = os.path.join(root, "ansible_collections", "stateful", "mysql")
    shutil.rmtree(root, ignore_errors=True)
    files = collection_files(repo)
    for name in files:
        src = os.path.join(repo, name)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, name))
    return root, {"path": dest, "files": len(files)}


def git_commit(repo):
    return subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
