"""Which image names a docker command gives (and so may create or move)."""

from __future__ import annotations

import re

from .parse import ParsedCommand

CONTAINER_MAKERS = frozenset({("container", "run"), ("container", "create")})
_LOADED = re.compile(r"^Loaded image: (\S+)\s*$", re.MULTILINE)


def with_tag(ref: str) -> str:
    """``hello`` -> ``hello:latest``; a reference with a tag or digest stays."""
    if "@" in ref or ":" in ref.rsplit("/", 1)[-1]:
        return ref
    return f"{ref}:latest"


def named_image_refs(parsed: ParsedCommand, pulls: bool = True) -> list[str]:
    """The image references the command gives a name to: ``build -t``, the target of
    ``tag``, ``commit`` and ``import``; with ``pulls``, also ``pull`` and the image of
    ``run``/``create`` (pulled when missing)."""
    path, args = parsed.path, parsed.args
    refs: list[str] = []
    if path == ("image", "build"):
        refs = list(parsed.values("tag"))
    elif path in (("image", "tag"), ("container", "commit"), ("image", "import")):
        refs = [args[1]] if len(args) > 1 else []
    elif (pulls and path == ("image", "pull") and args and not parsed.flag("all-tags")) or (pulls and path in CONTAINER_MAKERS and args):
        refs = [args[0]]
    return [with_tag(ref) for ref in refs if "@" not in ref]


# Commands that can make a named volume or network, for the learner's label.
OBJECT_MAKERS = frozenset({("volume", "create"), ("network", "create")})


def named_volumes(parsed: ParsedCommand) -> list[str]:
    """The volume names the command may create: ``volume create NAME``, and the named
    volumes ``run``/``create`` mount (``-v NAME:/path``, ``--mount source=NAME``), which
    the engine creates when they are missing. A path (``/srv``, ``./site``) is a bind
    mount, not a volume."""
    if parsed.path == ("volume", "create"):
        return list(parsed.args[:1])
    if parsed.path not in CONTAINER_MAKERS:
        return []
    names = [spec.split(":", 1)[0] for spec in parsed.values("volume") if ":" in spec]
    for spec in parsed.values("mount"):
        fields = dict(part.partition("=")[::2] for part in spec.split(","))
        if fields.get("type", "volume") == "volume":
            names.append(fields.get("source") or fields.get("src") or "")
    return [name for name in dict.fromkeys(names)
            if name and not name.startswith(("/", ".", "~")) and "$" not in name]


def named_networks(parsed: ParsedCommand) -> list[str]:
    """The network name ``network create NAME`` gives."""
    return list(parsed.args[:1]) if parsed.path == ("network", "create") else []


def loaded_refs(output: str) -> list[str]:
    """References ``docker load`` reports (``Loaded image: busybox:latest``)."""
    return [with_tag(ref) for ref in _LOADED.findall(output)]
