import time


def backoff(attempt: int) -> float:
    return min(2 ** attempt * 0.1, 5.0)


def retry(times: int):
    def wrap(fn):
        def inner(*args, **kwargs):
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except ConnectionError:
                    if attempt == times - 1:
                        raise
                    time.sleep(backoff(attempt))
        return inner
    return wrap
