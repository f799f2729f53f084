"""Completion candidates for a docker command line, from the command model alone.

No engine calls: completion must never wait on the network.
"""

from __future__ import annotations

from .catalog import describe, flags_for, lookup, subcommand_names
from .spec import Flag


def _command_path(words: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The command path the words name, and whether a positional argument came already."""
    path, positionals = _split_words(words)
    return path, positionals > 0


def _find_flag(path: tuple[str, ...], word: str) -> Flag | None:
    name = word.split("=", 1)[0]
    for flag in flags_for(path):
        if name == f"--{flag.name}" or (flag.short and name == f"-{flag.short}"):
            return flag
    return None


# Which engine objects a command's positional arguments name (canonical paths).
_CONTAINER_ARGS = frozenset({
    ("container", "exec"), ("container", "attach"), ("container", "logs"),
    ("container", "stop"), ("container", "start"), ("container", "restart"),
    ("container", "kill"), ("container", "rm"), ("container", "inspect"),
    ("container", "port"), ("container", "top"), ("container", "pause"),
    ("container", "unpause"), ("container", "diff"), ("container", "export"),
    ("container", "commit"), ("container", "rename"), ("container", "stats"),
    ("container", "wait"),
})
_IMAGE_ARGS = frozenset({
    ("image", "rm"), ("image", "inspect"), ("image", "history"), ("image", "push"),
    ("image", "save"), ("image", "tag"),
})
_VOLUME_ARGS = frozenset({("volume", "rm"), ("volume", "inspect")})
_NETWORK_ARGS = frozenset({("network", "rm"), ("network", "inspect")})
# Positionals in order; after the last, nothing (a container's command, say).
_ARGS_IN_ORDER: dict[tuple[str, ...], tuple[str, ...]] = {
    ("container", "run"): ("image",), ("container", "create"): ("image",),
    ("container", "exec"): ("container",), ("container", "commit"): ("container",),
    ("container", "rename"): ("container",), ("image", "tag"): ("image",),
    ("network", "connect"): ("network", "container"),
    ("network", "disconnect"): ("network", "container"),
}
# Flags whose value names an engine object: --network NAME, --volumes-from NAME.
_FLAG_VALUE_KIND = {"network": "network", "volumes-from": "container"}


def argument_kind(before: tuple[str, ...]) -> str | None:
    """What the word being typed names: "container", "image", "volume", "network" or None."""
    from .catalog import canonical_path

    typed, positionals = _split_words(before)
    path = canonical_path(typed) if typed else None
    if path is None:
        return None
    value_of = _value_flag(path, before)
    if value_of is not None:
        return _FLAG_VALUE_KIND.get(value_of.name) if path[0] == "container" else None
    if path in _ARGS_IN_ORDER:
        kinds = _ARGS_IN_ORDER[path]
        return kinds[positionals] if positionals < len(kinds) else None
    for kind, paths in (("container", _CONTAINER_ARGS), ("image", _IMAGE_ARGS),
                        ("volume", _VOLUME_ARGS), ("network", _NETWORK_ARGS)):
        if path in paths:
            return kind
    return None


def _value_flag(path: tuple[str, ...], before: tuple[str, ...]) -> Flag | None:
    """The flag whose value is being typed (``--network <here>``), or None."""
    if before and before[-1].startswith("-") and "=" not in before[-1]:
        flag = _find_flag(path, before[-1])
        if flag is not None and flag.takes_value:
            return flag
    return None


# Values a flag takes from a fixed list, for the commands where it means that.
_RUN_LIKE = frozenset({("container", "run"), ("container", "create"), ("container", "update")})
_VALUE_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "restart": (("no", "never restart (the default)"),
                ("always", "restart whenever it stops, and when the engine starts"),
                ("unless-stopped", "like always, unless you stopped it yourself"),
                ("on-failure", "restart when it exits with an error (on-failure:N: N times)")),
    "network": (("bridge", "the default bridge network"),
                ("host", "share the host's network"),
                ("none", "no network")),
    "pull": (("missing", "pull the image only if it isn't here (the default)"),
             ("always", "always pull the image first"),
             ("never", "never pull; fail if the image isn't here")),
}


def _split_words(words: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    """The command words typed, and how many positional arguments follow them."""
    path: tuple[str, ...] = ()
    positionals = 0
    expecting_value = False
    for word in words:
        if expecting_value:
            expecting_value = False
            continue
        if word.startswith("-"):
            flag = _find_flag(path, word)
            expecting_value = bool(flag and flag.takes_value and "=" not in word)
            continue
        if not positionals and word in subcommand_names(path):
            path += (word,)
            continue
        positionals += 1
    return path, positionals


def suggest(before: tuple[str, ...], prefix: str) -> list[tuple[str, str]]:
    """(completion, description) pairs for the word being typed after ``docker ...``."""
    path, past_positional = _command_path(before)
    value_of = _value_flag(path, before)
    if value_of is not None:  # a flag's value: only fixed choices come from the model
        from .catalog import canonical_path

        choices = _VALUE_CHOICES.get(value_of.name, ())
        return [(value, meta) for value, meta in choices if value.startswith(prefix)] if (
            canonical_path(path) in _RUN_LIKE) else []
    if prefix.startswith("-"):
        candidates = []
        for flag in flags_for(path):
            long_form = f"--{flag.name}"
            if long_form.startswith(prefix):
                candidates.append((long_form, flag.description))
            elif flag.short and f"-{flag.short}" == prefix:
                candidates.append((f"-{flag.short}", flag.description))
        return candidates
    if past_positional:
        return []
    spec = lookup(path) if path else None
    if path and spec is not None and not spec.is_group:
        return []
    return [(name, describe((*path, name)) or "")
            for name in subcommand_names(path) if name.startswith(prefix)]
