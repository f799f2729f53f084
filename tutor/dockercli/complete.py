"""Completion candidates for a docker command line, from the command model alone.

No engine calls: completion must never wait on the network.
"""

from __future__ import annotations

from .model import describe, flags_for, lookup, subcommand_names


def _command_path(words: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The command path the words name, and whether a positional argument came already."""
    path: tuple[str, ...] = ()
    expecting_value = False
    for word in words:
        if expecting_value:
            expecting_value = False
            continue
        if word.startswith("-"):
            flag = _find_flag(path, word)
            expecting_value = bool(flag and flag.takes_value and "=" not in word)
            continue
        if word in subcommand_names(path):
            path += (word,)
            continue
        return path, True
    return path, False


def _find_flag(path: tuple[str, ...], word: str):
    name = word.split("=", 1)[0]
    for flag in flags_for(path):
        if name == f"--{flag.name}" or (flag.short and name == f"-{flag.short}"):
            return flag
    return None


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
    return [(name, describe(path + (name,)) or "")
            for name in subcommand_names(path) if name.startswith(prefix)]
