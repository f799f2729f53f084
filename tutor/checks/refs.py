"""Image references the way the engine compares them.

``busybox`` means ``docker.io/library/busybox:latest``; ``localhost:5000/app``
keeps its registry; a digest reference keeps its digest. Messages show the
familiar short form (``busybox:latest``), the way ``docker images`` does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_DOMAIN = "docker.io"
_DOMAIN_ALIASES = {"index.docker.io": DEFAULT_DOMAIN, "registry-1.docker.io": DEFAULT_DOMAIN}
_HEX_ID = re.compile(r"[0-9a-f]{12,64}")


@dataclass(frozen=True)
class ImageRef:
    domain: str
    path: str  # "library/busybox"
    tag: str | None  # None only with a digest
    digest: str | None = None

    @property
    def repository(self) -> str:
        """``docker.io/library/busybox``"""
        return f"{self.domain}/{self.path}"

    @property
    def normalized(self) -> str:
        text = self.repository
        if self.tag is not None:
            text += f":{self.tag}"
        if self.digest is not None:
            text += f"@{self.digest}"
        return text

    @property
    def familiar_repository(self) -> str:
        return familiar(self.repository)

    def __str__(self) -> str:
        return familiar(self.normalized)


def parse_ref(ref: str) -> ImageRef:
    ref = ref.strip()
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    tag = None
    colon = ref.rfind(":")
    if colon > ref.rfind("/"):
        ref, tag = ref[:colon], ref[colon + 1:]
    first, slash, rest = ref.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        domain, path = first.lower(), rest
    else:
        domain, path = DEFAULT_DOMAIN, ref
    domain = _DOMAIN_ALIASES.get(domain, domain)
    if domain == DEFAULT_DOMAIN and "/" not in path:
        path = f"library/{path}"
    if tag is None and digest is None:
        tag = "latest"
    return ImageRef(domain, path, tag, digest)


def is_image_id(ref: str) -> bool:
    return ref.startswith("sha256:") or _HEX_ID.fullmatch(ref) is not None


def normalize(ref: str) -> str:
    """``busybox`` -> ``docker.io/library/busybox:latest``; image IDs are kept as they are."""
    if is_image_id(ref):
        return ref
    return parse_ref(ref).normalized


def familiar(ref: str) -> str:
    """``docker.io/library/busybox:latest`` -> ``busybox:latest``."""
    for prefix in (f"{DEFAULT_DOMAIN}/library/", f"{DEFAULT_DOMAIN}/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


def repo_tags(image: Mapping[str, Any]) -> list[str]:
    """An image's tags the way ``docker images`` shows them (``busybox:latest``), without
    ``<none>:<none>``. Podman's Docker-compatible API lists full names
    (``docker.io/library/busybox:latest``); Docker's own engine the short ones."""
    return [familiar(tag) for tag in image.get("RepoTags") or ()
            if isinstance(tag, str) and tag != "<none>:<none>"]


def local_name(ref: str) -> str | None:
    """``localhost/hello:1`` for ``hello:1``: the name Podman gives an image built or
    tagged with a short name, and the one it resolves that short name to first. None when
    ``ref`` names its registry (``docker.io/hello``, ``localhost:5000/app``) or an ID."""
    ref = ref.strip()
    if is_image_id(ref) or "@" in ref:
        return None
    first, slash, _rest = ref.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        return None
    colon = ref.rfind(":")
    tagged = colon > ref.rfind("/")
    return f"localhost/{ref}" if tagged else f"localhost/{ref}:latest"



def short_id(image_id: str) -> str:
    return image_id.removeprefix("sha256:")[:12]


def same_id(expected: str, image_id: str) -> bool:
    """Whether an ID as typed (full, short, with or without ``sha256:``) names ``image_id``."""
    want = expected.removeprefix("sha256:")
    have = image_id.removeprefix("sha256:")
    return len(want) >= 12 and have.startswith(want)


_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REFERENCE = re.compile(
    rf"(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[a-z0-9]+:[a-f0-9]{32,})?"
)


def reference_problem(ref: str) -> str | None:
    """Why ``ref`` is not an image reference docker would accept, or None."""
    if is_image_id(ref) or _REFERENCE.fullmatch(ref):
        return None
    if ref != ref.strip() or " " in ref:
        return f"'{ref}' is not a valid image reference (it contains spaces)"
    if ref.lower() != ref and _REFERENCE.fullmatch(_lower_repository(ref)):
        return f"'{ref}' is not a valid image reference (repository names are lowercase)"
    return f"'{ref}' is not a valid image reference such as busybox, busybox:1.36 or " \
           f"localhost:5000/app:1.0"


def _lower_repository(ref: str) -> str:
    parsed_tag = ""
    colon = ref.rfind(":")
    if colon > ref.rfind("/"):
        ref, parsed_tag = ref[:colon], ref[colon:]
    return ref.lower() + parsed_tag
