"""`process`: whom a running container's main process runs as.

The image's ``USER`` (or ``docker run --user``) is only a setting; what counts is the
process. The engine's ``top`` lists the container's processes with their numeric user
IDs (``ps -o pid,uid,args`` on the engine's host, where a container's processes are
ordinary processes); the main one is the process whose host PID is ``State.Pid``. A user
name is looked up in the container's own ``/etc/passwd``: names are the image's
business, and the host may call the same number something else. Where the engine's list
has no user IDs (Podman), or cannot be had (a rootless dockerd without cgroups), the user
the engine started the process as is taken instead.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from tutor.checks.base import (
    Check,
    CheckContext,
    CheckResult,
    EngineUnavailable,
    Missing,
    excerpt,
    quote,
)
from tutor.checks.containers import describe_state
from tutor.checks.files import read_file
from tutor.checks.queries import call, find_container, inspect_container
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import render_value

PS_ARGS = "-o pid,uid,args"


@dataclass(frozen=True)
class MainProcess:
    uid: int
    command: str


@dataclass(frozen=True, kw_only=True)
class ProcessCheck(Check):
    kind = "process"
    container: str
    user: str | None = None  # a name from the container's /etc/passwd, or a number
    non_root: bool = False

    def check(self, ctx: CheckContext) -> CheckResult:
        name = render_value(self.container, ctx.values)
        details, why = find_container(ctx.api, name, ctx.learner_label)
        if details is None:
            return CheckResult.fail(why)
        subject = f"container {quote(name)}"
        state = details.get("State") or {}
        if not state.get("Running"):
            return CheckResult.fail(f"{subject} is {describe_state(state)}; its main process "
                                    f"can only be looked at while it runs")
        main = main_process(ctx.api, details)
        if main is None:
            # It ended between the two questions: say how, as for a stopped one.
            now = inspect_container(ctx.api, details["Id"]) or {}
            state = now.get("State") or {"Status": "removed"}
            if not state.get("Running"):
                return CheckResult.fail(f"{subject} stopped while its processes were looked at: "
                                        f"it is {describe_state(state)}")
            return CheckResult.fail(f"{subject} is running, but its main process is not among "
                                    f"the processes the engine lists")
        users = passwd_names(ctx.api, details["Id"])
        runs_as = _user_words(main.uid, users)
        does = f"{subject} runs its main process ({excerpt(main.command, 60)}) as {runs_as}"
        if self.non_root and main.uid == 0:
            return CheckResult.fail(f"{does}; expected a user other than root")
        if self.user is not None:
            wanted = render_value(self.user, ctx.values).strip()
            wanted_uid = int(wanted) if wanted.isdigit() else users.get(wanted)
            if wanted_uid is None:
                known = ", ".join(sorted(users)) or "none"
                return CheckResult.fail(f"{does}; expected user {wanted}, which the container's "
                                        f"/etc/passwd does not list (its users: {known})")
            if wanted_uid != main.uid:
                return CheckResult.fail(f"{does}; expected {_user_words(wanted_uid, users)}")
        return CheckResult.ok()


def main_process(api: Any, details: dict) -> MainProcess | None:
    """The container's main process (PID 1 inside it), from the engine's process list."""
    pid = str((details.get("State") or {}).get("Pid") or "")
    try:
        listing = call(api.top, details["Id"], ps_args=PS_ARGS) or {}
    except Missing:
        return None  # removed meanwhile
    except EngineUnavailable as error:
        if error.status == 409:  # "is not running": it stopped meanwhile
            return None
        # Podman 4 answers ps options it does not take with an empty body (no JSON); a
        # rootless dockerd without cgroups cannot list a container's processes (500).
        if error.status == 500 or isinstance(error.__cause__, ValueError):
            return started_as(api, details)
        raise
    titles = [str(title).upper() for title in listing.get("Titles") or []]
    try:
        pid_at, uid_at = titles.index("PID"), titles.index("UID")
    except ValueError:
        return started_as(api, details)
    command_at = len(titles) - 1
    for row in listing.get("Processes") or []:
        if len(row) == len(titles) and str(row[pid_at]) == pid:
            uid = str(row[uid_at]).strip()
            if not uid.isdigit():
                return None
            return MainProcess(int(uid), str(row[command_at]))
    return None


def started_as(api: Any, details: dict) -> MainProcess | None:
    """The main process as the engine started it, for engines whose process list gives no
    user IDs: ``Config.User`` (``USER``, ``--user``), a name looked up in /etc/passwd. A
    program that switches users itself is not seen this way."""
    user = str((details.get("Config") or {}).get("User") or "").partition(":")[0]
    if not user:
        uid: int | None = 0
    elif user.isdigit():
        uid = int(user)
    else:
        uid = passwd_names(api, details["Id"]).get(user)
    if uid is None:
        return None
    argv = [str(details.get("Path") or ""), *map(str, details.get("Args") or [])]
    return MainProcess(uid, shlex.join(word for word in argv if word))


def passwd_names(api: Any, container_id: str) -> dict[str, int]:
    """User name -> uid, from the container's /etc/passwd (empty when it has none)."""
    kind, data = read_file(api, container_id, "/etc/passwd")
    if kind != "file" or data is None:
        return {}
    names: dict[str, int] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        fields = line.split(":")
        if len(fields) >= 3 and fields[2].isdigit() and fields[0] not in names:
            names[fields[0]] = int(fields[2])
    return names


def _user_words(uid: int, users: dict[str, int]) -> str:
    named = sorted(name for name, number in users.items() if number == uid)
    if uid == 0:
        return "root (uid 0)"
    return f"{named[0]} (uid {uid})" if named else f"uid {uid} (a number without a name " \
                                                   f"in the container's /etc/passwd)"


def parse_process(value: Any, pc: ParseContext) -> ProcessCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    container = fields.template_text("container")
    user = fields.scalar_text("user", required=False)
    non_root = fields.flag("non_root")
    if user is None and not non_root and not fields.has("user"):
        fields.problem("needs user (a name or number) or non_root: true: what the main "
                       "process must run as")
    if user is not None and user.strip() in ("root", "0") and non_root:
        fields.field_problem("user", "root contradicts non_root: true")
    fields.finish()
    if len(pc.problems) != before or container is None:
        return None
    return ProcessCheck(container=container, user=user, non_root=non_root)
