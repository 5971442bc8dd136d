# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small S3 client: AWS Signature Version 4 over http.client, no SDK.

Only what the backup store needs: put, get (streamed), head, delete, ListObjectsV2,
multipart uploads (create, part, complete, abort, list). Requests use path-style
addressing (``<endpoint>/<bucket>/<key>``), which AWS and the S3-compatible servers
(MinIO, Ceph RGW, versitygw, Garage...) accept. Every payload is signed with its SHA-256
(``x-amz-content-sha256``), so the server refuses a part whose bytes changed on the way.

The signing functions are pure and tested against AWS's published examples.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import hashlib
import hmac
import http.client
import socket
import ssl
import time
import xml.etree.ElementTree as ET

from urllib.parse import quote, urlsplit

from ansible_collections.stateful.mysql.plugins.module_utils.backup.model import BackupError

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
ALGORITHM = "AWS4-HMAC-SHA256"
XMLNS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
# Status codes and connection errors worth a second try (the request is idempotent or its
# repetition harmless: a part re-uploaded under the same number replaces the first).
RETRY_STATUS = (500, 502, 503, 504)
RETRIES = 3


class S3Error(BackupError):
    """An S3 request failed; ``status`` and ``code`` are the server's (None when it did not answer)."""

    def __init__(self, message, status=None, code=None):
        super(S3Error, self).__init__(message)
        self.status = status
        self.code = code


# --- Signature Version 4 (pure) ---------------------------------------------------------

def uri_encode(text, safe="-_.~"):
    """RFC 3986 percent-encoding as SigV4 wants it (``safe`` adds ``/`` for paths)."""
    return quote(text, safe=safe)


def canonical_query(params):
    """Sorted, encoded query string of (name, value) pairs; a value of None means ``name=``."""
    pairs = sorted((uri_encode(str(k)), uri_encode("" if v is None else str(v))) for k, v in params)
    return "&".join("%s=%s" % pair for pair in pairs)


def canonical_request(method, path, params, headers, payload_hash):
    """The canonical request and the signed header list. ``headers`` maps lower-case names
    to values; every one of them is signed."""
    names = sorted(headers)
    canonical_headers = "".join("%s:%s\n" % (name, " ".join(str(headers[name]).split())) for name in names)
    signed = ";".join(names)
    request = "\n".join([method, uri_encode(path, safe="-_.~/"), canonical_query(params),
                         canonical_headers, signed, payload_hash])
    return request, signed


def signing_key(secret_key, date, region, service):
    key = ("AWS4" + secret_key).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def string_to_sign(amz_date, scope, request):
    return "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(request.encode("utf-8")).hexdigest()])


def authorization(access_key, secret_key, region, service, amz_date, method, path, params, headers, payload_hash):
    """The Authorization header of a request whose ``headers`` (lower-case names) are all signed."""
    date = amz_date[:8]
    scope = "%s/%s/%s/aws4_request" % (date, region, service)
    request, signed = canonical_request(method, path, params, headers, payload_hash)
    signature = hmac.new(signing_key(secret_key, date, region, service),
                         string_to_sign(amz_date, scope, request).encode("utf-8"), hashlib.sha256).hexdigest()
    return "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (ALGORITHM, access_key, scope, signed, signature)


def amz_date(now=None):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))


# --- XML answers (pure) -----------------------------------------------------------------

def _find(element, name):
    found = element.find(XMLNS + name)
    return found if found is not None else element.find(name)


def _text(element, name, default=None):
    found = _find(element, name)
    return found.text if found is not None and found.text is not None else default


def _all(element, name):
    return element.findall(XMLNS + name) or element.findall(name)


def error_from(status, body):
    """An S3Error from an error answer's XML (``<Error><Code/><Message/></Error>``)."""
    code = message = None
    try:
        root = ET.fromstring(body)
        code, message = _text(root, "Code"), _text(root, "Message")
    except ET.ParseError:
        message = body.decode("utf-8", "replace").strip()[:300] if body else None
    return S3Error("S3 answered %s%s%s" % (status, " " + code if code else "", ": " + message if message else ""),
                   status=status, code=code)


def parse_list_objects(body):
    """(objects, next continuation token): each object {"key", "size"}."""
    root = ET.fromstring(body)
    objects = [{"key": _text(item, "Key"), "size": int(_text(item, "Size", "0"))} for item in _all(root, "Contents")]
    truncated = _text(root, "IsTruncated", "false") == "true"
    return objects, (_text(root, "NextContinuationToken") if truncated else None)


def parse_uploads(body):
    """(uploads, next key marker, next upload-id marker): each upload {"key", "upload_id", "initiated"}."""
    root = ET.fromstring(body)
    uploads = [{"key": _text(item, "Key"), "upload_id": _text(item, "UploadId"), "initiated": _text(item, "Initiated")}
               for item in _all(root, "Upload")]
    truncated = _text(root, "IsTruncated", "false") == "true"
    if not truncated:
        return uploads, None, None
    return uploads, _text(root, "NextKeyMarker"), _text(root, "NextUploadIdMarker")


def complete_body(etags):
    """The CompleteMultipartUpload document for the parts' ETags, in part order."""
    parts = "".join("<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>" % (number, etag)
                    for number, etag in enumerate(etags, 1))
    return ("<CompleteMultipartUpload>%s</CompleteMultipartUpload>" % parts).encode("utf-8")


# --- the client -------------------------------------------------------------------------

class S3Client:
    """Requests to one bucket of one endpoint (``http://host:port`` or ``https://...``)."""

    def __init__(self, endpoint, bucket, access_key, secret_key, region="us-east-1", validate_certs=True,
                 ca_file=None, timeout=120, clock=time.time):
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise S3Error("the S3 endpoint must be an http:// or https:// URL, got %r" % endpoint)
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.netloc = parts.netloc
        self.base = parts.path.rstrip("/")
        self.bucket = bucket
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.timeout = timeout
        self.clock = clock
        self.context = None
        if self.scheme == "https":
            self.context = ssl.create_default_context(cafile=ca_file)
            if not validate_certs:
                self.context.check_hostname = False
                self.context.verify_mode = ssl.CERT_NONE
        self._connection = None

    def copy(self):
        """The same client on a connection of its own (for another thread)."""
        other = copy.copy(self)
        other._connection = None
        return other

    def path(self, key=None):
        path = "%s/%s" % (self.base, self.bucket)
        return path + "/" + key if key else path

    def _connect(self):
        if self._connection is None:
            if self.scheme == "https":
                self._connection = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                                               context=self.context)
            else:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._connection

    def close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def signed_headers(self, method, path, params, payload_hash, extra=None):
        headers = {"host": self.netloc, "x-amz-content-sha256": payload_hash, "x-amz-date": amz_date(self.clock())}
        headers.update(dict((k.lower(), v) for k, v in (extra or {}).items()))
        headers["authorization"] = authorization(self.access_key, self.secret_key, self.region, "s3",
                                                 headers["x-amz-date"], method, path, params, headers, payload_hash)
        return headers

    def request(self, method, key=None, params=(), body=b"", headers=None, stream=False, ok=(200, 204)):
        """One signed request. Returns the response (open, when ``stream``) or (status,
        headers, body). Retries connection failures and 5xx answers."""
        path = self.path(key)
        params = list(params)
        payload_hash = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
        url = uri_encode(path, safe="-_.~/") + ("?" + canonical_query(params) if params else "")
        last = None
        for attempt in range(RETRIES):
            if attempt:
                time.sleep(attempt)
            try:
                connection = self._connect()
                connection.request(method, url, body=body or None,
                                   headers=self.signed_headers(method, path, params, payload_hash, headers))
                response = connection.getresponse()
            except (OSError, http.client.HTTPException, socket.timeout) as exc:
                self.close()
                last = S3Error("cannot reach the S3 endpoint %s://%s: %s" % (self.scheme, self.netloc, exc))
                continue
            if response.status in RETRY_STATUS and attempt + 1 < RETRIES:
                response.read()
                last = error_from(response.status, b"")
                continue
            if response.status not in ok:
                raise error_from(response.status, response.read())
            if stream:
                return response
            data = response.read()
            return response.status, dict((k.lower(), v) for k, v in response.getheaders()), data
        raise last

    # objects

    def put_object(self, key, body, content_type="application/octet-stream"):
        self.request("PUT", key, body=body, headers={"content-type": content_type})

    def get_object(self, key):
        return self.request("GET", key)[2]

    def open_object(self, key):
        """The object's response, to ``read(n)`` from; its ``length`` is the size."""
        return self.request("GET", key, stream=True)

    def head_object(self, key):
        """The object's size, or None when it does not exist."""
        try:
            _status, headers, _body = self.request("HEAD", key)
        except S3Error as exc:
            if exc.status == 404:
                return None
            raise
        return int(headers.get("content-length", "0"))

    def delete_object(self, key):
        self.request("DELETE", key)

    def list_objects(self, prefix):
        """Every object under ``prefix`` ({"key", "size"}), all pages."""
        objects, token = [], None
        while True:
            params = [("list-type", "2"), ("prefix", prefix)]
            if token:
                params.append(("continuation-token", token))
            page, token = parse_list_objects(self.request("GET", params=params)[2])
            objects.extend(page)
            if not token:
                return objects

    # multipart uploads

    def create_upload(self, key, content_type="application/octet-stream"):
        body = self.request("POST", key, params=[("uploads", None)], headers={"content-type": content_type})[2]
        upload_id = _text(ET.fromstring(body), "UploadId")
        if not upload_id:
            raise S3Error("S3 started no multipart upload for %s" % key)
        return upload_id

    def upload_part(self, key, upload_id, number, body):
        headers = self.request("PUT", key, params=[("partNumber", number), ("uploadId", upload_id)], body=body)[1]
        return headers.get("etag")

    def complete_upload(self, key, upload_id, etags):
        body = self.request("POST", key, params=[("uploadId", upload_id)], body=complete_body(etags),
                            headers={"content-type": "application/xml"})[2]
        # A 200 answer may still carry an error document.
        root = ET.fromstring(body) if body.strip() else None
        if root is not None and root.tag.endswith("Error"):
            raise error_from(200, body)

    def abort_upload(self, key, upload_id):
        try:
            self.request("DELETE", key, params=[("uploadId", upload_id)])
        except S3Error as exc:
            if exc.status != 404:
                raise

    def list_uploads(self, prefix):
        """Multipart uploads begun and neither completed nor aborted under ``prefix``."""
        uploads, key_marker, id_marker = [], None, None
        while True:
            params = [("uploads", None), ("prefix", prefix)]
            if key_marker:
                params += [("key-marker", key_marker), ("upload-id-marker", id_marker or "")]
            page, key_marker, id_marker = parse_uploads(self.request("GET", params=params)[2])
            uploads.extend(page)
            if not key_marker:
                return uploads
