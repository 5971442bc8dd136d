# Local stand-in for ansible-test's get-pip bootstrap (its download host is unreachable here):
# bootstrap the interpreter's bundled pip, then let it install the requested pip from PyPI.
# --no-setuptools / --no-wheel are get-pip's own flags, not pip's. ensurepip disables pip's
# configuration in os.environ, so the install runs with the environment saved before it.
import ensurepip
import os
import subprocess
import sys

env = dict(os.environ)
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
ensurepip.bootstrap(upgrade=True)
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args, env=env))
