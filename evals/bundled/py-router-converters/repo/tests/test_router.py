import unittest

from minirouter import NotFound, Router


def make_router():
    router = Router()
    router.add("GET", "/users/<int:user_id>/posts/<slug>", "show_post")
    router.add("GET", "/users/<int:user_id>", "show_user")
    router.add("GET", "/files/<path:rest>", "file")
    router.add("POST", "/users", "create_user")
    return router


class RouterTests(unittest.TestCase):
    def test_int_parameter_is_converted(self):
        self.assertEqual(make_router().match("GET", "/users/42"), ("show_user", {"user_id": 42}))

    def test_two_parameters(self):
        handler, params = make_router().match("get", "/users/7/posts/hello-world")
        self.assertEqual((handler, params), ("show_post", {"user_id": 7, "slug": "hello-world"}))

    def test_path_parameter_keeps_slashes(self):
        self.assertEqual(make_router().match("GET", "/files/a/b/c.txt")[1], {"rest": "a/b/c.txt"})

    def test_method_must_match(self):
        with self.assertRaises(NotFound):
            make_router().match("DELETE", "/users")

    def test_unknown_converter_is_rejected(self):
        with self.assertRaises(ValueError):
            Router().add("GET", "/x/<float:f>", "h")
