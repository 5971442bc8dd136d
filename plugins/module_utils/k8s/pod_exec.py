# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a command in a container through the Kubernetes API (``kubernetes.stream``'s
websocket client).

The exit code comes from the exec error channel (channel 3): a session that ends without
a status there is an error, never a success.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from urllib.parse import quote, urlencode

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.errors import K8sError, api_error_text

try:
    from kubernetes.client.exceptions import ApiException
    from kubernetes.stream.ws_client import ERROR_CHANNEL, STDIN_CHANNEL, WSClient, get_websocket_url
    from websocket import ABNF
except ImportError:
    # Reported by AnsibleK8SModule when the module starts.
    pass

STDOUT = 1
STDERR = 2
STATUS = 3
# v5.channel.k8s.io: a frame on channel 255 closes the channel its next byte names.
CLOSE = 255
V5 = "v5.channel.k8s.io"
# Largest stdin frame sent at once.
FRAME_BYTES = 1 << 20


class PodExecError(K8sError):
    """The command could not be run, or its exit status is unknown."""


class ExecResult:
    def __init__(self, rc, stdout, stderr):
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        return "ExecResult(rc=%r, stdout=%d chars, stderr=%d chars)" % (self.rc, len(self.stdout), len(self.stderr))


def parse_exit_status(text):
    """The exit code carried by an exec error-channel message.

    ``{"status": "Success"}`` is 0; a ``NonZeroExitCode`` failure carries the code in an
    ``ExitCode`` cause. Anything else (no message, an internal error such as a missing
    executable) raises PodExecError with the API's message.
    """
    if not text or not text.strip():
        raise PodExecError("the exec session ended without an exit status")
    try:
        status = json.loads(text)
    except ValueError:
        raise PodExecError("unreadable exec status: %s" % text.strip()[:200])
    if not isinstance(status, dict):
        raise PodExecError("unreadable exec status: %s" % text.strip()[:200])
    if status.get("status") == "Success":
        return 0
    for cause in (status.get("details") or {}).get("causes") or []:
        if cause.get("reason") == "ExitCode":
            try:
                return int(cause.get("message"))
            except (TypeError, ValueError):
                break
    raise PodExecError(status.get("message") or "exec failed: %s" % text.strip()[:200])


def exec_url(host, namespace, pod, container, command, stdin):
    """The pod's exec URL, as CoreV1Api's connect_get_namespaced_pod_exec would build it."""
    query = [("command", arg) for arg in command]
    query += [("container", container), ("stdin", "true" if stdin else "false"),
              ("stdout", "true"), ("stderr", "true"), ("tty", "false")]
    return "%s/api/v1/namespaces/%s/pods/%s/exec?%s" % (
        host.rstrip("/"), quote(namespace, safe=""), quote(pod, safe=""), urlencode(query))


def auth_headers(configuration):
    """The header credentials (a bearer token) the generated APIs would send; the
    websocket client adds TLS client certificates from the configuration itself."""
    headers = {}
    for setting in configuration.auth_settings().values():
        if setting.get("in") == "header" and setting.get("value"):
            headers[setting["key"]] = setting["value"]
    return headers


def open_exec(api_client, namespace, pod, container, command, stdin):
    """An open exec session. Built here rather than through CoreV1Api, whose generated
    module costs over half a second to load on every module run."""
    configuration = api_client.configuration
    url = exec_url(configuration.host, namespace, pod, container, command, stdin)
    return WSClient(configuration, get_websocket_url(url), auth_headers(configuration), capture_all=False)


def exec_in_pod(api_client, namespace, pod, container, command, stdin=None, timeout=60):
    """Runs ``command`` (a list) in ``container`` of ``pod``; returns an ExecResult.

    ``stdin`` (text) is written once the session is open and the channel is closed where
    the server speaks the v5 protocol; commands must not wait for end-of-file on stdin.
    Raises PodExecError when the session cannot be opened, times out or ends without an
    exit status.
    """
    where = "pod %s/%s container %s" % (namespace, pod, container)
    try:
        resp = open_exec(api_client, namespace, pod, container, list(command), stdin is not None)
    except ApiException as exc:
        raise PodExecError("cannot exec in %s: %s" % (where, api_error_text(exc)))
    except Exception as exc:  # websocket errors carry no common base class
        raise PodExecError("cannot exec in %s: %s" % (where, exc))
    stdout, stderr, errors = [], [], []
    deadline = time.time() + timeout
    try:
        if stdin is not None:
            resp.write_stdin(stdin)
            if hasattr(resp, "close_channel"):  # recent kubernetes clients; a no-op below protocol v5
                resp.close_channel(STDIN_CHANNEL)
        while resp.is_open():
            if time.time() > deadline:
                raise PodExecError("command in %s did not finish within %ss" % (where, timeout))
            resp.update(timeout=1)
            if resp.peek_stdout():
                stdout.append(resp.read_stdout())
            if resp.peek_stderr():
                stderr.append(resp.read_stderr())
            if resp.peek_channel(ERROR_CHANNEL):
                errors.append(resp.read_channel(ERROR_CHANNEL))
        # Frames that arrived with the close.
        stdout.append(resp.read_stdout(timeout=0) or "")
        stderr.append(resp.read_stderr(timeout=0) or "")
        errors.append(resp.read_channel(ERROR_CHANNEL) or "")
    except PodExecError:
        raise
    except Exception as exc:
        raise PodExecError("exec in %s failed: %s" % (where, exc))
    finally:
        try:
            resp.close()
        except Exception:
            pass
    rc = parse_exit_status("".join(errors))
    return ExecResult(rc, "".join(stdout), "".join(stderr))


def split_frame(data):
    """(channel, payload) of one exec websocket frame; (CLOSE, bytes([channel])) for a v5
    close; (None, b"") for an empty frame."""
    if not data:
        return None, b""
    view = memoryview(data)
    return view[0], view[1:]


class ExecStream:
    """An exec session read frame by frame, in binary: for output too large to hold, and
    input sent in pieces. ``frames()`` yields (channel, bytes) for stdout and stderr until
    the command ends; ``rc`` is then its exit code (PodExecError when it has none)."""

    def __init__(self, ws, where, timeout):
        self.ws = ws
        self.where = where
        self.status = []
        self.ended = False
        if hasattr(ws.sock, "settimeout"):
            ws.sock.settimeout(timeout)

    @property
    def v5(self):
        return getattr(self.ws, "subprotocol", None) == V5

    def send(self, data):
        """Writes ``data`` (bytes) to the command's stdin."""
        try:
            for start in range(0, len(data), FRAME_BYTES):
                self.ws.sock.send(b"\x00" + bytes(data[start:start + FRAME_BYTES]), opcode=ABNF.OPCODE_BINARY)
        except Exception as exc:
            raise PodExecError("writing to the command in %s failed: %s" % (self.where, exc))

    def close_stdin(self):
        """Ends the command's input (needs the v5 exec protocol, Kubernetes 1.30 and later)."""
        if not self.v5:
            raise PodExecError("the API server does not speak %s, which closing a command's input needs" % V5)
        self.ws.sock.send(bytes([CLOSE, 0]), opcode=ABNF.OPCODE_BINARY)

    def frames(self):
        while not self.ended:
            try:
                opcode, frame = self.ws.sock.recv_data_frame(True)
            except Exception as exc:
                self.close()
                raise PodExecError("the exec session in %s broke off: %s" % (self.where, exc or type(exc).__name__))
            if opcode == ABNF.OPCODE_CLOSE:
                self.ended = True
                break
            if opcode not in (ABNF.OPCODE_BINARY, ABNF.OPCODE_TEXT):
                continue
            channel, payload = split_frame(frame.data)
            if channel == STATUS:
                self.status.append(bytes(payload).decode("utf-8", "replace"))
            elif channel in (STDOUT, STDERR) and len(payload):
                yield channel, payload
        self.close()

    def drain(self):
        """Reads to the end; returns (stdout, stderr) as text."""
        out, err = [], []
        for channel, payload in self.frames():
            (out if channel == STDOUT else err).append(bytes(payload))
        return b"".join(out).decode("utf-8", "replace"), b"".join(err).decode("utf-8", "replace")

    @property
    def rc(self):
        return parse_exit_status("".join(self.status))

    def close(self):
        self.ended = True
        try:
            self.ws.close()
        except Exception:
            pass


def exec_stream(api_client, namespace, pod, container, command, stdin=False, timeout=300):
    """Opens ``command`` in ``container`` for streaming (see ExecStream); ``timeout`` is
    the longest silence tolerated on the session."""
    where = "pod %s/%s container %s" % (namespace, pod, container)
    try:
        configuration = api_client.configuration
        url = exec_url(configuration.host, namespace, pod, container, list(command), stdin)
        ws = WSClient(configuration, get_websocket_url(url), auth_headers(configuration), capture_all=False,
                      binary=True)
    except ApiException as exc:
        raise PodExecError("cannot exec in %s: %s" % (where, api_error_text(exc)))
    except Exception as exc:  # websocket errors carry no common base class
        raise PodExecError("cannot exec in %s: %s" % (where, exc))
    return ExecStream(ws, where, timeout)
