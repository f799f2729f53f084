"""`dockerfile`: judge a Dockerfile in the practice workspace by reading it (no build).

Two parts:

* a small Dockerfile parser (``parse_dockerfile_text``) that follows BuildKit's
  rules: parser directives (``# escape=``), comments, line continuations,
  case-insensitive instructions, JSON (exec) versus shell form, heredocs,
  stages, ``ARG`` before ``FROM``;
* an analysis that replays the instructions the way the builder would, without
  running anything: where each file of the build context lands (``WORKDIR``
  and ``COPY``/``ADD`` destination rules, ``COPY --from`` between stages),
  which ``RUN`` installs the requirements and what was copied before it, what
  the container runs at start.

The check's rules (docs/checks.md, "The dockerfile check") turn that analysis
into findings the learner can act on. A Dockerfile that is written differently
but works passes: the rules look at effects (where app.py lands, what CMD runs),
not at spelling.
"""

from __future__ import annotations

import copy
import json
import os
import posixpath
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, excerpt, name_list
from tutor.checks.files import MAX_READ_BYTES, workspace_path
from tutor.checks.reading import ParseContext
from tutor.checks.refs import parse_ref, reference_problem
from tutor.course.placeholders import has_placeholder, render_value
from tutor.schema.fields import MISSING, describe_type
from tutor.suggest import close_matches

# =============================================================================================
# Parsing
# =============================================================================================

INSTRUCTIONS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
    "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})
_JSON_FORM = frozenset({"RUN", "CMD", "ENTRYPOINT", "COPY", "ADD", "SHELL", "VOLUME"})
_FLAGGED = frozenset({"FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"})
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
# Instructions whose arguments the builder reads as words: a `#` there is not a comment.
_NO_TRAILING_COMMENT = frozenset({"FROM", "WORKDIR", "EXPOSE", "COPY", "ADD", "USER"})
KNOWN_DIRECTIVES = ("syntax", "escape", "check")

_DIRECTIVE = re.compile(r"#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$")
_HEREDOC = re.compile(r"(?<!<)<<(-?)(['\"]?)([A-Za-z_][A-Za-z0-9_.-]*)\2")
_INSTRUCTION = re.compile(r"(\S+)(?:\s+(.*))?$", re.S)


@dataclass(frozen=True)
class Heredoc:
    name: str
    body: str  # the lines between the marker and the terminator, each ending with "\n"
    expand: bool = True  # False when the name was quoted (<<"EOF")


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: "RUN"
    word: str  # as written: "run"
    args: str  # everything after the keyword, continuation lines joined, stripped
    line: int  # 1-based line of the instruction's first line
    end_line: int
    flags: tuple[tuple[str, str], ...] = ()  # leading --name=value flags (FROM/RUN/COPY/ADD)
    rest: str = ""  # args without the flags
    json: tuple[str, ...] | None = None  # the exec (JSON) form, when the args are one
    json_error: bool = False  # the args start with "[" but are not a JSON list of strings
    heredocs: tuple[Heredoc, ...] = ()

    @property
    def exec_form(self) -> bool:
        return self.json is not None

    def flag(self, name: str) -> str | None:
        for key, value in self.flags:
            if key == name:
                return value
        return None

    @property
    def shown(self) -> str:
        """The instruction as written, on one line (for messages)."""
        return excerpt(" ".join(f"{self.word} {self.args}".split()), 100)


@dataclass
class Stage:
    index: int
    source: Instruction  # its FROM
    image: str  # the FROM image as written (variables not expanded)
    name: str | None  # the AS name, lower case
    instructions: list[Instruction] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f'stage "{self.name}"' if self.name else f"stage {self.index + 1}"


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    message: str


@dataclass
class Dockerfile:
    instructions: list[Instruction]
    directives: dict[str, str]
    escape: str
    global_args: list[Instruction]
    stages: list[Stage]
    problems: list[SyntaxProblem]
    has_content: bool  # anything but blank lines and comments


def parse_dockerfile_text(text: str) -> Dockerfile:
    """Parse a Dockerfile; problems (unknown instructions, ...) are collected, not raised."""
    lines = text.removeprefix("\ufeff").split("\n")
    lines = [line.removesuffix("\r") for line in lines]
    problems: list[SyntaxProblem] = []
    directives: dict[str, str] = {}
    escape = "\\"
    index = 0
    # Parser directives: only at the very top, before any blank line, comment or instruction.
    while index < len(lines):
        match = _DIRECTIVE.match(lines[index])
        if not match:
            break
        key, value = match.group(1).lower(), match.group(2)
        if key in KNOWN_DIRECTIVES:
            if key in directives:
                problems.append(SyntaxProblem(index + 1, f"the {key} directive is given twice; "
                                                         f"only one may be used"))
            directives[key] = value
            if key == "escape":
                if value in ("\\", "`"):
                    escape = value
                else:
                    problems.append(SyntaxProblem(
                        index + 1, f"escape={value} is not a valid escape character; "
                                   f"use \\ or `"))
        index += 1

    instructions: list[Instruction] = []
    has_content = False
    while index < len(lines):
        first = lines[index]
        start = index + 1
        index += 1
        stripped = first.strip()
        if not stripped or stripped.startswith("#"):
            continue
        has_content = True
        text, continued = _trim_continuation(first.lstrip(), escape)
        end = start
        while continued and index < len(lines):
            following = lines[index]
            index += 1
            end = index
            if following.strip().startswith("#") or not following.strip():
                continue  # comments and blank lines inside a continuation are dropped
            piece, continued = _trim_continuation(following, escape)
            text += piece
        match = _INSTRUCTION.match(text.strip())
        if not match:  # pragma: no cover - a non-blank line always has a first word
            continue
        word, args = match.group(1), (match.group(2) or "").strip()
        keyword = word.upper()
        if keyword not in INSTRUCTIONS:
            problems.append(SyntaxProblem(start, _unknown_instruction(word, args, instructions,
                                                                      start)))
            continue
        flags: tuple[tuple[str, str], ...] = ()
        rest = args
        if keyword in _FLAGGED:
            flags, rest = _split_flags(args)
        parsed_json, json_error = (None, False)
        if keyword in _JSON_FORM:
            parsed_json, json_error = _json_list(rest)
        heredocs: list[Heredoc] = []
        if keyword in _HEREDOC_INSTRUCTIONS and parsed_json is None:
            for marker in _HEREDOC.finditer(rest):
                chomp, quote_char, name = marker.group(1), marker.group(2), marker.group(3)
                body: list[str] = []
                closed = False
                while index < len(lines):
                    line = lines[index]
                    index += 1
                    candidate = line.lstrip("\t") if chomp else line
                    if candidate == name:
                        closed = True
                        break
                    body.append(candidate + "\n")
                end = index
                if not closed:
                    problems.append(SyntaxProblem(
                        start, f"the heredoc <<{name} of {word} is never closed "
                               f"(no line saying just {name})"))
                heredocs.append(Heredoc(name, "".join(body), expand=not quote_char))
        instruction = Instruction(keyword, word, args, start, end, flags, rest, parsed_json,
                                  json_error, tuple(heredocs))
        if not rest and not heredocs:
            problems.append(SyntaxProblem(start, f"{word} has no arguments"))
            continue
        if keyword in _NO_TRAILING_COMMENT and re.search(r"(^|\s)#", rest):
            problems.append(SyntaxProblem(
                start, f"`{instruction.shown}`: the # does not start a comment here (a comment "
                       f"must be on a line of its own), so the builder reads it as part of "
                       f"{keyword}"))
        instructions.append(instruction)

    global_args: list[Instruction] = []
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            words = instruction.rest.split()
            name = None
            if len(words) == 3 and words[1].lower() == "as":
                name = words[2].lower()
            elif len(words) != 1 and "#" not in instruction.rest:
                problems.append(SyntaxProblem(
                    instruction.line, f"`{instruction.shown}` is not FROM image or "
                                      f"FROM image AS name"))
            stages.append(Stage(len(stages), instruction, words[0] if words else "", name))
        elif not stages:
            if instruction.keyword == "ARG":
                global_args.append(instruction)
            else:
                problems.append(SyntaxProblem(
                    instruction.line, f"{instruction.word} comes before the first FROM; "
                                      f"only ARG may come before FROM"))
        else:
            stages[-1].instructions.append(instruction)
    return Dockerfile(instructions, directives, escape, global_args, stages,
                      sorted(problems, key=lambda p: p.line), has_content)


def _trim_continuation(line: str, escape: str) -> tuple[str, bool]:
    match = re.search(re.escape(escape) + r"[ \t]*$", line)
    if match:
        return line[:match.start()], True
    return line, False


def _split_flags(args: str) -> tuple[tuple[tuple[str, str], ...], str]:
    flags = []
    rest = args
    while rest.startswith("--"):
        match = re.match(r"--(\S*)\s*", rest)
        name, _, value = match.group(1).partition("=")
        flags.append((name.lower(), value))
        rest = rest[match.end():]
    return tuple(flags), rest


def _json_list(text: str) -> tuple[tuple[str, ...] | None, bool]:
    if not text.startswith("["):
        return None, False
    try:
        value = json.loads(text)
    except ValueError:
        return None, True
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value), False
    return None, True


def _unknown_instruction(word: str, args: str, before: list[Instruction], line: int) -> str:
    close = close_matches(word.upper(), INSTRUCTIONS, n=1)
    shown = excerpt(" ".join(f"{word} {args}".split()), 60)
    message = f"`{shown}` is not a Dockerfile instruction"
    if close:
        return message + f" (did you mean {close[0]}?)"
    previous = before[-1] if before else None
    if previous is not None and previous.end_line == line - 1 and previous.keyword in (
            "RUN", "CMD", "ENTRYPOINT"):
        return (message + f"; if it continues the {previous.keyword} above, end line "
                          f"{previous.end_line} with \\")
    return message + " (each line starts with an instruction such as FROM, RUN, COPY or CMD)"


# -- words and variables -----------------------------------------------------------------------

_VAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def expand_word(word: str, env: Mapping[str, str], escape: str = "\\") -> str:
    """A word the way the builder reads it: quotes removed, $VAR and ${VAR:-x} expanded."""
    out: list[str] = []
    index = 0
    length = len(word)
    while index < length:
        char = word[index]
        if char == escape and index + 1 < length:
            out.append(word[index + 1])
            index += 2
        elif char == "'":
            close = word.find("'", index + 1)
            close = length if close < 0 else close
            out.append(word[index + 1:close])
            index = close + 1
        elif char == '"':
            index += 1
            while index < length and word[index] != '"':
                if word[index] == escape and index + 1 < length and word[index + 1] in (
                        '"', "$", escape):
                    out.append(word[index + 1])
                    index += 2
                elif word[index] == "$":
                    text, index = _expand_variable(word, index, env, escape)
                    out.append(text)
                else:
                    out.append(word[index])
                    index += 1
            index += 1
        elif char == "$":
            text, index = _expand_variable(word, index, env, escape)
            out.append(text)
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _expand_variable(word: str, index: int, env: Mapping[str, str],
                     escape: str) -> tuple[str, int]:
    """Expand the variable at ``word[index] == "$"``; returns (text, next index)."""
    if word.startswith("${", index):
        close = _closing_brace(word, index + 2)
        inner = word[index + 2:close]
        match = _VAR.match(inner)
        if not match:
            return word[index:close + 1], close + 1
        name, operation = match.group(0), inner[match.end():]
        value = env.get(name)
        if operation.startswith((":-", ":+", ":?")):
            op, argument = operation[:2], operation[2:]
            set_ = bool(value)
        elif operation.startswith(("-", "+", "?")):
            op, argument = operation[:1], operation[1:]
            set_ = value is not None
        else:
            return value or "", close + 1
        argument = expand_word(argument, env, escape)
        if op.endswith("-"):
            return (value if set_ else argument) or "", close + 1
        if op.endswith("+"):
            return (argument if set_ else ""), close + 1
        return value or "", close + 1
    match = _VAR.match(word, index + 1)
    if not match:
        return "$", index + 1
    return env.get(match.group(0), ""), match.end()


def _closing_brace(word: str, start: int) -> int:
    depth = 1
    for position in range(start, len(word)):
        if word[position] == "{":
            depth += 1
        elif word[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    return len(word)


def split_words(text: str, escape: str = "\\") -> list[str]:
    """Split on whitespace outside quotes (quotes kept: ``expand_word`` removes them)."""
    words: list[str] = []
    current: list[str] = []
    quote_char = ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == escape and index + 1 < len(text) and quote_char != "'":
            current.append(text[index:index + 2])
            index += 2
            continue
        if quote_char:
            if char == quote_char:
                quote_char = ""
        elif char in "'\"":
            quote_char = char
        elif char.isspace():
            if current:
                words.append("".join(current))
                current = []
            index += 1
            continue
        current.append(char)
        index += 1
    if current:
        words.append("".join(current))
    return words


def name_values(text: str, escape: str = "\\") -> list[tuple[str, str | None]]:
    """ENV/ARG/LABEL pairs: ``A=1 B="x y"``, legacy ``ENV A some words``, or ``ARG A``."""
    words = split_words(text, escape)
    if not words:
        return []
    if "=" not in words[0]:
        if len(words) == 1:
            return [(words[0], None)]
        return [(words[0], text.strip()[len(words[0]):].strip())]  # legacy ENV KEY value
    pairs = []
    for word in words:
        key, eq, value = word.partition("=")
        pairs.append((key, value if eq else None))
    return pairs


# -- shell commands ------------------------------------------------------------------------------

_SEPARATORS = {";", "&&", "||", "|", "&", "\n", "(", ")"}


def shell_commands(script: str) -> list[list[str]]:
    """Simple commands of a shell script, as word lists (a best effort for reading RUN/CMD)."""
    script = re.sub(r"\\\n", " ", script)
    commands: list[list[str]] = []
    for line in script.split("\n"):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
        lexer.commenters = "#"
        lexer.whitespace_split = True
        try:
            tokens = list(lexer)
        except ValueError:  # an unclosed quote
            tokens = line.split()
        current: list[str] = []
        for token in tokens:
            if token in _SEPARATORS or (token and set(token) <= set(";&|()")):
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(token)
        if current:
            commands.append(current)
    return commands


_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_PREFIX_WORDS = {"exec", "sudo", "command", "env", "nohup", "time"}


def strip_prefixes(words: list[str]) -> list[str]:
    """Drop ``VAR=x``, ``exec``, ``env``, ``sudo`` in front of a command."""
    index = 0
    while index < len(words) and (_ASSIGNMENT.match(words[index])
                                  or words[index] in _PREFIX_WORDS):
        index += 1
    return words[index:]


_PIP = re.compile(r"pip(\d+(\.\d+)*)?")
_PYTHON = re.compile(r"python(\d+(\.\d+)*)?")
# pip install options that take a value (so the value is not a package name)
_PIP_VALUE_OPTIONS = {
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target",
    "--prefix", "--root", "-i", "--index-url", "--extra-index-url", "-f", "--find-links",
    "--trusted-host", "--cache-dir", "--platform", "--python-version", "--implementation",
    "--abi", "--src", "--upgrade-strategy", "--progress-bar", "--root-user-action", "--log",
    "--timeout", "--retries", "--proxy", "--no-binary", "--only-binary", "--config-settings",
    "-C", "--global-option", "--report", "--python",
}


@dataclass(frozen=True)
class PipInstall:
    requirements: tuple[str, ...]  # the -r files as written
    packages: tuple[str, ...]  # names installed directly


def pip_install_of(words: list[str]) -> PipInstall | None:
    """The ``pip install`` in a command: pip, pip3, python -m pip, uv pip."""
    words = strip_prefixes(words)
    if not words:
        return None
    program = posixpath.basename(words[0])
    rest: list[str] | None = None
    if _PIP.fullmatch(program):
        rest = words[1:]
    elif _PYTHON.fullmatch(program):
        for position, word in enumerate(words[1:-1], start=1):
            if word == "-m" and words[position + 1] == "pip":
                rest = words[position + 2:]
                break
            if word == "-m" or not word.startswith("-"):
                break
    elif program == "uv" and words[1:2] == ["pip"]:
        rest = words[2:]
    if rest is None:
        return None
    position = 0
    while position < len(rest) and rest[position].startswith("-"):
        position += 1  # global options such as --no-cache-dir before the command
    if position >= len(rest) or rest[position] != "install":
        return None
    requirements: list[str] = []
    packages: list[str] = []
    arguments = rest[position + 1:]
    position = 0
    while position < len(arguments):
        word = arguments[position]
        if word in ("-r", "--requirement"):
            if position + 1 < len(arguments):
                requirements.append(arguments[position + 1])
            position += 2
            continue
        if word.startswith("--requirement="):
            requirements.append(word.partition("=")[2])
        elif word.startswith("-r") and len(word) > 2:
            requirements.append(word[2:])
        elif word in _PIP_VALUE_OPTIONS:
            position += 2
            continue
        elif not word.startswith("-"):
            packages.append(word)
        position += 1
    return PipInstall(tuple(requirements), tuple(packages))


# =============================================================================================
# Analysis: replaying the build on paper
# =============================================================================================

# Directories every base image has: a single file copied "to" one of them goes inside it.
_COMMON_DIRS = {"/", "/tmp", "/usr", "/usr/local", "/usr/local/bin", "/usr/src", "/opt", "/srv",
                "/home", "/root", "/etc", "/var", "/bin", "/var/www"}
_GLOB = re.compile(r"[*?\[]")


@dataclass
class CopyStep:
    instruction: Instruction
    destination: str  # absolute, as resolved against the WORKDIR of the time
    landed: list[tuple[str, str]]  # (context file, image path)
    code: tuple[str, ...]  # code files it brought
    stage: int


@dataclass
class PipStep:
    instruction: Instruction
    install: PipInstall
    workdir: str
    files: dict[str, str]  # image path -> context file, when it ran (bind mounts included)
    code_copy: CopyStep | None  # the first COPY that brought code before it (in its chain)
    stage: int


@dataclass
class ImageState:
    """What the image of one stage looks like after its instructions (inherited along FROM)."""

    stage: int
    root: Stage  # the stage whose FROM names an outside image
    root_image: str  # that image, variables expanded
    workdir: str = "/"
    workdirs: list[tuple[Instruction, str]] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # image path -> context file
    origin: dict[str, Instruction] = field(default_factory=dict)  # image path -> COPY
    dirs: set[str] = field(default_factory=lambda: set(_COMMON_DIRS))
    copies: list[CopyStep] = field(default_factory=list)
    first_code_copy: CopyStep | None = None
    pips: list[PipStep] = field(default_factory=list)
    exposes: list[tuple[int, int, str, Instruction]] = field(default_factory=list)
    cmd: Instruction | None = None
    entrypoint: Instruction | None = None
    cmd_in_stage: bool = False
    shell: tuple[str, ...] = ("/bin/sh", "-c")
    copied_from: set[int] = field(default_factory=set)  # stages COPY --from reads


@dataclass
class Analysis:
    dockerfile: Dockerfile
    states: list[ImageState]
    problems: list[SyntaxProblem]
    code_files: frozenset[str]

    @property
    def final(self) -> ImageState:
        return self.states[-1]

    def contributing(self) -> list[ImageState]:
        """The final stage, the stages it builds on, and those it copies from (transitively)."""
        wanted: set[int] = set()
        todo = [len(self.states) - 1]
        while todo:
            index = todo.pop()
            if index in wanted:
                continue
            wanted.add(index)
            state = self.states[index]
            todo.extend(state.copied_from)
            todo.extend(self.ancestors(index))
        return [self.states[i] for i in sorted(wanted)]

    def ancestors(self, index: int) -> list[int]:
        stages = self.dockerfile.stages
        found = []
        image = stages[index].image.lower()
        for earlier in reversed(stages[:index]):
            if earlier.name and earlier.name == image:
                found.append(earlier.index)
                break
        return found


def analyse(dockerfile: Dockerfile, tracked: Iterable[str], code_files: Iterable[str]) -> Analysis:
    """Replay the stages: ``tracked`` context files are followed to where they land."""
    tracked = tuple(dict.fromkeys(tracked))
    code = frozenset(code_files)
    escape = dockerfile.escape
    problems: list[SyntaxProblem] = []
    global_args: dict[str, str] = {}
    for instruction in dockerfile.global_args:
        for key, value in name_values(instruction.rest, escape):
            global_args[key] = expand_word(value, global_args, escape) if value is not None else (
                global_args.get(key, ""))
    states: list[ImageState] = []
    names: dict[str, int] = {}
    for stage in dockerfile.stages:
        parent = names.get(stage.image.lower())
        if parent is not None:
            state = copy.deepcopy(states[parent])
            state.stage = stage.index
            state.cmd_in_stage = False
            state.copied_from = set(states[parent].copied_from)
        else:
            image = expand_word(stage.image, global_args, escape)
            state = ImageState(stage.index, stage, image)
        args: dict[str, str] = {}
        for instruction in stage.instructions:
            variables = {**args, **state.env}
            _apply(instruction, state, variables, args, global_args, states, names, tracked, code,
                   escape, problems)
        states.append(state)
        if stage.name:
            names[stage.name] = stage.index
    return Analysis(dockerfile, states, problems, code)


def _apply(instruction: Instruction, state: ImageState, variables: dict[str, str],
           args: dict[str, str], global_args: dict[str, str], states: list[ImageState],
           names: dict[str, int], tracked: tuple[str, ...], code: frozenset[str], escape: str,
           problems: list[SyntaxProblem]) -> None:
    keyword = instruction.keyword
    if keyword == "ARG":
        for key, value in name_values(instruction.rest, escape):
            args[key] = (expand_word(value, variables, escape) if value is not None
                         else global_args.get(key, ""))
    elif keyword == "ENV":
        for key, value in name_values(instruction.rest, escape):
            if value is None:
                problems.append(SyntaxProblem(instruction.line,
                                              f"ENV {key} has no value (write ENV {key}=value)"))
                continue
            state.env[key] = expand_word(value, {**variables, **state.env}, escape)
    elif keyword == "WORKDIR":
        path = expand_word(instruction.rest, variables, escape)
        resolved = posixpath.normpath(posixpath.join(state.workdir, path))
        state.workdir = resolved
        state.workdirs.append((instruction, path))
        _add_dirs(state, resolved)
    elif keyword in ("COPY", "ADD"):
        _apply_copy(instruction, state, variables, states, names, tracked, code, escape, problems)
    elif keyword == "RUN":
        _apply_run(instruction, state, variables, states, names, tracked, escape)
    elif keyword == "EXPOSE":
        for word in split_words(instruction.rest, escape):
            text = expand_word(word, variables, escape)
            match = re.fullmatch(r"(\d+)(?:-(\d+))?(?:/(tcp|udp|sctp))?", text, re.I)
            if not match or not 0 < int(match.group(1)) <= 65535:
                problems.append(SyntaxProblem(
                    instruction.line, f"EXPOSE {text}: not a port such as 5000 or 5000/tcp"))
                continue
            low = int(match.group(1))
            high = int(match.group(2) or low)
            state.exposes.append((low, high, (match.group(3) or "tcp").lower(), instruction))
    elif keyword == "CMD":
        state.cmd = instruction
        state.cmd_in_stage = True
    elif keyword == "ENTRYPOINT":
        state.entrypoint = instruction
        if not state.cmd_in_stage:
            state.cmd = None  # ENTRYPOINT resets a CMD inherited from the base image
    elif keyword == "SHELL":
        if instruction.json:
            state.shell = instruction.json
        else:
            problems.append(SyntaxProblem(instruction.line,
                                          'SHELL must be a JSON list such as ["/bin/bash", "-c"]'))


def _add_dirs(state: ImageState, path: str) -> None:
    while path not in ("/", ""):
        state.dirs.add(path)
        path = posixpath.dirname(path)


def _stage_ref(value: str, states: list[ImageState], names: dict[str, int]) -> int | None:
    if value.isdigit() and int(value) < len(states):
        return int(value)
    return names.get(value.lower())


def _copy_words(instruction: Instruction, variables: dict[str, str], escape: str) -> list[str]:
    if instruction.json is not None:
        return [expand_word(word, variables, escape) if "$" in word else word
                for word in instruction.json]
    return [expand_word(word, variables, escape) for word in instruction.rest.split()]


def _apply_copy(instruction: Instruction, state: ImageState, variables: dict[str, str],
                states: list[ImageState], names: dict[str, int], tracked: tuple[str, ...],
                code: frozenset[str], escape: str, problems: list[SyntaxProblem]) -> None:
    words = _copy_words(instruction, variables, escape)
    heredoc_names = {f"<<{h.name}" for h in instruction.heredocs} | {
        f"<<-{h.name}" for h in instruction.heredocs}
    if len(words) < 2:
        problems.append(SyntaxProblem(
            instruction.line, f"`{instruction.shown}` needs a source and a destination, "
                              f"such as {instruction.keyword} requirements.txt ."))
        return
    *sources, dest = words
    sources = [s for s in sources if s not in heredoc_names and not s.startswith("<<")
               and not re.match(r"[a-z]+://|git@", s)]
    dest_abs = posixpath.normpath(posixpath.join(state.workdir, dest))
    dest_is_dir = (dest.endswith("/") or dest in (".", "..") or dest.endswith("/.")
                   or len(words) > 2 or dest_abs in state.dirs)
    parents = instruction.flag("parents") is not None
    from_value = instruction.flag("from")
    landed: list[tuple[str, str]] = []
    if from_value is not None:
        source_index = _stage_ref(expand_word(from_value, variables, escape), states, names)
        if source_index is not None:
            state.copied_from.add(source_index)
            for path, tracked_file in states[source_index].files.items():
                for source in sources:
                    target = _landing(path.lstrip("/"), source, dest_abs, dest_is_dir, parents)
                    if target:
                        landed.append((tracked_file, target))
                        break
    else:
        for tracked_file in tracked:
            for source in sources:
                target = _landing(tracked_file, source, dest_abs, dest_is_dir, parents)
                if target:
                    landed.append((tracked_file, target))
                    break
    for tracked_file, target in landed:
        state.files[target] = tracked_file
        state.origin[target] = instruction
        _add_dirs(state, posixpath.dirname(target))
    if dest_is_dir or not any(target == dest_abs for _, target in landed):
        _add_dirs(state, dest_abs)  # unless a single file was written at dest itself
    step = CopyStep(instruction, dest_abs, landed, tuple(t for t, _ in landed if t in code),
                    state.stage)
    state.copies.append(step)
    if step.code and state.first_code_copy is None:
        state.first_code_copy = step


def _landing(rel: str, source: str, dest_abs: str, dest_is_dir: bool,
             parents: bool = False) -> str | None:
    """Where the file ``rel`` (relative to the source root) lands, if ``source`` brings it."""
    src = posixpath.normpath("/" + source).lstrip("/")
    if not src:  # the whole context (or stage root): its contents go into dest
        return posixpath.join(dest_abs, rel)
    parts = rel.split("/")
    if _GLOB.search(src):
        pattern = src.split("/")
        if len(pattern) > len(parts) or not all(
                fnmatchcase(part, glob) for part, glob in zip(parts, pattern, strict=False)):
            return None
        if parents:
            return posixpath.join(dest_abs, rel)
        remainder = parts[len(pattern):]
        if not remainder:
            return posixpath.join(dest_abs, parts[-1]) if dest_is_dir else dest_abs
        return posixpath.join(dest_abs, *remainder)
    if rel == src:
        if parents:
            return posixpath.join(dest_abs, rel)
        return posixpath.join(dest_abs, parts[-1]) if dest_is_dir else dest_abs
    if rel.startswith(src + "/"):
        if parents:
            return posixpath.join(dest_abs, rel)
        return posixpath.join(dest_abs, rel[len(src) + 1:])
    return None


def run_commands(instruction: Instruction) -> list[list[str]]:
    """The simple commands a RUN runs (exec form, shell form and heredoc scripts)."""
    if instruction.json is not None:
        argv = list(instruction.json)
        if len(argv) >= 3 and posixpath.basename(argv[0]) in ("sh", "bash", "dash") and (
                argv[1] == "-c"):
            return shell_commands(argv[2])
        return [argv] if argv else []
    script = _HEREDOC.sub(" ", instruction.rest)
    commands = shell_commands(script)
    for heredoc in instruction.heredocs:
        interpreter = commands[0][0] if commands and commands[0] else ""
        if _PYTHON.fullmatch(posixpath.basename(interpreter)):
            continue  # RUN python3 <<EOF: the body is Python, not shell
        commands.extend(shell_commands(heredoc.body))
    return commands


def _apply_run(instruction: Instruction, state: ImageState, variables: dict[str, str],
               states: list[ImageState], names: dict[str, int], tracked: tuple[str, ...],
               escape: str) -> None:
    files = dict(state.files)
    for key, value in instruction.flags:
        if key != "mount":
            continue
        options = dict(part.partition("=")[::2] for part in value.split(","))
        if options.get("type", "bind") != "bind" or not options.get("target", options.get(
                "dst", options.get("destination"))):
            continue
        target = options.get("target") or options.get("dst") or options.get("destination")
        target_abs = posixpath.normpath(posixpath.join(state.workdir, target))
        source = options.get("source", options.get("src", ""))
        if "from" in options:
            continue
        for tracked_file in tracked:
            landed = _landing(tracked_file, source, target_abs, dest_is_dir=False)
            if landed:
                files[landed] = tracked_file
    for words in run_commands(instruction):
        words = strip_prefixes(words)
        if not words:
            continue
        if posixpath.basename(words[0]) == "mkdir":
            for word in words[1:]:
                if not word.startswith("-"):
                    _add_dirs(state, posixpath.normpath(posixpath.join(state.workdir, word)))
            continue
        install = pip_install_of(words)
        if install is not None:
            state.pips.append(PipStep(instruction, install, state.workdir, files,
                                      state.first_code_copy, state.stage))


# =============================================================================================
# What the container runs
# =============================================================================================


@dataclass(frozen=True)
class StartCommand:
    argv: tuple[str, ...]  # what the container runs as PID 1
    shell_script: str | None  # set when PID 1 is a shell running this script
    via: Instruction  # the instruction that decides it (the one to blame)
    problem: str | None = None  # why this is not the exec form, when it is not
    broken: bool = False  # the app would not start at all (not just a signal problem)


def start_command(state: ImageState) -> StartCommand | None:
    entrypoint, cmd = state.entrypoint, state.cmd
    shell = state.shell
    if entrypoint is not None:
        if entrypoint.json is None:
            return StartCommand((*shell, entrypoint.rest), entrypoint.rest, entrypoint,
                                _shell_form_problem(entrypoint, shell), entrypoint.json_error)
        argv = list(entrypoint.json)
        if cmd is not None:
            if cmd.json is not None:
                argv.extend(cmd.json)
            else:
                argv.extend((*shell, cmd.rest))
                return StartCommand(tuple(argv), None, cmd, (
                    f"{cmd.shown} (line {cmd.line}) is in shell form, so the ENTRYPOINT gets "
                    f"{json.dumps([*shell, cmd.rest])} as its arguments; write CMD as a JSON "
                    f"list such as CMD {json.dumps(_suggested_argv(cmd.rest))}"), broken=True)
        return _shell_in_exec(StartCommand(tuple(argv), None, entrypoint))
    if cmd is not None:
        if cmd.json is None:
            return StartCommand((*shell, cmd.rest), cmd.rest, cmd, _shell_form_problem(cmd, shell),
                                cmd.json_error)
        return _shell_in_exec(StartCommand(tuple(cmd.json), None, cmd))
    return None


def _shell_in_exec(command: StartCommand) -> StartCommand:
    """``CMD ["sh", "-c", "python app.py"]`` is JSON, but PID 1 is still a shell."""
    argv = command.argv
    if len(argv) >= 3 and posixpath.basename(argv[0]) in ("sh", "bash", "dash", "ash") and (
            argv[1] == "-c"):
        script = argv[2]
        problem = None
        if not _execs_last(script):
            problem = (f"{command.via.shown} (line {command.via.line}) starts a shell "
                       f"({argv[0]} -c), so the shell is PID 1 and the app does not get SIGTERM "
                       f"from docker stop; run the app directly: "
                       f"{command.via.keyword} {json.dumps(_suggested_argv(script))}")
        return StartCommand(argv, script, command.via, problem)
    return command


def _execs_last(script: str) -> bool:
    """``exec python app.py`` or ``cd /app && exec python app.py``: the app replaces the shell."""
    if "|" in script:
        return False
    commands = shell_commands(script)
    return bool(commands) and commands[-1][:1] == ["exec"] and len(commands[-1]) > 1


def _suggested_argv(script: str) -> list[str]:
    commands = shell_commands(script)
    words = strip_prefixes(commands[-1]) if commands else []
    return words or ["python", "app.py"]


def _shell_form_problem(instruction: Instruction, shell: tuple[str, ...]) -> str | None:
    script = instruction.rest
    if not instruction.json_error and _execs_last(script):
        return None  # the shell replaces itself with the app: it is PID 1 after all
    keyword = instruction.keyword
    if instruction.json_error:
        why = "JSON needs double quotes" if "'" in script else "it is not a valid JSON list"
        if re.search(r"\]\s*#", script):
            why = "a comment cannot follow it on the same line"
        return (f"{keyword} {excerpt(script, 60)} (line {instruction.line}) looks like the exec "
                f"form but is not valid JSON ({why}), so Docker runs the text with "
                f"{' '.join(shell)}, which fails; write {keyword} "
                f"{json.dumps(_suggested_argv_from_bad_json(script))}")
    suggestion = json.dumps(_suggested_argv(script))
    note = ""
    if "$" in script:
        note = (". The exec form runs no shell, so a $VARIABLE there stays as written: let the "
                "app read it from the environment (app.py reads PORT itself)")
    return (f"{keyword} is in shell form ({instruction.shown}); use the exec form {keyword} "
            f"{suggestion} so the app runs as PID 1 and receives SIGTERM from docker stop "
            f"(in shell form it runs under {' '.join(shell)}, which does not pass the signal "
            f"on, so docker stop waits 10 seconds and then kills it){note}")


def _suggested_argv_from_bad_json(text: str) -> list[str]:
    words = re.findall(r"""["']([^"']*)["']""", text)
    return words or ["python", "app.py"]


# =============================================================================================
# The check
# =============================================================================================

MAX_CODE_FILES = 500
_SKIP_DIRS = {"__pycache__", "node_modules", "venv", ".venv", "env", "site-packages"}


def context_code_files(context: Path) -> set[str]:
    """``*.py`` files of the build context (relative paths), for telling code from the rest."""
    found: set[str] = set()
    if not context.is_dir():
        return found
    for root, dirs, files in os.walk(context):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in files:
            if name.endswith(".py"):
                found.add(Path(root, name).relative_to(context).as_posix())
                if len(found) >= MAX_CODE_FILES:
                    return found
    return found


@dataclass(frozen=True, kw_only=True)
class DockerfileCheck(Check):
    kind = "dockerfile"
    path: str
    base: str | None = None
    workdir: bool | str | None = None  # True: any absolute WORKDIR; text: exactly that path
    requirements_first: str | None = None
    pip_install: bool = False
    expose: int | str | None = None
    cmd_exec_form: bool = False
    runs: str | None = None

    def check(self, ctx: CheckContext) -> CheckResult:
        values = ctx.values
        path = render_value(self.path, values)
        full = workspace_path(ctx, path)
        label = full.name or "Dockerfile"
        if not full.exists():
            return CheckResult.fail(_missing(ctx, path, full))
        if full.is_dir():
            return CheckResult.fail(f"{path} is a directory; expected a Dockerfile (a file) there")
        try:
            with full.open("rb") as handle:
                text = handle.read(MAX_READ_BYTES).decode("utf-8", errors="replace")
        except OSError as error:
            return CheckResult.fail(f"{path} cannot be read: {error.strerror or error}")
        dockerfile = parse_dockerfile_text(text)
        if not dockerfile.has_content:
            state = "is empty" if not text.strip() else "holds only comments"
            return CheckResult.fail(f"{label} at {path} {state}; it starts with FROM and a base "
                                    f"image, such as FROM python:3.12-slim")
        messages = [f"{label} line {p.line}: {p.message}" for p in dockerfile.problems]
        if not dockerfile.stages:
            messages.append(f"{label}: no FROM instruction; a Dockerfile starts with FROM and "
                            f"a base image, such as FROM python:3.12-slim")
            return CheckResult.fail(*_unique(messages))
        runs = _clean_relative(render_value(self.runs, values)) if self.runs else None
        requirements = (_clean_relative(render_value(self.requirements_first, values))
                        if self.requirements_first else None)
        code = context_code_files(full.parent)
        if runs:
            code.add(runs)
        if not code:
            code.add("app.py")
        code.discard(requirements)
        tracked = [*([requirements] if requirements else []), *sorted(code)]
        analysis = analyse(dockerfile, tracked, code)
        messages.extend(f"{label} line {p.line}: {p.message}" for p in analysis.problems)
        judge = _Judge(analysis, label, values)
        if self.base is not None:
            judge.base(render_value(self.base, values))
        if self.workdir is not None:
            judge.workdir(render_value(self.workdir, values))
        if self.pip_install:
            judge.pip_install(requirements)
        if requirements:
            judge.requirements_first(requirements)
        if self.expose is not None:
            judge.expose(str(render_value(self.expose, values)))
        if self.cmd_exec_form:
            judge.cmd_exec_form()
        if runs:
            judge.runs(runs)
        messages.extend(judge.findings)
        if messages:
            return CheckResult.fail(*_unique(messages))
        return CheckResult.ok()


def _unique(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(messages))


def _clean_relative(path: str) -> str:
    return posixpath.normpath(path.strip()).lstrip("/")


def _missing(ctx: CheckContext, path: str, full: Path) -> str:
    folder = full.parent
    note = ""
    if folder.is_dir():
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        near = [n for n in names if n.lower() == full.name.lower() and n != full.name]
        if near:
            note = f"; there is {folder / near[0]}: the name is {full.name}, exactly"
        elif names:
            note = f"; {folder} holds: {name_list(names)}"
        else:
            note = f"; {folder} is empty"
    else:
        note = f"; there is no folder {folder}"
    return f"Dockerfile not found at {path} (the workspace is {ctx.workspace}){note}"


def _lines(*instructions: Instruction | None) -> str:
    numbers = sorted({i.line for i in instructions if i is not None})
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    return "lines " + ", ".join(str(n) for n in numbers)


class _Judge:
    """The rules; each adds learner-facing findings."""

    def __init__(self, analysis: Analysis, label: str, values: Mapping[str, str]) -> None:
        self.analysis = analysis
        self.final = analysis.final
        self.label = label
        self.findings: list[str] = []
        self.values = values
        self.pip_reported = False

    def say(self, text: str) -> None:
        self.findings.append(f"{self.label}: {text}")

    # -- base -------------------------------------------------------------------------------

    def base(self, wanted: str) -> None:
        final = self.final
        source = final.root.source
        image = final.root_image.strip()
        subject = f"FROM {image} (line {source.line})"
        if len(self.analysis.dockerfile.stages) > 1:
            subject = f"the final image is built FROM {image} (line {source.line})"
        if not image:
            self.say(f"{source.shown} (line {source.line}) names its image with a build "
                     f"argument that has no default; expected a {wanted} image")
            return
        if image == "scratch":
            self.say(f"{subject}, an empty image with no Python in it; expected a {wanted} "
                     f"image, such as {wanted}:3.12-slim")
            return
        problem = reference_problem(image)
        if problem:
            self.say(f"FROM {image} (line {source.line}): {problem}")
            return
        if parse_ref(image).repository != parse_ref(wanted).repository:
            self.say(f"{subject}; expected a {wanted} image (such as {wanted}:3.12-slim), "
                     f"which comes with Python and pip installed")

    # -- workdir ----------------------------------------------------------------------------

    def workdir(self, wanted: bool | str) -> None:
        final = self.final
        code_copy = final.first_code_copy
        if not final.workdirs:
            where = ""
            if code_copy is not None:
                where = (f", so {code_copy.instruction.shown} (line {code_copy.instruction.line}) "
                         f"puts the app's files in / among the system's folders (/etc, /usr, ...)")
            self.say(f"no WORKDIR{where}; add WORKDIR "
                     f"{wanted if isinstance(wanted, str) else '/app'} before copying the code, "
                     f"so the app has its own folder and commands run there")
            return
        first, first_path = final.workdirs[0]
        if not first_path.startswith("/"):
            self.say(f"{first.shown} (line {first.line}) is a relative path: it depends on the "
                     f"base image's working directory; write an absolute path such as "
                     f"WORKDIR /{first_path.strip('./') or 'app'}")
            return
        if code_copy is not None and code_copy.destination == "/":
            copy_ins = code_copy.instruction
            if any(w.line < copy_ins.line for w, _ in final.workdirs):
                self.say(f"{copy_ins.shown} (line {copy_ins.line}) puts the app's files in / "
                         f"among the system's folders; copy them into the WORKDIR instead "
                         f"(COPY . .)")
                return
            later = [w for w, _ in final.workdirs if w.line > code_copy.instruction.line]
            after = f"; WORKDIR comes only after it ({_lines(*later)})" if later else ""
            self.say(f"{code_copy.instruction.shown} (line {code_copy.instruction.line}) runs "
                     f"before any WORKDIR, so the app's files land in / among the system's "
                     f"folders{after}; set WORKDIR before copying the code")
            return
        if isinstance(wanted, str):
            expected = posixpath.normpath(wanted)
            if final.workdir != expected:
                last, _ = final.workdirs[-1]
                self.say(f"the working directory is {final.workdir} ({last.shown}, line "
                         f"{last.line}); expected WORKDIR {expected}")

    # -- pip --------------------------------------------------------------------------------

    def _pips(self) -> list[PipStep]:
        """pip installs that count: in the final stage's chain or in stages it copies from."""
        seen: dict[tuple, PipStep] = {}
        for state in self.analysis.contributing():
            for step in state.pips:  # a stage built FROM another repeats that one's steps
                key = (step.instruction.line, step.install)
                seen.setdefault(key, step)
        return sorted(seen.values(), key=lambda s: s.instruction.line)

    def _unused_stage_note(self) -> str:
        used = {s.stage for s in self.analysis.contributing()}
        for state in self.analysis.states:
            if state.stage not in used:
                for step in state.pips:
                    if step.stage == state.stage:
                        stage = self.analysis.dockerfile.stages[state.stage]
                        return (f" (line {step.instruction.line} installs in {stage.label}, "
                                f"but the final image neither builds on that stage nor copies "
                                f"from it)")
        return ""

    def pip_install(self, requirements: str | None) -> None:
        wanted = requirements or "requirements.txt"
        pips = self._pips()
        with_file = [p for p in pips if p.install.requirements]
        if with_file:
            return
        self.pip_reported = True
        if pips:
            step = pips[0]
            shown = f"{step.instruction.shown} (line {step.instruction.line})"
            if step.install.packages:
                what = f"installs {' '.join(step.install.packages)} by name"
            else:
                what = f"runs pip install without -r {wanted}"
            self.say(f"{shown} {what}; install what the app lists with pip install -r {wanted}, "
                     f"so the image gets exactly the packages in {wanted}")
            return
        self.say(f"no RUN installs the app's packages (pip install -r {wanted})"
                 f"{self._unused_stage_note()}, so they are missing when the app starts")

    def requirements_first(self, requirements: str) -> None:
        pips = [p for p in self._pips() if p.install.requirements]
        if not pips:
            if self.pip_reported:
                return  # pip_install already said so
            self.say(f"no RUN pip install -r {requirements}{self._unused_stage_note()}, so the "
                     f"app's packages are not installed")
            return
        # Judge the install of this requirements file (or the first -r install).
        base_name = posixpath.basename(requirements)
        chosen = next((p for p in pips if any(posixpath.basename(r) == base_name
                                              for r in p.install.requirements)), pips[0])
        run = chosen.instruction
        if chosen.code_copy is not None:
            copy_ins = chosen.code_copy.instruction
            self.say(f"the code is copied ({copy_ins.shown} on line {copy_ins.line}) before pip "
                     f"install runs (line {run.line}): every code change invalidates Docker's "
                     f"build cache from line {copy_ins.line} on, so pip install re-runs and "
                     f"downloads everything again. Copy {requirements} and install first, then "
                     f"copy the rest.")
            return
        wanted_paths = [path for path, tracked in chosen.files.items() if tracked == requirements]
        for argument in chosen.install.requirements:
            resolved = posixpath.normpath(posixpath.join(chosen.workdir, argument))
            if chosen.files.get(resolved) == requirements:
                return
        argument = chosen.install.requirements[0]
        resolved = posixpath.normpath(posixpath.join(chosen.workdir, argument))
        if wanted_paths:
            copied = sorted(wanted_paths)[0]
            origin = self._origin_of(copied)
            self.say(f"pip install -r {argument} (line {run.line}) reads {resolved}, but "
                     f"{requirements} was copied to {copied}"
                     f"{f' ({origin.shown}, line {origin.line})' if origin else ''}; "
                     f"the build would stop there")
        else:
            self.say(f"{requirements} is not copied into the image before pip install -r "
                     f"{argument} runs (line {run.line}), so the build would stop there; add "
                     f"COPY {requirements} . before that RUN")

    def _origin_of(self, path: str) -> Instruction | None:
        for state in self.analysis.states:
            if path in state.origin:
                return state.origin[path]
        return None

    # -- expose -----------------------------------------------------------------------------

    def expose(self, wanted: str) -> None:
        port_text, _, proto = wanted.partition("/")
        try:
            port = int(port_text)
        except ValueError:
            self.say(f"cannot check EXPOSE: {wanted!r} is not a port")
            return
        proto = (proto or "tcp").lower()
        shown = f"{port}" if proto == "tcp" else f"{port}/{proto}"
        found = self.final.exposes
        if any(low <= port <= high and p == proto for low, high, p, _ in found):
            return
        if found:
            listed = ", ".join(dict.fromkeys(
                f"EXPOSE {' '.join(i.rest.split())} on line {i.line}" for *_, i in found))
            self.say(f"no EXPOSE {shown} (found {listed}); the app listens on port {port}, and "
                     f"EXPOSE {shown} records that (docker run -P publishes it)")
            return
        elsewhere = [i for state in self.analysis.states if state.stage != self.final.stage
                     for low, high, p, i in state.exposes if low <= port <= high]
        note = ""
        if elsewhere:
            note = (f" (line {elsewhere[0].line} is in an earlier stage, which does not carry "
                    f"into the final image)")
        self.say(f"no EXPOSE {shown}{note}; the app listens on port {port}, and EXPOSE {shown} "
                 f"records that (docker run -P publishes it)")

    # -- CMD --------------------------------------------------------------------------------

    def _no_command(self) -> None:
        self.say('no CMD, so the container would run the base image\'s default command (for '
                 'the python image, a Python prompt) instead of the app; add CMD '
                 '["python", "app.py"]')

    def cmd_exec_form(self) -> None:
        command = start_command(self.final)
        if command is None:
            self._no_command()
            return
        if command.problem:
            self.say(command.problem)

    def runs(self, runs: str) -> None:
        command = start_command(self.final)
        if command is None:
            self._no_command()
            return
        via = command.via
        if command.broken and command.problem:
            self.say(command.problem)  # it would not start at all
            return
        argv = list(command.argv)
        cwd = self.final.workdir
        if command.shell_script is not None:
            commands = shell_commands(command.shell_script)
            argv = []
            for words in commands:
                words = strip_prefixes(words)
                if words[:1] == ["cd"] and len(words) > 1:
                    cwd = posixpath.normpath(posixpath.join(cwd, words[1]))
                elif words:
                    argv = words
        shown = f"{via.shown} (line {via.line})"
        target = _app_target(argv, self.final.env)
        landings = sorted(p for p, t in self.final.files.items() if t == runs)
        if target is None:
            self.say(f"{shown} does not run {runs}; expected it to start the app with "
                     f'CMD ["python", "{posixpath.basename(runs)}"]')
            return
        kind, value, problem = target
        if problem:
            self.say(f"{shown}: {problem}")
            return
        if kind == "module":
            candidates = [posixpath.join(cwd, value.replace(".", "/") + ".py")]
            display = value
        elif kind == "auto":
            candidates = [posixpath.join(cwd, "app.py"), posixpath.join(cwd, "wsgi.py")]
            display = "app.py (found by flask run)"
        else:
            candidates = [posixpath.normpath(posixpath.join(cwd, value))]
            display = value
        candidates = [posixpath.normpath(c) for c in candidates]
        if any(c in landings for c in candidates):
            return
        file_name = posixpath.basename(runs)
        if not any(posixpath.basename(c) == file_name for c in candidates):
            self.say(f"{shown} runs {display}; expected it to run {runs}")
            return
        if not landings:
            self.say(f"{runs} is never copied into the image, so {shown} has nothing to run; "
                     f"copy the code with COPY . . (after WORKDIR)")
            return
        origin = self._origin_of(landings[0])
        where = f" ({origin.shown}, line {origin.line})" if origin else ""
        self.say(f"{shown} runs {candidates[0]}, but {runs} was copied to {landings[0]}{where}; "
                 f"the container would stop with \"No such file or directory\"")


_PYTHON_VALUE_OPTIONS = {"-W", "-X", "--check-hash-based-pycs"}


def _app_target(argv: list[str], env: Mapping[str, str]
                ) -> tuple[str, str, str | None] | None:
    """What the command starts: ("file", path) / ("module", name) / ("auto", "")."""
    for position, word in enumerate(argv):
        program = posixpath.basename(word)
        if _PYTHON.fullmatch(program):
            rest = argv[position + 1:]
            index = 0
            while index < len(rest) and rest[index].startswith("-") and rest[index] != "-m":
                index += 2 if rest[index] in _PYTHON_VALUE_OPTIONS else 1
            if index >= len(rest) or rest[index] == "-c":
                return None
            if rest[index] == "-m":
                if index + 1 >= len(rest):
                    return None
                module = rest[index + 1]
                if module == "flask":
                    return _flask_target(rest[index + 2:], env)
                return "module", module, None
            return "file", rest[index], None
        if program == "flask":
            return _flask_target(argv[position + 1:], env)
    return None


def _flask_target(args: list[str], env: Mapping[str, str]) -> tuple[str, str, str | None] | None:
    app = env.get("FLASK_APP")
    host = env.get("FLASK_RUN_HOST")
    command = None
    index = 0
    while index < len(args):
        word = args[index]
        if word in ("--app", "-A") and index + 1 < len(args):
            app = args[index + 1]
            index += 2
            continue
        if word.startswith("--app="):
            app = word.partition("=")[2]
        elif command is None and not word.startswith("-"):
            command = word
        elif command == "run" and word in ("--host", "-h") and index + 1 < len(args):
            host = args[index + 1]
            index += 2
            continue
        elif command == "run" and word.startswith("--host="):
            host = word.partition("=")[2]
        index += 1
    if command != "run":
        return None
    if host not in ("0.0.0.0", "::"):
        return ("file", "", "flask run listens only on 127.0.0.1 inside the container, so a "
                            "published port reaches nothing; add --host 0.0.0.0, or run "
                            "python app.py")
    if not app:
        return "auto", "", None
    module = app.split(":", 1)[0].strip()
    if module.endswith(".py"):
        return "file", module, None
    return "module", module, None


# =============================================================================================
# Parsing the check from lesson YAML
# =============================================================================================

_PORT_TEXT = re.compile(r"\s*(\d+)\s*(/\s*(tcp|udp|sctp))?\s*", re.I)


def parse_dockerfile(value: Any, pc: ParseContext) -> DockerfileCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    path = fields.template_text("path")
    base = fields.template_text("base", required=False)
    if base is not None and not has_placeholder(base):
        problem = reference_problem(base.strip())
        if problem:
            fields.field_problem("base", problem)
        elif "@" in base or base.rfind(":") > base.rfind("/"):
            fields.field_problem("base", f"'{base}' names a tag or digest; give just the image "
                                         f"repository, such as python (any tag passes)")
    workdir = _flag_or_path(pc, fields, "workdir", absolute=True,
                            example="an absolute path such as /app")
    requirements = _flag_or_path(pc, fields, "requirements_first", absolute=False,
                                 example="a file of the build context such as requirements.txt",
                                 default="requirements.txt")
    pip_install = fields.flag("pip_install")
    expose = _read_port(pc, fields)
    cmd_exec_form = fields.flag("cmd_exec_form")
    runs = fields.template_text("runs", required=False)
    if runs is not None and not has_placeholder(runs) and runs.strip().startswith("/"):
        fields.field_problem("runs", f"'{runs}' must be a file of the build context (relative to "
                                     f"the Dockerfile's folder), such as app.py")
    fields.finish()
    if len(pc.problems) != before or path is None:
        return None
    return DockerfileCheck(path=path, base=base.strip() if base else None, workdir=workdir,
                           requirements_first=requirements, pip_install=pip_install,
                           expose=expose, cmd_exec_form=cmd_exec_form,
                           runs=runs.strip() if runs else None)


def _flag_or_path(pc: ParseContext, fields: Any, name: str, absolute: bool, example: str,
                  default: str | None = None) -> bool | str | None:
    value = fields.raw(name)
    if value is MISSING or value is False:
        return None
    if value is True:
        return default if default is not None else True
    if not isinstance(value, str) or not value.strip():
        fields.field_problem(name, f"must be true or {example}, found {describe_type(value)}")
        return None
    if not pc.check_placeholders(value, pc.where.at_field(name), fields.line_of(name)):
        return None
    text = value.strip()
    if has_placeholder(text):
        return text
    if absolute and not text.startswith("/"):
        fields.field_problem(name, f"'{text}' must be {example} (or true)")
        return None
    if not absolute and text.startswith("/"):
        fields.field_problem(name, f"'{text}' must be {example}, relative to the Dockerfile's "
                                   f"folder")
        return None
    return text


def _read_port(pc: ParseContext, fields: Any) -> int | str | None:
    value = fields.raw("expose")
    if value is MISSING:
        return None
    if isinstance(value, str) and has_placeholder(value):
        ok = pc.check_placeholders(value, pc.where.at_field("expose"), fields.line_of("expose"))
        return value.strip() if ok else None
    if isinstance(value, str):
        match = _PORT_TEXT.fullmatch(value)
        if not match:
            fields.field_problem("expose", f"'{value}' is not a port such as 5000 or 5000/tcp")
            return None
        number = int(match.group(1))
        text = f"{number}/{match.group(3).lower()}" if match.group(3) else str(number)
    elif isinstance(value, int) and not isinstance(value, bool):
        number, text = value, value
    else:
        fields.field_problem("expose", f"must be a port such as 5000 or 5000/tcp, found "
                                       f"{describe_type(value)}")
        return None
    if not 0 < number <= 65535:
        fields.field_problem("expose", f"must be between 1 and 65535, found {number}")
        return None
    return text
