"""DocumentStore: JSON documents by id, with versions for optimistic concurrency."""

import json

from .merge import merge_patch


class NotFound(KeyError):
    pass


class DocumentStore:
    def __init__(self):
        self._docs = {}

    def put(self, doc_id, document):
        json.dumps(document)  # reject what JSON cannot hold
        version = self._docs.get(doc_id, (None, 0))[1] + 1
        self._docs[doc_id] = (document, version)
        return version

    def get(self, doc_id):
        if doc_id not in self._docs:
            raise NotFound(doc_id)
        document, version = self._docs[doc_id]
        return json.loads(json.dumps(document)), version

    def patch(self, doc_id, patch, expected_version=None):
        document, version = self.get(doc_id)
        if expected_version is not None and expected_version != version:
            raise ValueError(f"version conflict: expected {expected_version}, have {version}")
        return self.put(doc_id, merge_patch(document, patch))
