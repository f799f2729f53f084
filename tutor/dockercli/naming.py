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


def loaded_refs(output: str) -> list[str]:
    """References ``docker load`` reports (``Loaded image: busybox:latest``)."""
    return [with_tag(ref) for ref in _LOADED.findall(output)]
