"""Clocks: the real one and a manual one for tests."""

import time


class SystemClock:
    def now(self):
        return time.monotonic()


class ManualClock:
    def __init__(self, start=0.0):
        self._now = start

    def now(self):
        return self._now

    def advance(self, seconds):
        self._now += seconds
