# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Signature Version 4 against the examples AWS publishes for S3 (header-based auth,
"Examples of signature calculations"), and the XML answers the store reads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils.backup import s3_client

ACCESS = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
DATE = "20130524T000000Z"
HOST = "examplebucket.s3.amazonaws.com"


def test_get_object_example():
    headers = {"host": HOST, "range": "bytes=0-9", "x-amz-content-sha256": s3_client.EMPTY_SHA256,
               "x-amz-date": DATE}
    auth = s3_client.authorization(ACCESS, SECRET, "us-east-1", "s3", DATE, "GET", "/test.txt", [], headers,
                                   s3_client.EMPTY_SHA256)
    assert auth == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")


def test_list_objects_example_signs_the_sorted_query():
    headers = {"host": HOST, "x-amz-content-sha256": s3_client.EMPTY_SHA256, "x-amz-date": DATE}
    auth = s3_client.authorization(ACCESS, SECRET, "us-east-1", "s3", DATE, "GET", "/",
                                   [("prefix", "J"), ("max-keys", 2)], headers, s3_client.EMPTY_SHA256)
    assert auth.endswith("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")


def test_a_query_name_without_value_is_signed_as_name_equals():
    assert s3_client.canonical_query([("uploads", None), ("prefix", "a b/")]) == "prefix=a%20b%2F&uploads="


def test_error_answers_name_code_and_message():
    error = s3_client.error_from(403, b"<Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error>")
    assert (error.status, error.code, str(error)) == (403, "SignatureDoesNotMatch", "S3 answered 403 SignatureDoesNotMatch: no")


def test_listing_pages():
    body = (b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>true</IsTruncated>'
            b"<Contents><Key>p/a/stream</Key><Size>5</Size></Contents>"
            b"<NextContinuationToken>t1</NextContinuationToken></ListBucketResult>")
    assert s3_client.parse_list_objects(body) == ([{"key": "p/a/stream", "size": 5}], "t1")


def test_complete_body_lists_the_parts_in_order():
    assert s3_client.complete_body(['"a"', '"b"']) == (
        b'<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"a"</ETag></Part>'
        b'<Part><PartNumber>2</PartNumber><ETag>"b"</ETag></Part></CompleteMultipartUpload>')


def test_an_endpoint_must_be_a_url():
    with pytest.raises(s3_client.S3Error, match="http:// or https://"):
        s3_client.S3Client("s3.example.com", "b", "k", "s")
