import time


def backoff(attempt: int) -> float:
    return min(2 ** attempt * 0.1, 5.0)
