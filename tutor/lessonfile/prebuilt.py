"""The shipped course, parsed when the wheel is built, so a learner's very first start
opens it as fast as every later one.

Without it a new data directory has an empty parse cache: the first start imports every
step type and check and validates all lessons before its greeting (about half a
start's time). The wheel's build hook (``scripts/hatch_build.py``) writes the parse of
the shipped lessons next to them (``tutor/_lessons_parsed``), in the parse cache's own
shape; the first start copies it into the learner's cache.

It is used only when it describes what is installed: the tutor's version, the cache
format, the names and sizes of the tutor's source files and each lesson file's own
digest must all match what the build saw; any lesson file that differs is parsed as
usual.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tutor
from tutor.lessonfile.cache import UNREADABLE, installed_sources, source_stats

if TYPE_CHECKING:
    from tutor.schema.location import LessonProblem

PACKAGE_DIR = Path(tutor.__file__).resolve().parent
PREBUILT_DIR = PACKAGE_DIR / "_lessons_parsed"
SHIPPED_LESSONS_DIR = PACKAGE_DIR / "_lessons"  # where the wheel puts lessons/
INDEX_NAME = "index.pickle"
PREBUILT_FORMAT = 1


def source_digest(package_dir: Path | None = None) -> str:
    """The digest of the tutor's source files' names and sizes (this tutor's, or the one
    at ``package_dir``): the same for a checkout and the wheel built from it (unlike their
    times, which installing changes), and read with one ``stat`` a file (reading every
    file would cost a first start more than a tenth of what the build's parse saves it)."""
    digest = hashlib.sha1()
    stats = installed_sources() if package_dir is None else source_stats(package_dir)
    for relative, size, _mtime_ns in stats:
        digest.update(f"{relative}:{size}\n".encode())
    return digest.hexdigest()


def _file_digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def write_prebuilt(lessons_dir: Path, out_dir: Path, package_dir: Path | None = None) -> int:
    """Parse the lessons in ``lessons_dir`` into ``out_dir`` (the build hook); returns how
    many files it holds. A file with problems is left out: it is parsed, and its
    problems said, on the learner's machine as they would be without this."""
    from tutor.lessonfile.lesson_file import load_lesson
    from tutor.lessonfile.yamlfile import COURSE_FILE, read_course_file

    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[str, Any]] = {}
    course_path = lessons_dir / COURSE_FILE
    data, course_problems = read_course_file(course_path)
    if data is not None and not course_problems:
        files[COURSE_FILE] = (_file_digest(course_path.read_bytes()), (data, []))
    for path in sorted(lessons_dir.glob("*.yaml")):
        if path.name == COURSE_FILE:
            continue
        problems: list[LessonProblem] = []
        warnings: list[LessonProblem] = []
        lesson = load_lesson(path, problems, warnings)
        if lesson is None or problems or warnings:
            continue
        steps_name = f"{path.stem}.steps"
        with open(out_dir / steps_name, "wb") as handle:
            pickle.dump(tuple(lesson.steps), handle, protocol=pickle.HIGHEST_PROTOCOL)
        # Paths are the build's: kept as names here, made whole again where installed.
        header = dataclasses.replace(lesson, steps=(), source=None)
        files[path.name] = (_file_digest(path.read_bytes()),
                            (header, steps_name, len(lesson.steps)))
    index = {"format": PREBUILT_FORMAT, "version": tutor.__version__,
             "code": source_digest(package_dir), "files": files}
    with open(out_dir / INDEX_NAME, "wb") as handle:
        pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return len(files)


def seeded_results(lessons_dir: Path, prebuilt_dir: Path | None = None,
                   shipped_dir: Path | None = None,
                   package_dir: Path | None = None) -> dict[Path, Any]:
    """For the shipped lessons, the build's parse of each file that is unchanged since:
    the parse cache's result per file (none: the lessons are parsed as usual). The
    folders default to the installed package's."""
    from tutor.course.lesson import LazySteps

    prebuilt_dir = prebuilt_dir or PREBUILT_DIR
    shipped_dir = shipped_dir or SHIPPED_LESSONS_DIR
    try:
        if lessons_dir.resolve() != shipped_dir.resolve():
            return {}
        with open(prebuilt_dir / INDEX_NAME, "rb") as handle:
            index = pickle.load(handle)
    except UNREADABLE:
        return {}  # a checkout (no build), or a damaged install: parse as usual
    if not (isinstance(index, dict) and index.get("format") == PREBUILT_FORMAT
            and index.get("version") == tutor.__version__
            and index.get("code") == source_digest(package_dir)):
        return {}
    found: dict[Path, Any] = {}
    for name, (digest, result) in index.get("files", {}).items():
        path = lessons_dir / name
        try:
            if _file_digest(path.read_bytes()) != digest:
                continue  # edited since the build
        except OSError:
            continue
        if isinstance(result, tuple) and len(result) == 3:
            header, steps_name, length = result
            lesson = dataclasses.replace(header, source=path,
                                         steps=LazySteps(length, prebuilt_dir / steps_name))
            result = (lesson, [], [])
        found[path] = result
    return found
