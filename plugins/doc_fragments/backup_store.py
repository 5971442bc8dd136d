# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The store options of module_utils.backup_store.store_argument_spec."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  store:
    description:
      - Where the backups are kept.
      - C(pvc) - the PersistentVolumeClaim C(<name>-backups) in the deployment's namespace,
        reached through pod C(<name>-backup-store) (the deployment's server image running
        C(sleep), started when needed and kept; deleting it is safe). Each backup is the
        directory C(<id>/) holding C(stream) and C(manifest.json). It goes with the
        namespace.
      - "C(s3) - an S3-compatible bucket (O(s3_endpoint), O(s3_bucket)): objects
        C(<prefix>/<id>/stream) and C(<prefix>/<id>/manifest.json)."
    type: str
    choices: [pvc, s3]
    default: pvc
  pvc_size:
    description: With O(store=pvc), the size of the C(<name>-backups) claim when it is created (an existing claim is left as it is).
    type: str
    default: 10Gi
  pvc_storage_class:
    description: With O(store=pvc), the StorageClass of a claim this module creates; the cluster's default when unset.
    type: str
  store_image:
    description:
      - With O(store=pvc), the image of the store pod (it needs C(bash), C(cat), C(stat),
        C(sha256sum) and C(sleep)). Defaults to the deployment's server image.
    type: str
  s3_endpoint:
    description:
      - With O(store=s3), the endpoint URL, C(https://...) or C(http://...), for example
        C(https://s3.eu-west-1.amazonaws.com). Requests are path-style
        (C(<endpoint>/<bucket>/<key>)) and signed with AWS Signature Version 4.
      - The controller running the module talks to it; the pods do not.
    type: str
  s3_bucket:
    description: With O(store=s3), the bucket, which must exist.
    type: str
  s3_prefix:
    description:
      - With O(store=s3), the key prefix of this deployment's backups. Empty means
        C(<namespace>/<name>) of the deployment the backups are of.
    type: str
    default: ""
  s3_region:
    description: With O(store=s3), the region the requests are signed for.
    type: str
    default: us-east-1
  s3_secret:
    description:
      - With O(store=s3), the Secret holding the credentials, in keys C(access-key-id) and
        C(secret-access-key). They are read by the module and never returned.
    type: str
  s3_secret_namespace:
    description: The namespace of O(s3_secret). Defaults to the namespace of the deployment the backups are of.
    type: str
  s3_validate_certs:
    description: With an C(https) endpoint, verify its certificate.
    type: bool
    default: true
  s3_ca_file:
    description: With an C(https) endpoint, a PEM file of the certificate authorities to trust instead of the system's.
    type: path
"""
