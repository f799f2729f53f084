"""What to type instead of shell syntax: the advice behind a ShellSyntaxError.

Each construct a shell would handle (a pipe, ``&&``, a redirection, ``$(...)``, a
glob, braces) gets an explanation in the learner's terms and, where one exists,
the docker command that does what they meant.
"""

from __future__ import annotations

import os
import re
import shlex

WHY = "The tutor runs each docker command directly, without a shell, so {what}."

CONSTRUCT_EFFECTS = {
    "pipe": "'|' can't pass the output on to another program",
    "and-list": "'&&' can't chain commands; it runs one command at a time",
    "or-list": "'||' can't chain commands; it runs one command at a time",
    "sequence": "it runs one command at a time",
    "background": "'&' can't send a command to the background",
    "redirection": "'<' and '>' can't redirect input or output",
    "command substitution": "$(...) and backticks can't feed one command's output into another",
    "arithmetic expansion": "$((...)) arithmetic isn't available",
    "process substitution": "<(...) and >(...) aren't available",
    "variable": "nothing would replace {text} with a value",
    "dollar quoting": "$'...' quoting isn't available",
    "glob": "{text} would not be expanded into matching file names",
    "brace expansion": "{text} would not be expanded into several words",
    "tilde": "'~' would not be turned into your home folder",
    "subshell": "parentheses can't group commands",
    "environment assignment": "{text} can't set a variable for the command",
}


def _words(text: str) -> list[str]:
    """Best-effort split of a fragment (used only to build advice)."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _cmd_name(words: list[str]) -> tuple[str, ...]:
    """The first two non-flag words after 'docker': ('ps',), ('container', 'ls')..."""
    rest = words[1:] if words and words[0] == "docker" else words
    return tuple(w for w in rest if not w.startswith("-"))[:2]


def _is(words: list[str], *forms: str) -> bool:
    """True if the words are 'docker <one of forms> ...'."""
    name = _cmd_name(words)
    return any(name[: len(f.split())] == tuple(f.split()) for f in forms)


def advise(construct: str, line: str, pos: int, text: str) -> tuple[str, str | None]:
    """(advice, ready-to-type suggestion or None) for a construct at line[pos]."""
    left = line[:pos].strip()
    right = line[pos + len(text) :].strip()
    lw = _words(left)

    if construct == "pipe":
        return _advise_pipe(left, lw, _words(right))
    if construct in ("and-list", "or-list", "sequence"):
        if right:
            return (
                f"Type the commands one after the other: first `{left}`, "
                f"then `{_first_command(right)}`.",
                left or None,
            )
        return f"Type just `{left}`.", left or None
    if construct == "background":
        if _is(lw, "run", "container run") and not _has_flag(lw, "-d", "--detach"):
            fixed = _insert_after_command(lw, "-d")
            return (
                "To keep a container running in the background, start it "
                f"detached with -d: `{fixed}`.",
                fixed,
            )
        return (
            f"Type `{left}` on its own; containers started with `docker run -d` "
            "keep running in the background.",
            left or None,
        )
    if construct == "redirection":
        return _advise_redirection(line, pos, text, left, lw, right)
    if construct == "command substitution":
        return _advise_substitution(line, pos, text, lw)
    if construct == "variable":
        value = _known_value(text.strip("${}"))
        if value is not None:
            fixed = _replace_expansion(line, pos, text, value)
            return f"Type the value itself: `{fixed}`.", fixed
        return (
            "Type the actual value instead (for example the container's name). "
            "If the variable is meant for a shell inside the container, put that "
            "command in single quotes: docker exec web sh -c 'echo $HOME'.",
            None,
        )
    if construct == "glob":
        return _advise_glob(line, text)
    if construct == "brace expansion":
        expanded = _expand_braces(text)
        if expanded:
            fixed = line.replace(text, " ".join(expanded), 1)
            return f"Write the words out: `{fixed.strip()}`.", fixed.strip()
        return "Write each word out in full, or quote it if you mean the braces literally.", None
    if construct == "tilde":
        if text == "~" or text.startswith(("~/", "~:")):
            full = os.path.expanduser("~") + text[1:]
            fixed = line.replace(text, full, 1).strip()
            return f"Type the full path instead: {full}", fixed
        return "Type the full path instead, starting with '/'.", None
    if construct == "environment assignment":
        rest = line[pos + len(text) :].strip()
        rw = _words(rest)
        if _is(rw, "run", "create", "exec", "container run", "container create", "container exec"):
            fixed = _insert_after_command(rw, "-e", _unquote(text))
            return f"To give the container an environment variable, use -e: `{fixed}`.", fixed
        return (
            "To give a container an environment variable, use -e: "
            f"docker run -e {_unquote(text)} IMAGE."
            + (f" Otherwise type just `{rest}`." if rest else ""),
            rest or None,
        )
    if construct == "typographic quotes":
        fixed = line.translate(_PLAIN_QUOTES).strip()
        return (
            f"{text} is a typographic (curly) quote, probably copied from a web "
            "page; to a shell it is an ordinary letter, not a quote. Use plain "
            f"quotes ' or \" instead: `{fixed}`.",
            fixed,
        )
    if construct == "subshell":
        return "Type the docker command without parentheses, or quote them if they are part of a value.", None
    if construct == "unbalanced quotes":
        return (
            f"The {'single' if text == chr(39) else 'double'} quote ({text}) is "
            "never closed. Close it (or remove it) and try again.",
            None,
        )
    if construct == "line continuation":
        return "The line ends with '\\', which a shell uses to continue on the next line. Type the whole command on one line.", None
    if construct == "dollar quoting":
        return "Use plain single quotes instead: 'text'.", None
    if construct == "arithmetic expansion":
        return "Type the number itself.", None
    if construct == "process substitution":
        return "Run the inner command on its own, and give docker a real file name.", None
    return "Type a single docker command without shell syntax.", None


_PLAIN_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def _advise_glob(line: str, word: str) -> tuple[str, str | None]:
    literal = _unquote(word)
    quoted_line = line.replace(word, shlex.quote(literal), 1).strip()
    advice = (
        "If you mean the characters literally, put the word in quotes: "
        f"`{quoted_line}`. Otherwise type the names you mean one by one."
    )
    in_container = _container_command_with_shell(line, literal)
    if in_container:
        return (
            "If the pattern is for files inside the container, let the "
            f"container's shell expand it: `{in_container}`. {advice}",
            in_container,
        )
    return advice, quoted_line


def _container_command_with_shell(line: str, literal: str) -> str | None:
    """For a glob in run/exec's container command: the same command via sh -c."""
    from .parse import DockerCliError, parse  # lazy: only needed for this advice

    words = _words(line)
    try:
        cmd = parse(words)
    except DockerCliError:
        return None
    if cmd.path not in (("container", "run"), ("container", "exec")) or len(cmd.args) < 2:
        return None
    inner = list(cmd.args[1:])
    if literal not in inner:
        return None
    prefix = words[: len(words) - len(inner)]
    return shlex.join([*prefix, "sh", "-c", " ".join(inner)])


def _first_command(text: str) -> str:
    """The first command of a chain, for 'then type ...' advice."""
    cut = len(text)
    for op in ("&&", "||", ";", "|", "&"):
        idx = text.find(op)
        if idx != -1:
            cut = min(cut, idx)
    return text[:cut].strip()


def _has_flag(words: list[str], *flags: str) -> bool:
    for w in words:
        if w in flags:
            return True
        # combined short flags such as -dit
        if w.startswith("-") and not w.startswith("--") and any(
            f.startswith("-") and not f.startswith("--") and f[1:] in w[1:] for f in flags
        ):
            return True
    return False


def _insert_after_command(words: list[str], *extra: str) -> str:
    """Insert flags right after 'docker run' / 'docker container run'."""
    i = 1 if words and words[0] == "docker" else 0
    if i < len(words) and words[i] == "container":
        i += 1
    i += 1
    return shlex.join([*words[:i], *extra, *words[i:]])


def _unquote(text: str) -> str:
    return "".join(_words(text)) or text


def _expand_braces(word: str) -> list[str] | None:
    """Expand one simple {a,b,c} or {1..3} group (enough for advice)."""
    m = re.fullmatch(r"([^{}]*)\{([^{}]*)\}([^{}]*)", word)
    if not m:
        return None
    pre, body, post = m.groups()
    rng = re.fullmatch(r"(-?\d+)\.\.(-?\d+)", body)
    if rng:
        a, b = int(rng.group(1)), int(rng.group(2))
        step = 1 if b >= a else -1
        items = [str(x) for x in range(a, b + step, step)]
    elif "," in body:
        items = body.split(",")
    else:
        return None
    return [pre + item + post for item in items]


# Listings whose output learners grep, and how docker filters them itself.
_LIST_FILTER: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ps", "container ls", "container list", "container ps"), "name={}"),
    (("volume ls", "volume list"), "name={}"),
    (("network ls", "network list"), "name={}"),
    (("images", "image ls", "image list"), "reference=*{}*"),
)


def _advise_pipe(left: str, lw: list[str], rw: list[str]) -> tuple[str, str | None]:
    program = rw[0] if rw else ""
    if program == "grep":
        pattern = next((w for w in rw[1:] if not w.startswith("-")), "")
        for forms, template in _LIST_FILTER:
            if pattern and _is(lw, *forms):
                fixed = shlex.join([*lw, "--filter", template.format(pattern)])
                return f"Let docker do the filtering: `{fixed}`.", fixed
        return f"Run `{left}` on its own and look through its output.", left or None
    if program in ("head", "tail") and _is(lw, "logs", "container logs"):
        count = next((w.lstrip("-n") for w in rw[1:] if w.lstrip("-n").isdigit()), "10")
        fixed = _insert_after_command(lw, "--tail", count)
        return f"docker logs can show just the last lines itself: `{fixed}`.", fixed
    if program == "wc":
        return f"Run `{left}` on its own and count the lines (add -q to list only IDs).", left or None
    if program == "jq":
        return (
            "docker can format output itself with --format, e.g. "
            "docker inspect --format '{{json .Config}}' NAME.",
            None,
        )
    if program == "xargs":
        return (
            f"Run `{left}` first to see the names, then type the next docker "
            "command with those names (or use a prune command such as docker container prune).",
            left or None,
        )
    return f"Run `{left}` on its own; the tutor shows its whole output.", left or None


def _redirect_target(right: str) -> str:
    rw = _words(right.lstrip(">&|"))
    return rw[0] if rw else ""


def _advise_redirection(
    line: str, pos: int, op: str, left: str, lw: list[str], right: str
) -> tuple[str, str | None]:
    # "2>&1" / "2>" : drop the file-descriptor digit from the command part.
    if left and left[-1].isdigit() and (len(left) == 1 or left[-2].isspace()):
        left = left[:-1].strip()
        lw = _words(left)
    target = _redirect_target(right)
    if op.startswith(">") or op == "&>":
        if target in ("&1", "&2", "") or right.startswith("&"):
            return f"The tutor already shows both output and errors: type just `{left}`.", left or None
        if target == "/dev/null":
            return f"Type just `{left}`.", left or None
        if _is(lw, "save", "image save", "export", "container export"):
            fixed = _insert_after_command(lw, "-o", target)
            return f"Use the command's own output option: `{fixed}`.", fixed
        return (
            f"Run `{left}` on its own to see its output. Some commands can write "
            "a file themselves, e.g. docker save -o images.tar IMAGE.",
            left or None,
        )
    # input redirection
    if _is(lw, "load", "image load") and target:
        fixed = _insert_after_command(lw, "-i", target)
        return f"Use the command's own input option: `{fixed}`.", fixed
    if _is(lw, "import", "image import") and target:
        words = [w for w in lw if w != "-"]
        fixed = _insert_after_command(words) + " " + shlex.quote(target)
        return f"Give the file name directly: `{fixed}`.", fixed
    return "Give docker the file name as an argument or option instead (see the command's --help).", None


# Removal commands fed by $(...), with the prune that does the bulk job safely.
_REMOVERS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("rm", "container rm", "container remove"), "every stopped container", "docker container prune"),
    (("rmi", "image rm", "image remove"), "every unused image", "docker image prune -a"),
    (("volume rm", "volume remove"), "every unused volume", "docker volume prune -a"),
    (("network rm", "network remove"), "every unused network", "docker network prune"),
)


def _known_value(name: str) -> str | None:
    """Values we can safely fill in for the learner (never arbitrary env vars)."""
    if name in ("PWD", "pwd"):
        return os.getcwd()  # docker runs in the tutor's working directory
    if name == "HOME":
        return os.path.expanduser("~")
    return None


def _replace_expansion(line: str, pos: int, text: str, value: str) -> str:
    """The line with the expansion at pos replaced by value (quoted if needed)."""
    inside_quotes = pos > 0 and line[pos - 1] == '"'
    if not inside_quotes and any(ch.isspace() for ch in value):
        value = shlex.quote(value)
    return (line[:pos] + value + line[pos + len(text) :]).strip()


def _advise_substitution(line: str, pos: int, text: str, lw: list[str]) -> tuple[str, str | None]:
    inner = _substitution_body(line, pos, text)
    value = _known_value(inner)
    if value is not None:
        closing = line.find(")" if text == "$(" else "`", pos + len(text))
        whole = line[pos : closing + 1] if closing != -1 else text
        fixed = _replace_expansion(line, pos, whole, value)
        return f"Type the folder itself: `{fixed}`.", fixed
    outer = shlex.join(lw) if lw else "docker ..."
    first = f"Run `{inner}` on its own first" if inner else "Run the inner command on its own first"
    for forms, what, prune in _REMOVERS:
        if _is(lw, *forms):
            return (
                f"{first} to see the names or IDs, then `{outer} NAME ...` with the "
                f"ones you want. To remove {what} at once, use `{prune}`.",
                inner or None,
            )
    return f"{first}, then type `{outer}` followed by what it printed.", inner or None


def _substitution_body(line: str, pos: int, text: str) -> str:
    """The command inside $(...) or `...` starting at pos (best effort)."""
    if text == "`":
        end = line.find("`", pos + 1)
        return line[pos + 1 : end if end != -1 else len(line)].strip()
    depth = 0
    for j in range(pos + 1, len(line)):
        if line[j] == "(":
            depth += 1
        elif line[j] == ")":
            depth -= 1
            if depth == 0:
                return line[pos + 2 : j].strip()
    return line[pos + 2 :].strip()
