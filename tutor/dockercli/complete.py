"""Completion candidates for a docker command line, from the command model alone.

No engine calls: completion must never wait on the network.
"""

from __future__ import annotations

from .catalog import describe, flags_for, lookup, subcommand_names


def _command_path(words: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The command path the words name, and whether a positional argument came already."""
    path, positionals = _split_words(words)
    return path, positionals > 0


def _find_flag(path: tuple[str, ...], word: str):
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
# Only the first positional: after it come the container's command, or other kinds.
_FIRST_ARG_ONLY = {("container", "run"): "image", ("container", "create"): "image",
                   ("container", "exec"): "container", ("container", "commit"): "container",
                   ("container", "rename"): "container", ("image", "tag"): "image"}


def argument_kind(before: tuple[str, ...]) -> str | None:
    """"container" or "image" when the word being typed names one, else None."""
    from .catalog import canonical_path

    typed, positionals = _split_words(before)
    path = canonical_path(typed) if typed else None
    if path is None:
        return None
    if path in _FIRST_ARG_ONLY:
        return _FIRST_ARG_ONLY[path] if positionals == 0 else None
    if path in _CONTAINER_ARGS:
        return "container"
    if path in _IMAGE_ARGS:
        return "image"
    return None


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
    if before and before[-1].startswith("-"):
        flag = _find_flag(path, before[-1])
        if flag and flag.takes_value and "=" not in before[-1]:
            return []  # a flag's value: nothing sensible to offer from the model
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
