"""Router: maps (method, path) to a handler and its converted parameters."""

from .pattern import compile_route


class NotFound(LookupError):
    pass


class Router:
    def __init__(self):
        self._routes = []

    def add(self, method, route, handler):
        regex, converters = compile_route(route)
        self._routes.append((method.upper(), regex, converters, handler))

    def route(self, method, route):
        def decorator(handler):
            self.add(method, route, handler)
            return handler
        return decorator

    def match(self, method, path):
        for route_method, regex, converters, handler in self._routes:
            if route_method != method.upper():
                continue
            found = regex.match(path)
            if found:
                params = {k: converters[k](v) for k, v in found.groupdict().items()}
                return handler, params
        raise NotFound(f"{method} {path}")
