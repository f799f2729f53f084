"""`dockerfile`: build the learner's Dockerfile on the engine and judge the image it made.

The lesson says what it expects (docs/checks.md, "The dockerfile check"). Advice that
must come before a build is read from the text (``tutor.checks.dockerfile_lint``);
the rest is the built image: its config, its files (looked up in a container created
from it and never started), and, when asked, an HTTP answer from a container that
runs it (``tutor.checks.dockerfile_image``). Nothing here knows a language: the
manifest, its install, the paths, the port and the answer all come from the lesson.
"""

from __future__ import annotations

import dataclasses
import json
import posixpath
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, name_list, to_int
from tutor.checks.dockerfile_image import (
    Built,
    build,
    http_answer,
    missing_file_note,
    probe_container,
    remove_image,
)
from tutor.checks.dockerfile_lint import install_findings, read_instructions
from tutor.checks.files import MAX_READ_BYTES, stat_path, workspace_path
from tutor.checks.images import ImageCheck
from tutor.checks.network import HttpCheck, parse_http
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import has_placeholder, render_value
from tutor.schema.fields import MISSING

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


@dataclass(frozen=True)
class Install:
    manifest: tuple[str, ...]  # files of the build context that list the dependencies
    run: str  # a regular expression the RUN that installs them matches


@dataclass(frozen=True, kw_only=True)
class DockerfileCheck(Check):
    kind = "dockerfile"
    path: str
    install: Install | None = None
    workdir: str | None = None
    user: str | None = None
    config: ImageCheck | None = None  # cmd, entrypoint, exposed_ports, env, labels
    exec_form: bool = False
    runs: str | None = None
    files: tuple[str, ...] = ()
    http: HttpCheck | None = None  # its port is the container's

    def check(self, ctx: CheckContext) -> CheckResult:
        path = render_value(self.path, ctx.values)
        full = workspace_path(ctx, path)
        if not full.is_file():
            return CheckResult.fail(_missing(ctx, path, full))
        findings = []
        if self.install is not None:
            with full.open("rb") as handle:
                text = handle.read(MAX_READ_BYTES).decode("utf-8", errors="replace")
            manifest = tuple(posixpath.normpath(render_value(m, ctx.values)).lstrip("/")
                             for m in self.install.manifest)
            findings += [f"{full.name}: {finding}" for finding in install_findings(
                read_instructions(text), manifest, render_value(self.install.run, ctx.values),
                full.parent)]
        built = build(ctx.api, full.parent, full.name)
        try:
            if built.image is None:
                return CheckResult.fail(*findings, built.failure)
            findings += self._config_findings(built.image, ctx)
            findings += self._inside(ctx, built, judge_http=not findings)
        finally:
            remove_image(ctx.api, built)
        return CheckResult.fail(*findings) if findings else CheckResult.ok()

    def _config_findings(self, image: dict, ctx: CheckContext) -> list[str]:
        config = image.get("Config") or {}
        found = []
        if self.workdir is not None:
            wanted = posixpath.normpath(render_value(self.workdir, ctx.values))
            actual = config.get("WorkingDir") or ""
            if posixpath.normpath(actual or "/") != wanted:
                found.append(_workdir_finding(actual, wanted))
        if self.user is not None:
            wanted, actual = render_value(self.user, ctx.values), config.get("User") or ""
            if actual != wanted:
                found.append(f"the built image runs as USER {actual}; expected USER {wanted}"
                             if actual else
                             f"the built image runs as root (it has no USER); expected USER "
                             f"{wanted}")
        if self.config is not None:
            found += [f"the built image {phrase}"
                      for phrase in self.config.config_phrases(image, ctx)]
        if self.exec_form:
            problem = _exec_form_problem(config)
            if problem:
                found.append(problem)
        return found

    def _inside(self, ctx: CheckContext, built: Built, judge_http: bool) -> list[str]:
        """Files and the start command in a probe container; then HTTP, when all else is right."""
        http = self._rendered_http(ctx)
        if not (self.files or self.runs or http):
            return []
        assert built.image is not None
        config = built.image.get("Config") or {}
        workdir = config.get("WorkingDir") or "/"
        found = []
        with probe_container(ctx.api, built, [int(str(http.port))] if http else [],
                             ctx.http_host) as probe:
            if probe.id is None:
                return [probe.problem]
            container = probe.id

            def present(path: str) -> bool:
                return stat_path(ctx.api, container, path) is not None

            wanted = [render_value(p, ctx.values) for p in self.files]
            missing = [f"{p}{missing_file_note(ctx.api, container, p, workdir)}"
                       for p in wanted if not present(p)]
            if missing:
                listed = " and ".join(filter(None, (", ".join(missing[:-1]), missing[-1])))
                found.append(f"{listed} {'is' if len(missing) == 1 else 'are'} not in the "
                             f"built image")
            if self.runs:
                problem = _runs_problem(config, render_value(self.runs, ctx.values), present)
                if problem:
                    found.append(problem)
            if http and judge_http and not found:
                problem = http_answer(ctx, container, http)
                if problem:
                    found.append(problem)
        return found

    def _rendered_http(self, ctx: CheckContext) -> HttpCheck | None:
        if self.http is None:
            return None
        path = render_value(self.http.path, ctx.values) or "/"
        return HttpCheck(port=to_int(render_value(self.http.port, ctx.values), "http.port"),
                         path=path if path.startswith("/") else "/" + path,
                         status=to_int(render_value(self.http.status, ctx.values), "http.status"),
                         contains=render_value(self.http.contains, ctx.values))


def _workdir_finding(actual: str, wanted: str) -> str:
    if posixpath.normpath(actual or "/") != "/":
        return f"the built image's working directory is {actual}; expected WORKDIR {wanted}"
    what = "has no WORKDIR, so its working directory is" if not actual else "works in"
    return (f"the built image {what} /: files copied to a relative destination (COPY . .) "
            f"land in / among the system's folders (/etc, /usr, ...), and its commands run "
            f"there; add WORKDIR {wanted} before copying them")


def _shell_script(words: list[str]) -> str | None:
    """The script, when the words start a shell that stays the main process (PID 1)."""
    if len(words) < 3 or posixpath.basename(words[0]) not in SHELLS or words[1] != "-c":
        return None
    last = re.split(r"&&|;|\|\|", words[2])[-1].strip()
    # `exec app` as the last command: the shell replaces itself with the app.
    return None if re.match(r"exec\s+\S", last) and "|" not in last else words[2]


def _exec_form_problem(config: dict) -> str | None:
    entrypoint = list(config.get("Entrypoint") or [])
    cmd = list(config.get("Cmd") or [])
    if entrypoint and _shell_script(entrypoint) is not None:
        return _shell_message("ENTRYPOINT", entrypoint)
    if entrypoint and _shell_script(cmd) is not None:
        return (f"CMD is in shell form ({json.dumps(cmd)}), so the ENTRYPOINT "
                f"{json.dumps(entrypoint)} gets those words as its arguments; write CMD as a "
                f"JSON list too")
    if not entrypoint and _shell_script(cmd) is not None:
        return _shell_message("CMD", cmd)
    return None


def _shell_message(keyword: str, words: list[str]) -> str:
    script = words[2].strip()
    if script.startswith("["):
        why = "JSON needs double quotes" if "'" in script else "it is not a JSON list"
        argv = re.findall(r"""["']([^"']*)["']""", script)
        return (f"{keyword} {script} looks like the exec form but is not valid JSON ({why}), "
                f"so Docker ran it in shell form, as {json.dumps(words)}, which fails; write "
                f"{keyword} {json.dumps(argv)}")
    try:
        argv = shlex.split(script)
    except ValueError:
        argv = script.split()
    form = ("is in shell form" if words[:2] == ["/bin/sh", "-c"]
            else f"starts a shell ({words[0]} -c)")
    return (f"{keyword} {form}: the image starts {json.dumps(words)}, so the shell is the "
            f"container's main process (PID 1), not the app, and it does not pass the SIGTERM "
            f"of docker stop on: docker stop waits 10 seconds, then kills it. Use the exec form, "
            f"a JSON list, so the app itself is PID 1: {keyword} {json.dumps(argv)}")


def _runs_problem(config: dict, runs: str, present: Callable[[str], bool]) -> str | None:
    workdir = config.get("WorkingDir") or "/"
    target = posixpath.normpath(posixpath.join(workdir, runs))
    argv = list(config.get("Entrypoint") or []) + list(config.get("Cmd") or [])
    if not argv:
        return f"the built image has no start command (no CMD or ENTRYPOINT); expected one " \
               f"that runs {runs}"
    words = list(argv)
    if len(argv) >= 3 and argv[1] == "-c":
        try:
            words += shlex.split(argv[2])
        except ValueError:
            words += argv[2].split()
    starts = f"the built image starts {json.dumps(argv)} in {workdir}"
    if not any(posixpath.normpath(posixpath.join(workdir, word)) == target
               for word in words if word and not word.startswith("-")):
        return f"{starts}, which does not run {target}"
    if not present(target):
        return f"{starts}, but {target} is not in the image"
    return None


def _missing(ctx: CheckContext, path: str, full: Path) -> str:
    folder = full.parent
    if full.is_dir():
        return f"{path} is a directory; expected a Dockerfile (a file) there"
    if not folder.is_dir():
        note = f"; there is no folder {folder}"
    else:
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        near = [n for n in names if n.lower() == full.name.lower()]
        note = (f"; there is {folder / near[0]}: the name is {full.name}, exactly" if near
                else f"; {folder} holds: {name_list(names)}" if names else f"; {folder} is empty")
    return f"Dockerfile not found at {path} (the workspace is {ctx.workspace}){note}"


# -- reading the check from lesson YAML -------------------------------------------------------


def parse_dockerfile(value: Any, pc: ParseContext) -> DockerfileCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    path = fields.template_text("path")
    install = _nested(fields, pc, "install", _parse_install)
    workdir = fields.template_text("workdir", required=False)
    _absolute(fields, "workdir", [workdir] if workdir else [])
    user = fields.template_text("user", required=False)
    config = ImageCheck(
        ref="(built)",
        cmd=fields.word_list("cmd", required=False, example='["python", "app.py"]'),
        entrypoint=fields.word_list("entrypoint", required=False, example='["python"]'),
        exposed_ports=fields.text_items("exposed_ports", required=False),
        env=fields.string_map("env"), labels=fields.string_map("labels"))
    exec_form = fields.flag("exec_form")
    runs = fields.template_text("runs", required=False)
    files = fields.text_items("files", required=False) or ()
    _absolute(fields, "files", files)
    http = _nested(fields, pc, "http", parse_http)
    fields.finish()
    if len(pc.problems) != before or path is None:
        return None
    configured = any(getattr(config, name) is not None
                     for name in ("cmd", "entrypoint", "exposed_ports", "env", "labels"))
    return DockerfileCheck(path=path, install=install, workdir=workdir, user=user,
                           config=config if configured else None, exec_form=exec_form,
                           runs=runs, files=files, http=http)


def _nested(fields: Any, pc: ParseContext, name: str,
            parse: Callable[[Any, ParseContext], Any]) -> Any:
    value = fields.raw(name)
    if value is MISSING:
        return None
    return parse(value, dataclasses.replace(pc, where=pc.where.at_field(name),
                                            line=fields.line_of(name) or pc.line))


def _parse_install(value: Any, pc: ParseContext) -> Install | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    manifest = fields.text_items("manifest")
    run = fields.template_text("run")
    for item in manifest or ():
        if item.strip().startswith("/"):
            fields.field_problem("manifest", f"'{item}' must be a file of the build context, "
                                             f"relative to the Dockerfile's folder")
    if run is not None and not has_placeholder(run):
        try:
            re.compile(run)
        except re.error as error:
            fields.field_problem("run", f"is not a regular expression: {error}")
    fields.finish()
    return Install(manifest, run) if manifest and run else None


def _absolute(fields: Any, name: str, paths: Any) -> None:
    for path in paths:
        if not path.startswith("/") and not has_placeholder(path):
            fields.field_problem(name, f"'{path}' must be an absolute path in the image, such "
                                       f"as /{path}")
