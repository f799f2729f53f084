"""`volume`: a named volume exists (or not), with labels, and a file in it holds a text.

Files are read through a helper container (tutor.checks.helpers): created with the
volume mounted read-only, never started, removed right after. So the check sees what
any container mounting the volume would see, whichever container wrote it, and
whether or not a container uses the volume now.
"""

from __future__ import annotations

import io
import posixpath
import tarfile
from dataclasses import dataclass
from typing import Any

from tutor.checks.base import (
    Check,
    CheckContext,
    CheckResult,
    EngineUnavailable,
    Missing,
    excerpt,
    join_phrases,
    name_list,
    quote,
)
from tutor.checks.files import MAX_READ_BYTES, read_file
from tutor.checks.helpers import MOUNT_POINT, volume_helper
from tutor.checks.images import subset_phrases
from tutor.checks.queries import call, container_name
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import has_placeholder, render_value

LISTED_ENTRIES = 12  # names shown when a file is missing


def inspect_volume(api: Any, name: str) -> dict | None:
    try:
        return call(api.inspect_volume, name)
    except Missing:
        return None
    except EngineUnavailable as error:
        if error.status == 400:  # not a valid volume name: no such volume
            return None
        raise


def volume_names(api: Any) -> list[str]:
    listing = call(api.volumes) or {}
    return [volume["Name"] for volume in listing.get("Volumes") or []]


def users_of(api: Any, name: str) -> list[str]:
    """Names of the containers (running or not) that mount the volume."""
    return [container_name(c) for c in call(api.containers, all=True, filters={"volume": name})
            or []]


def missing_volume(api: Any, name: str) -> str:
    names = volume_names(api)
    if not names:
        return f"no volume named {quote(name)} exists (there are no volumes)"
    return f"no volume named {quote(name)} exists (volumes: {name_list(names)})"


def list_directory(api: Any, container_id: str, path: str) -> list[str]:
    """The names directly inside ``path`` of a container (the first ones, read from the
    start of the engine's archive of it)."""
    try:
        stream, _stat = call(api.get_archive, container_id, path)
    except Missing:
        return []
    buffer = io.BytesIO()
    try:
        for chunk in stream:
            buffer.write(chunk)
            if buffer.tell() > MAX_READ_BYTES:
                break  # enough for the first names
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
    buffer.seek(0)
    names: list[str] = []
    try:
        with tarfile.open(fileobj=buffer, mode="r|") as archive:
            for member in archive:
                parts = member.name.strip("/").split("/")
                if len(parts) == 2 and parts[1] not in names:  # "volume/notes.txt"
                    names.append(parts[1] + ("/" if member.isdir() else ""))
    except (tarfile.TarError, EOFError):
        pass  # cut short above: the names so far
    return names


@dataclass(frozen=True, kw_only=True)
class VolumeCheck(Check):
    kind = "volume"
    name: str
    absent: bool = False
    labels: tuple[tuple[str, str], ...] | None = None
    path: str | None = None  # inside the volume, relative to its root
    contains: str | None = None

    def check(self, ctx: CheckContext) -> CheckResult:
        name = render_value(self.name, ctx.values)
        subject = f"volume {quote(name)}"
        volume = inspect_volume(ctx.api, name)
        if self.absent:
            if volume is None:
                return CheckResult.ok()
            users = users_of(ctx.api, name)
            used = (f" (used by {'container' if len(users) == 1 else 'containers'} "
                    f"{name_list(users)}: remove {'it' if len(users) == 1 else 'them'} first)"
                    if users else "")
            return CheckResult.fail(f"{subject} still exists{used}; expected it to be removed")
        if volume is None:
            return CheckResult.fail(missing_volume(ctx.api, name))
        phrases: list[str] = []
        if self.labels is not None:
            phrases.extend(subset_phrases("label", render_value(self.labels, ctx.values),
                                          volume.get("Labels") or {}))
        if phrases:
            return CheckResult.fail(join_phrases(subject, phrases))
        if self.path is None:
            return CheckResult.ok()
        return self._check_file(ctx, name, render_value(self.path, ctx.values))

    def _check_file(self, ctx: CheckContext, name: str, path: str) -> CheckResult:
        relative = posixpath.normpath(path.lstrip("/"))
        where = f"in volume {quote(name)}"
        wanted = render_value(self.contains, ctx.values)
        with volume_helper(ctx.api, name) as helper:
            if helper is None:
                return CheckResult.fail(f"cannot look inside {quote(name)}: the engine has no "
                                        f"image to mount it with (docker pull busybox)")
            kind, data = read_file(ctx.api, helper, f"{MOUNT_POINT}/{relative}")
            if kind == "missing":
                entries = list_directory(ctx.api, helper, MOUNT_POINT + "/")
                held = (f"it holds: {name_list(entries, LISTED_ENTRIES)}" if entries
                        else "it is empty")
                return CheckResult.fail(f"{relative} is missing {where} ({held})")
        if kind == "directory":
            if wanted is None:
                return CheckResult.ok()
            return CheckResult.fail(f"{relative} {where} is a directory; expected a file "
                                    f"containing {quote(wanted)}")
        if wanted is None:
            return CheckResult.ok()
        if kind != "file" or data is None:
            return CheckResult.fail(f"{relative} {where} is not a regular file; expected one "
                                    f"containing {quote(wanted)}")
        text = data.decode("utf-8", errors="replace")
        if wanted in text:
            return CheckResult.ok()
        found = f"it holds {quote(excerpt(text))}" if text.strip() else "it is empty"
        return CheckResult.fail(f"{relative} {where} does not contain {quote(wanted)}; {found}")


def parse_volume(value: Any, pc: ParseContext) -> VolumeCheck | None:
    if isinstance(value, str):  # shorthand: volume: notes
        if not pc.check_placeholders(value, pc.where, pc.line):
            return None
        return VolumeCheck(name=value.strip())
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    name = fields.template_text("name")
    absent = fields.flag("absent")
    labels = fields.string_map("labels")
    path = fields.template_text("path", required=False)
    contains = fields.template_text("contains", required=False)
    if contains is not None and path is None:
        fields.field_problem("contains", "needs 'path': the file in the volume to read")
    if path is not None and not has_placeholder(path):
        parts = path.strip("/").split("/")
        if ".." in parts or not path.strip("/"):
            fields.field_problem("path", f"'{path}' must name a file inside the volume, "
                                         f"such as notes.txt (no ..)")
    if absent and (labels is not None or path is not None):
        fields.field_problem("absent", "an absent volume has no labels or files to compare; "
                                       "drop 'absent' or the other fields")
    fields.finish()
    if len(pc.problems) != before or name is None:
        return None
    return VolumeCheck(name=name, absent=absent, labels=labels, path=path, contains=contains)
