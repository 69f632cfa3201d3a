import unittest

from docstore import DocumentStore, NotFound, merge_patch


class MergePatchTests(unittest.TestCase):
    def test_replaces_and_adds_members(self):
        self.assertEqual(merge_patch({"a": 1, "b": 2}, {"b": 3, "c": 4}), {"a": 1, "b": 3, "c": 4})

    def test_merges_nested_objects(self):
        self.assertEqual(merge_patch({"a": {"x": 1, "y": 2}}, {"a": {"y": 3}}), {"a": {"x": 1, "y": 3}})

    def test_arrays_are_replaced(self):
        self.assertEqual(merge_patch({"tags": [1, 2]}, {"tags": [3]}), {"tags": [3]})

    def test_does_not_modify_arguments(self):
        target, patch = {"a": {"b": 1}}, {"a": {"c": 2}}
        merge_patch(target, patch)
        self.assertEqual((target, patch), ({"a": {"b": 1}}, {"a": {"c": 2}}))


class StoreTests(unittest.TestCase):
    def test_patch_bumps_version(self):
        store = DocumentStore()
        store.put("u1", {"name": "Ann"})
        self.assertEqual(store.patch("u1", {"age": 30}), 2)
        self.assertEqual(store.get("u1"), ({"name": "Ann", "age": 30}, 2))

    def test_version_conflict(self):
        store = DocumentStore()
        store.put("u1", {})
        with self.assertRaises(ValueError):
            store.patch("u1", {"a": 1}, expected_version=5)

    def test_missing_document(self):
        with self.assertRaises(NotFound):
            DocumentStore().get("nope")
