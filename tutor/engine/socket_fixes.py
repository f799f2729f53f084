"""Builders for problems whose fix depends on what is at the socket path.

"Permission denied" has different cures: a learner outside the socket's group
joins the group; a socket whose mode shuts the group out (000, 600) has the wrong
permissions, and joining a group would not help; a socket in another user's
runtime directory belongs to that user's engine. Something that is not a socket
at all (a regular file, a directory) means the path is wrong.
"""

from __future__ import annotations

from pathlib import Path

from tutor.engine.fixes import ROOTLESS_SETUP, Situation, indented, restart_commands
from tutor.engine.problem import EngineProblem, ProblemKind
from tutor.engine.socketfile import SocketFile, closed_directory, group_id

SYSTEM_GROUP = "docker"
SYSTEM_MODE = "root:docker, mode 660 (srw-rw----)"


def _facts(sock: SocketFile) -> str:
    return (f"{sock.path} is a socket with mode {sock.mode_text}, owner {sock.owner}, "
            f"group {sock.group}")


# -- not a socket -----------------------------------------------------------------------------


def not_a_socket(s: Situation) -> EngineProblem:
    sock = s.socket
    assert sock is not None and sock.kind is not None
    path = sock.path
    unit = "byte" if sock.size == 1 else "bytes"
    size = f" of {sock.size} {unit}" if sock.kind == "regular file" else ""
    detail = (f"Tried {s.tried}: a Docker engine listens on a unix socket, and {path} is "
              f"a {sock.kind}{size}, so nothing can answer there.")
    if sock.kind == "directory":
        detail += (" (A bind mount such as -v /var/run/docker.sock:/var/run/docker.sock, "
                   "made while that socket did not exist, leaves an empty directory like "
                   "this one.)")
    if s.endpoint.is_default:
        lines = [f"Move it out of the way: sudo mv {path} {path}.old",
                 "then restart the engine so it creates its socket again:"]
        lines += indented(restart_commands(s.starts))
    else:
        lines = [f"{s.endpoint.source} probably points at the wrong path: point it at the "
                 "engine's socket (the system engine's is unix:///var/run/docker.sock), "
                 f"or use the default engine: {s.reset}"]
        if s.endpoint.context:
            lines.append(f"See where the context points: docker context inspect "
                         f"{s.endpoint.context}")
        lines += s.suggestions()
    return EngineProblem(ProblemKind.NOT_A_SOCKET, f"{path} is a {sock.kind}, not a socket",
                         detail, "\n".join(lines))


# -- permission denied ------------------------------------------------------------------------


def permission_denied(s: Situation) -> EngineProblem:
    """Choose the explanation by what the socket's mode, owner and group say."""
    sock = s.socket
    if sock is None or not sock.is_socket:
        return _closed_directory(s) or _usual_suspects(s)
    who = s.who
    if sock.lets_in(who):
        return _refused_despite_mode(s, sock)
    relation = sock.relation(who)
    if sock.uid != 0 and relation != "owner":
        return _another_users_engine(s, sock)
    if relation == "others" and sock.group_may_connect:
        return _join_the_group(s, sock) if sock.gid != 0 else _group_is_root(s, sock)
    return _wrong_mode(s, sock, relation)


def _summary(s: Situation) -> str:
    return f"Permission denied on {s.where}"


def _join_the_group(s: Situation, sock: SocketFile) -> EngineProblem:
    group = sock.group
    power = (" (membership is as powerful as root)" if group == SYSTEM_GROUP else "")
    detail = (f"Tried {s.tried}: {_facts(sock)}: only {sock.owner} and members of the "
              f"'{group}' group may connect, and this session is not in that group{power}.")
    lines = [f"Add yourself to the '{group}' group: sudo usermod -aG {group} $USER",
             "then log out and back in (or run: newgrp "
             f"{group}) so the group applies.", ROOTLESS_SETUP]
    return EngineProblem(ProblemKind.PERMISSION_DENIED, _summary(s), detail, "\n".join(lines))


def _group_is_root(s: Situation, sock: SocketFile) -> EngineProblem:
    """Group root: never advise joining it; the engine should hand the socket to docker."""
    detail = (f"Tried {s.tried}: {_facts(sock)}: only root may use it. The engine gives its "
              f"socket to the '{SYSTEM_GROUP}' group when that group exists; here it did not "
              f"(joining the root group instead would be a bad idea).")
    lines = []
    if group_id(SYSTEM_GROUP) is None:
        lines.append(f"Create the group: sudo groupadd {SYSTEM_GROUP}")
    lines.append("Restart the engine so its socket gets the group:")
    lines += indented(restart_commands(s.starts))
    lines.append(f"Then join the group: sudo usermod -aG {SYSTEM_GROUP} $USER (and log in "
                 "again).")
    return EngineProblem(ProblemKind.PERMISSION_DENIED, _summary(s), detail, "\n".join(lines))


def _wrong_mode(s: Situation, sock: SocketFile, relation: str) -> EngineProblem:
    """The mode shuts out the group (000, 600...): joining a group would not help."""
    path = sock.path
    if relation == "owner":
        detail = (f"Tried {s.tried}: {_facts(sock)}: the socket is yours, but its mode "
                  "does not even let its owner connect.")
        lines = [f"Give yourself access: chmod u+rw {path}",
                 "or restart your engine, which creates the socket afresh:"]
        lines += indented(restart_commands(s.starts))
        return EngineProblem(ProblemKind.PERMISSION_DENIED, _summary(s), detail,
                             "\n".join(lines))
    member = (f"you are in the '{sock.group}' group, but" if relation == "group"
              else "")
    joined = (f"{member} the mode gives the group no access" if member
              else "joining its group would not help: the mode gives the group no access")
    detail = (f"Tried {s.tried}: {_facts(sock)}. That mode lets only root connect; "
              f"{joined}. The socket's permissions are wrong: a Docker engine's socket is "
              f"normally {SYSTEM_MODE}, so members of the docker group can use it.")
    lines = ["Restart the engine, which creates the socket afresh with the right "
             "permissions:"]
    lines += indented(restart_commands(s.starts))
    lines.append(f"or fix it in place: sudo chown root:{SYSTEM_GROUP} {path} && "
                 f"sudo chmod 660 {path}")
    system_gid = group_id(SYSTEM_GROUP)
    if system_gid is None:
        lines.append(f"(the '{SYSTEM_GROUP}' group does not exist yet: sudo groupadd "
                     f"{SYSTEM_GROUP}, then restart the engine)")
    if system_gid not in s.who.gids:
        lines.append(f"Then join the group to use it without sudo: sudo usermod -aG "
                     f"{SYSTEM_GROUP} $USER (and log in again).")
    return EngineProblem(ProblemKind.PERMISSION_DENIED, _summary(s), detail, "\n".join(lines))


def _another_users_engine(s: Situation, sock: SocketFile) -> EngineProblem:
    """A socket owned by another (non-root) user: that user's own engine."""
    detail = (f"Tried {s.tried}: {_facts(sock)}: it belongs to {sock.owner}'s own engine "
              "(rootless Docker, Podman and Docker Desktop run one per user), which other "
              "users are not meant to share.")
    lines = [f"Use your own engine instead: {s.reset}", ROOTLESS_SETUP, *s.suggestions()]
    return EngineProblem(ProblemKind.PERMISSION_DENIED, _summary(s), detail, "\n".join(lines))


def _refused_despite_mode(s: Situation, sock: SocketFile) -> EngineProblem:
    detail = (f"Tried {s.tried}: {_facts(sock)}, which lets you connect, yet the system "
              "refused: an access control list or a security module (SELinux, AppArmor) "
              "blocks it.")
    lines = [f"Look at its ACL and security label: getfacl {sock.path}; ls -lZ {sock.path}",
             "(A snap-installed Docker confines its socket: use the snap's docker command, "
             "or install docker.io or docker-ce instead.)"]
    return EngineProblem(ProblemKind.PERMISSION_DENIED, _summary(s), detail, "\n".join(lines))


def _closed_directory(s: Situation) -> EngineProblem | None:
    path = s.endpoint.socket_path
    closed = closed_directory(path, s.who) if path is not None else None
    if closed is None:
        return None
    owner = _runtime_dir_owner(closed)
    if owner is not None:  # /run/user/UID: a rootless engine's socket lives there
        detail = (f"Tried {s.tried}: the directory {closed} is {owner}'s runtime directory, "
                  f"closed to you: the socket inside is {owner}'s own engine (a rootless "
                  "engine runs as the user who started it, for that user alone).")
        lines = [f"Use your own engine instead: {s.reset}", ROOTLESS_SETUP]
        return EngineProblem(ProblemKind.PERMISSION_DENIED, _summary(s), detail,
                             "\n".join(lines))
    detail = (f"Tried {s.tried}: the directory {closed} is closed to you, so the socket "
              "inside cannot be reached (nor even looked at).")
    lines = [f"See who may enter it: ls -ld {closed}",
             "If it is another user's runtime directory, that is their engine: use your "
             f"own instead: {s.reset}", ROOTLESS_SETUP]
    return EngineProblem(ProblemKind.PERMISSION_DENIED, _summary(s), detail, "\n".join(lines))


def _runtime_dir_owner(directory: Path) -> str | None:
    """The user whose runtime directory (``/run/user/UID``) this is, by name if known."""
    if directory.parent != Path("/run/user") or not directory.name.isdigit():
        return None
    try:
        import pwd

        return pwd.getpwuid(int(directory.name)).pw_name
    except (ImportError, KeyError):
        return f"user {directory.name}"


def _usual_suspects(s: Situation) -> EngineProblem:
    """No socket facts to go on (not a unix socket, or it changed meanwhile)."""
    lines = [f"You may not use {s.where} ({s.endpoint.source}). Add yourself to the "
             "docker group: sudo usermod -aG docker $USER",
             "then log out and back in (or run: newgrp docker) so the group applies.",
             ROOTLESS_SETUP]
    return EngineProblem(
        ProblemKind.PERMISSION_DENIED, _summary(s),
        f"Tried {s.tried}: your user may not open the engine's socket (it usually "
        "belongs to root and the 'docker' group; membership is as powerful as root).",
        "\n".join(lines))
