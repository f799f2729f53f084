"""Image references taken apart: ``nginx`` is ``docker.io/library/nginx:latest``.

Follows the rules of docker's reference parser (distribution/reference): the
first part names a registry only if it has a ``.`` or a ``:`` or is
``localhost``; otherwise the image is on Docker Hub, where a one-part name is
one of the official images in the ``library`` namespace; with no tag and no
digest the tag is ``latest``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOCKER_HUB = "docker.io"
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_IMAGE_ID = re.compile(r"^(?:sha256:)?[0-9a-f]{12,64}$")


@dataclass(frozen=True)
class ImageRef:
    """One image reference, with what docker fills in when it is left out."""

    registry: str
    namespace: str  # "" when the registry has none ("localhost:5000/app")
    repository: str
    tag: str
    digest: str
    registry_implied: bool
    namespace_implied: bool
    tag_implied: bool

    @property
    def full(self) -> str:
        """The reference with nothing left out: docker.io/library/nginx:latest."""
        path = "/".join(p for p in (self.registry, self.namespace, self.repository) if p)
        if self.tag and not (self.tag_implied and self.digest):
            path += f":{self.tag}"
        return path + (f"@{self.digest}" if self.digest else "")


class BadReference(ValueError):
    """Not a reference docker would accept; the message says why."""


def parse_image(text: str) -> ImageRef:
    """Split an image reference into its parts, filling in docker's defaults."""
    if not text:
        raise BadReference("an image name can't be empty")
    name, _, digest = text.partition("@")
    if digest and not _DIGEST.match(digest):
        raise BadReference(f"'{digest}' is not a digest (sha256: and 64 hex digits)")
    tag = ""
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > last_slash:  # a colon after the last slash starts the tag
        name, tag = name[:colon], name[colon + 1:]
        if not _TAG.match(tag):
            raise BadReference(f"'{tag}' is not a valid tag (letters, digits, _ . -, at most 128)")
    parts = name.split("/")
    registry, registry_implied = DOCKER_HUB, True
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        registry, registry_implied = parts[0], False
        parts = parts[1:]
    if registry in ("index.docker.io", "registry-1.docker.io"):
        registry = DOCKER_HUB
    for part in parts:
        if part != part.lower() and _COMPONENT.match(part.lower()):
            raise BadReference(f"'{part}': repository names must be lowercase")
        if not _COMPONENT.match(part):
            raise BadReference(f"'{part}' is not a valid name part "
                               "(lowercase letters, digits, and . _ - between them)")
    namespace_implied = registry == DOCKER_HUB and len(parts) == 1
    namespace = "library" if namespace_implied else "/".join(parts[:-1])
    tag_implied = not tag
    return ImageRef(registry, namespace, parts[-1], tag or "latest", digest,
                    registry_implied, namespace_implied, tag_implied)


def looks_like_image_id(text: str) -> bool:
    """``3f57d9401f8d`` or ``sha256:3f57...``: an image ID rather than a name."""
    return bool(_IMAGE_ID.match(text)) and not text.isdigit()


def image_rows(text: str, role: str) -> list[tuple[str, str]]:
    """Rows for /explain: the reference with its role, then each part on its own row."""
    if looks_like_image_id(text):
        return [(text, f"{role}: an image ID (the start of the image's sha256 digest)")]
    try:
        ref = parse_image(text)
    except BadReference as error:
        return [(text, f"{role}; but docker won't accept this name: {error}")]
    rows = [(text, f"{role}: {ref.full}" if ref.full != text else role)]
    if ref.registry == DOCKER_HUB:
        where = "Docker Hub" + (", implied: no registry given" if ref.registry_implied else "")
    elif ref.registry.split(":")[0] in ("localhost", "127.0.0.1"):
        where = "a registry on this machine"
    else:
        where = "the registry that serves this image"
    rows.append(("  registry", f"{ref.registry} ({where})"))
    if ref.namespace_implied:
        rows.append(("  namespace", "library (Docker's official images, implied)"))
    elif ref.namespace:
        owner = "the user or organisation that owns the repository"
        rows.append(("  namespace", f"{ref.namespace} ({owner})"))
    rows.append(("  repository", ref.repository))
    if ref.digest:
        note = "pins the exact image content: a tag can be moved to another image, a digest can't"
        if not ref.tag_implied:
            note += f"; the tag {ref.tag} is then ignored"
        rows.append(("  digest", f"{ref.digest} ({note})"))
    elif ref.tag_implied:
        rows.append(("  tag", "latest (implied: no tag given; 'latest' is only a name, "
                              "not necessarily the newest version)"))
    else:
        rows.append(("  tag", ref.tag))
    return rows
