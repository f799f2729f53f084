"""Advice on a Dockerfile's text that must come before any build: the dependency
manifest is copied and installed before the rest of the source, so a code change
does not re-run the install.

Everything else about a Dockerfile is judged on the image the engine builds from
it (``tutor.checks.dockerfile``). The text is read with the maintained parser
dockerfile-parse (continuation lines, comments, the escape directive, instructions
in any case); which file is the manifest and which RUN installs it, the lesson says.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from tutor.checks.base import CheckValueError, excerpt


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case
    args: str  # continuation lines joined
    line: int  # 1-based

    @property
    def shown(self) -> str:
        return excerpt(f"{self.keyword} {' '.join(self.args.split())}", 80)


def read_instructions(text: str) -> list[Instruction]:
    # Loaded here, when a Dockerfile is judged: nothing before the first prompt needs it.
    from dockerfile_parse import DockerfileParser

    parser = DockerfileParser(fileobj=io.BytesIO(text.encode()), env_replace=False)
    return [Instruction(item["instruction"], item["value"], item["startline"] + 1)
            for item in parser.structure if item["instruction"] != "COMMENT"]


def copy_sources(instruction: Instruction) -> list[str]:
    """What a COPY/ADD takes from the build context (nothing for --from or a URL)."""
    args = instruction.args.strip()
    flags = re.match(r"(--\S+\s+)*", args)
    rest = args[flags.end():] if flags else args
    if flags and "--from" in flags.group(0):
        return []
    words: list[str] = []
    if rest.startswith("["):
        try:
            words = [str(word) for word in json.loads(rest)]
        except ValueError:
            words = []
    words = words or rest.split()
    return [posixpath.normpath(word).lstrip("/") or "." for word in words[:-1]
            if "://" not in word]


def _brings(source: str, manifest: str, context: Path) -> bool:
    """True when copying ``source`` puts ``manifest`` into the image."""
    if source in (".", manifest) or manifest.startswith(source + "/"):
        return True
    return _is_glob(source) and manifest in _matches(source, context)


def _copies_more(source: str, manifests: tuple[str, ...], context: Path) -> bool:
    """True when ``source`` brings files of the context other than the manifests (a
    source that is not there brings nothing: the build says so)."""
    if not _is_glob(source):
        return source not in manifests and (context / source).exists()
    return bool(_matches(source, context) - set(manifests))


def _is_glob(source: str) -> bool:
    return any(char in source for char in "*?[")


def _matches(pattern: str, context: Path) -> set[str]:
    if ".." in pattern.split("/"):
        return set()
    return {path.relative_to(context).as_posix() for path in context.glob(pattern)}


def install_findings(instructions: list[Instruction], manifests: tuple[str, ...],
                     install: str, context: Path) -> list[str]:
    """What is wrong with the order of the manifest, its install and the rest of the source."""
    listed = " and ".join(manifests)
    try:
        pattern = re.compile(install)
    except re.error as error:  # a placeholder rendered into something that is no pattern
        raise CheckValueError(f"install.run {install!r} is not a regular expression: "
                              f"{error}") from None
    runs = [i for i, ins in enumerate(instructions)
            if ins.keyword == "RUN" and pattern.search(ins.args)]
    if not runs:
        return [f"no RUN installs the dependencies that {listed} lists"]

    def copies_before(index: int) -> list[Instruction]:
        start = max((i for i in range(index) if instructions[i].keyword == "FROM"), default=-1)
        return [ins for ins in instructions[start + 1:index] if ins.keyword in ("COPY", "ADD")]

    def missing(index: int) -> list[str]:
        sources = [s for ins in copies_before(index) for s in copy_sources(ins)]
        return [m for m in manifests if not any(_brings(s, m, context) for s in sources)]

    # The install is the first such RUN once the manifest is in (a `pip install --upgrade
    # pip` before that is not it), else the first one.
    chosen = next((i for i in runs if not missing(i)), runs[0])
    run = instructions[chosen]
    findings = []
    absent = missing(chosen)
    if absent:
        findings.append(
            f"{' and '.join(absent)} is not in the image yet when the install runs "
            f"({run.shown}, line {run.line}); copy it in before, such as COPY {absent[0]} ., "
            f"so the install gets what it lists")
    early = [ins for ins in copies_before(chosen)
             if any(_copies_more(s, manifests, context) for s in copy_sources(ins))]
    if early:
        first = early[0]
        findings.append(
            f"{first.shown} (line {first.line}) copies more than {listed} before the install "
            f"({run.shown}, line {run.line}), so the install re-runs on every code change: "
            f"a change to any file it copies invalidates Docker's build cache from line "
            f"{first.line} on. Copy {listed} alone, install, then copy the rest.")
    return findings
