"""Converts raw strings from files, the environment and the command line to setting types."""


def coerce(setting, raw):
    if isinstance(raw, setting.type):
        return raw
    try:
        return setting.type(raw)
    except ValueError as ex:
        raise ValueError(f"{setting.name}: cannot read {raw!r} as {setting.type.__name__}") from ex
