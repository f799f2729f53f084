"""Files: `file` (in a container), `exec`, `archive` and `workspace_file`."""

from __future__ import annotations

import io
import json
import posixpath
import shlex
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tutor.checks.base import (
    Check,
    CheckContext,
    CheckResult,
    EngineUnavailable,
    Missing,
    excerpt,
    name_list,
    quote,
    to_int,
)
from tutor.checks.containers import describe_state
from tutor.checks.helpers import run_check_exec
from tutor.checks.queries import call, find_container, translate
from tutor.checks.reading import ParseContext
from tutor.checks.refs import familiar, normalize, parse_ref
from tutor.course.placeholders import has_placeholder, render_value

MAX_READ_BYTES = 1 << 20  # contents compared by `contains` (a learner's file, not a dataset)
GO_MODE_DIR = 1 << 31  # os.ModeDir in the stat header of the archive endpoint
GO_MODE_SYMLINK = 1 << 27


# -- file in a container -----------------------------------------------------------------


def stat_path(api: Any, container_id: str, path: str) -> dict | None:
    """The engine's stat of ``path`` in a container (running or stopped), or None if missing.

    With the real client this is a HEAD request (nothing is transferred);
    other clients (test fakes) answer through ``get_archive``.
    """
    import docker  # loaded already: checks are evaluated through the SDK's client

    if isinstance(api, docker.APIClient):
        response = call(api.head, api._url("/containers/{0}/archive", container_id),
                        params={"path": path})
        if response.status_code == 404:
            return None
        call(api._raise_for_status, response)
        header = response.headers.get("X-Docker-Container-Path-Stat")
        return docker.utils.decode_json_header(header) if header else {}
    try:
        stream, stat = call(api.get_archive, container_id, path)
    except Missing:
        return None
    close = getattr(stream, "close", None)
    if close:
        close()
    return stat or {}


def read_file(api: Any, container_id: str, path: str, depth: int = 0) -> tuple[str, bytes | None]:
    """("file", bytes) / ("directory", None) / ("missing", None) / ("other", None)."""
    try:
        stream, _stat = call(api.get_archive, container_id, path)
    except Missing:
        return "missing", None
    buffer = io.BytesIO()
    try:
        for chunk in stream:
            buffer.write(chunk)
            if buffer.tell() > MAX_READ_BYTES + 64 * 1024:
                break  # enough for the first member; the rest is not compared
    except Exception as error:
        translated = translate(error)
        if isinstance(translated, Missing):
            return "missing", None
        if translated is error:
            raise
        raise translated from error
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
    buffer.seek(0)
    try:
        with tarfile.open(fileobj=buffer, mode="r|") as archive:
            for member in archive:
                if member.isdir():
                    return "directory", None
                if member.issym() and depth < 5:
                    target = posixpath.join(posixpath.dirname(path), member.linkname)
                    return read_file(api, container_id, posixpath.normpath(target), depth + 1)
                if member.isfile():
                    handle = archive.extractfile(member)
                    return "file", handle.read(MAX_READ_BYTES) if handle else b""
                return "other", None
    except (tarfile.TarError, EOFError):
        return "other", None
    return "missing", None


@dataclass(frozen=True, kw_only=True)
class FileCheck(Check):
    kind = "file"
    container: str
    path: str
    contains: str | None = None
    directory: bool = False

    def check(self, ctx: CheckContext) -> CheckResult:
        name = render_value(self.container, ctx.values)
        path = render_value(self.path, ctx.values)
        details, why = find_container(ctx.api, name, ctx.learner_label)
        if details is None:
            return CheckResult.fail(why)
        cid = details["Id"]
        where = f"in container {quote(name)}"
        stat = stat_path(ctx.api, cid, path)
        if stat is None:
            return CheckResult.fail(f"{path} is missing {where}{parent_note(ctx.api, cid, path)}")
        is_dir = bool(int(stat.get("mode") or 0) & GO_MODE_DIR)
        if self.directory:
            if not is_dir:
                return CheckResult.fail(f"{path} {where} is a file; expected a directory")
            return CheckResult.ok()
        if self.contains is None:
            return CheckResult.ok()
        wanted = render_value(self.contains, ctx.values)
        if is_dir:
            return CheckResult.fail(f"{path} {where} is a directory; expected a file "
                                    f"containing {quote(wanted)}")
        kind, data = read_file(ctx.api, cid, path)
        if kind == "missing":
            return CheckResult.fail(f"{path} is missing {where}")
        if kind != "file" or data is None:
            return CheckResult.fail(f"{path} {where} is not a regular file; expected one "
                                    f"containing {quote(wanted)}")
        text = data.decode("utf-8", errors="replace")
        if wanted in text:
            return CheckResult.ok()
        found = f"it holds {quote(excerpt(text))}" if text.strip() else "it is empty"
        return CheckResult.fail(f"{path} {where} does not contain {quote(wanted)}; {found}")


def parent_note(api: Any, container_id: str, path: str) -> str:
    parent = posixpath.dirname(path.rstrip("/")) or "/"
    if parent == path or parent == "/":
        return ""
    if stat_path(api, container_id, parent) is None:
        return f" ({parent} does not exist either)"
    return f" ({parent} exists)"


def parse_file(value: Any, pc: ParseContext) -> FileCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    container = fields.template_text("container")
    path = fields.template_text("path")
    contains = fields.template_text("contains", required=False)
    directory = fields.flag("directory")
    if directory and contains is not None:
        fields.field_problem("contains", "a directory has no contents to compare; "
                                         "drop 'contains' or 'directory'")
    _require_absolute(fields, "path", path)
    fields.finish()
    if len(pc.problems) != before or container is None or path is None:
        return None
    return FileCheck(container=container, path=path, contains=contains, directory=directory)


def _require_absolute(fields: Any, name: str, path: str | None) -> None:
    if path is not None and not path.startswith("/") and not path.startswith("{{"):
        fields.field_problem(name, f"'{path}' must be an absolute path in the container, "
                                   f"such as /{path}")


# -- exec ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ExecCheck(Check):
    kind = "exec"
    container: str
    command: tuple[str, ...]
    output_contains: str | None = None
    exit_code: int | str = 0

    def check(self, ctx: CheckContext) -> CheckResult:
        name = render_value(self.container, ctx.values)
        argv = list(render_value(self.command, ctx.values))
        expected_code = to_int(render_value(self.exit_code, ctx.values), "exit_code")
        details, why = find_container(ctx.api, name, ctx.learner_label)
        if details is None:
            return CheckResult.fail(why)
        state = details.get("State") or {}
        shown = f"`{shlex.join(argv)}`"
        if not state.get("Running") or state.get("Paused"):
            return CheckResult.fail(
                f"container {quote(name)} is {describe_state(state)}; "
                f"{shown} can only run in a running container")
        try:
            output, result = run_check_exec(ctx.api, details["Id"], argv)
        except Missing:
            return CheckResult.fail(f"container {quote(name)} went away while running {shown}")
        except EngineUnavailable as error:  # a 409 means it stopped meanwhile
            if error.status == 409:
                return CheckResult.fail(f"container {quote(name)} is not running; "
                                        f"{shown} can only run in a running container")
            raise
        code = result.get("ExitCode")
        where = f"in container {quote(name)}, {shown}"
        if code != expected_code:
            said = f" (output: {quote(excerpt(output))})" if output.strip() else ""
            return CheckResult.fail(f"{where} exited with code {code}; "
                                    f"expected {expected_code}{said}")
        if self.output_contains is not None:
            wanted = render_value(self.output_contains, ctx.values)
            if wanted not in output:
                found = f"printed {quote(excerpt(output))}" if output.strip() else "printed nothing"
                return CheckResult.fail(f"{where} {found}; expected output containing "
                                        f"{quote(wanted)}")
        return CheckResult.ok()


def parse_exec(value: Any, pc: ParseContext) -> ExecCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    container = fields.template_text("container")
    command = fields.word_list("command", allow_text=True, example="[cat, /etc/hostname]")
    output_contains = fields.template_text("output_contains", required=False)
    exit_code = fields.template_int("exit_code", required=False, default=0, minimum=0,
                                    maximum=255)
    fields.finish()
    if len(pc.problems) != before or container is None or command is None:
        return None
    return ExecCheck(container=container, command=command, output_contains=output_contains,
                     exit_code=exit_code if exit_code is not None else 0)


# -- files in the workspace ------------------------------------------------------------------


def workspace_path(ctx: CheckContext, path: str) -> Path:
    candidate = Path(path).expanduser()
    return candidate if candidate.is_absolute() else ctx.workspace / candidate


def _missing_in_workspace(ctx: CheckContext, path: str, full: Path) -> str:
    folder = full.parent
    note = ""
    if folder.is_dir():
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        note = f"; {folder} holds: {name_list(names)}" if names else f"; {folder} is empty"
    return f"{path} does not exist in the workspace ({ctx.workspace}){note}"


@dataclass(frozen=True, kw_only=True)
class WorkspaceFileCheck(Check):
    kind = "workspace_file"
    path: str
    contains: str | None = None

    def check(self, ctx: CheckContext) -> CheckResult:
        path = render_value(self.path, ctx.values)
        full = workspace_path(ctx, path)
        if not full.exists():
            return CheckResult.fail(_missing_in_workspace(ctx, path, full))
        if full.is_dir():
            return CheckResult.fail(f"{path} is a directory; expected a file")
        if self.contains is None:
            return CheckResult.ok()
        wanted = render_value(self.contains, ctx.values)
        try:
            with full.open("rb") as handle:
                text = handle.read(MAX_READ_BYTES).decode("utf-8", errors="replace")
        except OSError as error:
            return CheckResult.fail(f"{path} cannot be read: {error.strerror or error}")
        if wanted in text:
            return CheckResult.ok()
        found = f"it holds {quote(excerpt(text))}" if text.strip() else "it is empty"
        return CheckResult.fail(f"{path} does not contain {quote(wanted)}; {found}")


def parse_workspace_file(value: Any, pc: ParseContext) -> WorkspaceFileCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    path = fields.template_text("path")
    contains = fields.template_text("contains", required=False)
    fields.finish()
    if len(pc.problems) != before or path is None:
        return None
    return WorkspaceFileCheck(path=path, contains=contains)


# -- docker save archives --------------------------------------------------------------------


def _member_file(archive: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    handle = archive.extractfile(member)
    if handle is None:
        raise ValueError(f"{member.name} is not a regular file")
    return handle


def archive_tags(full: Path) -> tuple[list[str] | None, str]:
    """The image references a ``docker save`` (or OCI layout) tar holds, or (None, why not)."""
    try:
        archive = tarfile.open(full, mode="r:*")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, EOFError):
        return None, "is not a tar archive"
    except OSError as error:
        return None, f"cannot be read: {error.strerror or error}"
    with archive:
        members = {}
        try:
            for member in archive:
                name = member.name.removeprefix("./")
                if name in ("manifest.json", "index.json") and member.isfile():
                    members[name] = member
        except (tarfile.TarError, EOFError, OSError):
            return None, "is a damaged tar archive (it ends early)"
        try:
            if "manifest.json" in members:
                manifest = json.load(_member_file(archive, members["manifest.json"]))
                return [tag for entry in manifest or [] for tag in entry.get("RepoTags") or []], ""
            if "index.json" in members:
                index = json.load(_member_file(archive, members["index.json"]))
                return _oci_names(index), ""
        except (ValueError, AttributeError, TypeError, tarfile.TarError, OSError):
            return None, "has a manifest that cannot be read"
    return None, "is a tar archive but not one made by docker save (it has no manifest.json)"


def _oci_names(index: dict) -> list[str]:
    names = []
    for manifest in index.get("manifests") or []:
        annotations = manifest.get("annotations") or {}
        full = annotations.get("io.containerd.image.name")
        ref_name = annotations.get("org.opencontainers.image.ref.name")
        if full:
            names.append(full)
        elif ref_name and (":" in ref_name or "/" in ref_name):
            names.append(ref_name)  # a full reference; a bare tag names no repository
    return names


@dataclass(frozen=True, kw_only=True)
class ArchiveCheck(Check):
    kind = "archive"
    path: str
    image: str

    def image_refs(self) -> set[str]:
        return set() if has_placeholder(self.image) else {self.image}

    def check(self, ctx: CheckContext) -> CheckResult:
        path = render_value(self.path, ctx.values)
        image = render_value(self.image, ctx.values)
        full = workspace_path(ctx, path)
        if not full.exists():
            return CheckResult.fail(_missing_in_workspace(ctx, path, full))
        if full.is_dir():
            return CheckResult.fail(f"{path} is a directory; expected a docker save archive "
                                    f"holding {image}")
        tags, why = archive_tags(full)
        if tags is None:
            return CheckResult.fail(f"{path} {why}; expected a docker save archive holding {image}")
        wanted = normalize(image)
        if any(normalize(tag) == wanted for tag in tags):
            return CheckResult.ok()
        if not tags:
            return CheckResult.fail(f"{path} holds an image without a tag (saved by ID); "
                                    f"expected {familiar(wanted)}")
        held = ", ".join(familiar(normalize(tag)) for tag in tags)
        same_repo = [t for t in tags if parse_ref(t).repository == parse_ref(image).repository]
        note = " (same repository, different tag)" if same_repo else ""
        return CheckResult.fail(f"{path} holds {held}; expected {familiar(wanted)}{note}")


def parse_archive(value: Any, pc: ParseContext) -> ArchiveCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    path = fields.template_text("path")
    image = fields.image_ref("image")
    fields.finish()
    if len(pc.problems) != before or path is None or image is None:
        return None
    return ArchiveCheck(path=path, image=image)
