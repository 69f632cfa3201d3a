import os
import tempfile
import unittest

from appconfig import load_settings


def write_ini(text):
    handle = tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False)
    handle.write(text)
    handle.close()
    return handle.name


class LoaderTests(unittest.TestCase):
    def test_defaults(self):
        self.assertEqual(load_settings()["port"], 8000)

    def test_file_overrides_defaults(self):
        path = write_ini("[app]\nport = 9000\nhost = 0.0.0.0\n")
        self.addCleanup(os.remove, path)
        settings = load_settings(path)
        self.assertEqual((settings["host"], settings["port"]), ("0.0.0.0", 9000))

    def test_env_overrides_file(self):
        path = write_ini("[app]\nworkers = 2\n")
        self.addCleanup(os.remove, path)
        self.assertEqual(load_settings(path, {"APP_WORKERS": "4"})["workers"], 4)

    def test_unknown_setting_is_rejected(self):
        with self.assertRaises(KeyError):
            load_settings(argv=["--colour=blue"])

    def test_bad_int_names_setting(self):
        with self.assertRaisesRegex(ValueError, "port"):
            load_settings(argv=["--port=eighty"])
