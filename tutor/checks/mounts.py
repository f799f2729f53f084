"""The ``mounts`` field of `container`: what is mounted where, from which volume or
folder, and whether the container may write to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

MOUNT_TYPES = ("bind", "volume", "tmpfs")


@dataclass(frozen=True)
class MountSpec:
    destination: str
    source: str | None = None
    type: str | None = None
    read_only: bool | None = None  # None: either way


def mount_words(mount: MountSpec) -> str:
    kind = {"bind": "a bind mount", "volume": "a volume", "tmpfs": "a tmpfs"}.get(
        mount.type or "", "a mount")
    source = f" from {mount.source}" if mount.source else ""
    mode = {True: " (read-only)", False: " (writable)", None: ""}[mount.read_only]
    return f"{kind}{source} at {mount.destination}{mode}"


def mount_phrases(wanted: list[MountSpec], actual: list[dict], workspace: Path) -> list[str]:
    phrases = []
    by_destination = {(m.get("Destination") or "").rstrip("/") or "/": m for m in actual}
    for mount in wanted:
        destination = mount.destination.rstrip("/") or "/"
        found = by_destination.get(destination)
        if found is None:
            where = ", ".join(sorted(by_destination)) if by_destination else "nothing"
            phrases.append(f"has mounts at {where}, none at {mount.destination}; "
                           f"expected {mount_words(mount)}"
                           if by_destination else
                           f"has no mounts; expected {mount_words(mount)}")
            continue
        kind = found.get("Type") or ""
        if mount.type and kind != mount.type:
            phrases.append(f"has a {kind} mount at {mount.destination}; "
                           f"expected {mount_words(mount)}")
            continue
        if mount.source and not _source_matches(mount.source, found, workspace):
            actual_source = found.get("Name") if kind == "volume" else found.get("Source")
            noun = "volume" if kind == "volume" else "directory"
            phrases.append(f"mounts {noun} {actual_source} at {mount.destination}; "
                           f"expected {mount.source}")
            continue
        writable = bool(found.get("RW", True))
        if mount.read_only is not None and writable == mount.read_only:
            now = "writable" if writable else "read-only"
            phrases.append(f"mounts {mount.destination} {now}; expected {mount_words(mount)}")
    return phrases


def _source_matches(source: str, found: dict, workspace: Path) -> bool:
    if found.get("Type") == "volume":
        return found.get("Name") == source
    wanted = Path(source).expanduser()
    if not wanted.is_absolute():
        wanted = workspace / wanted
    actual = found.get("Source") or ""
    return _resolved(wanted) == _resolved(Path(actual))


def _resolved(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path)


def parse_mounts(fields: Any) -> tuple[MountSpec, ...] | None:
    """The ``mounts`` list of a `container` check's CheckFields (None when not given)."""
    if not fields.has("mounts"):
        fields.raw("mounts")
        return None
    specs = []
    for item, where, line in fields.mappings("mounts"):
        mount_fields = type(fields)(item, where, fields.problems, line, fields.declared)
        if not mount_fields.ok:
            continue
        destination = mount_fields.template_text("destination")
        source = mount_fields.template_text("source", required=False)
        kind = mount_fields.one_of("type", MOUNT_TYPES, required=False)
        read_only = (mount_fields.boolean("read_only") if mount_fields.has("read_only")
                     else None)
        mount_fields.finish()
        if destination is not None:
            if not destination.startswith(("/", "{{")):
                mount_fields.field_problem("destination", "must be an absolute path in the "
                                                          "container, such as /data")
                continue
            specs.append(MountSpec(destination, source, kind, read_only))
    return tuple(specs)
