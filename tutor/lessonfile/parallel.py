"""Many lesson files parsed at once, one process per core, into the parse cache.

``lint`` and the background parse (tutor.lessonfile.fill) validate every file; with a
cold cache that is a few milliseconds a lesson, nearly all of it Python and libyaml
holding one core. Forked workers parse the files in small shares, each taking the next
as it finishes one; they write the lessons' steps into the cache folder as the parent
would (``ParseCache.put``) and send back only the index entries: the lessons without
their steps, their problems and warnings.

Used only where forking is safe and cheap (Linux, no other thread running), with a
cache folder to write to, and for enough files to pay for the workers.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

from tutor.lessonfile.cache import CachedFile, ParseCache

# Fewer missing files than this are parsed in the process itself: starting workers and
# sending their results back costs about as much as parsing a few dozen lessons.
PARALLEL_AT = 40
# Files go out in shares, several per worker; each share is a round trip to a worker,
# not worth making for fewer files than SMALLEST_SHARE.
SHARES_PER_WORKER = 8
SMALLEST_SHARE = 10


def worker_count(missing: int, cache: ParseCache) -> int:
    """How many workers to parse ``missing`` files with; 0 or 1: parse them here."""
    if missing < PARALLEL_AT or cache.folder is None or not sys.platform.startswith("linux"):
        return 0
    if not _alone():
        return 0  # a forked child would inherit another thread's locks mid-use
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(cores, missing // (PARALLEL_AT // 2))


def _alone() -> bool:
    """No thread runs but this one."""
    return threading.active_count() == 1


def parse_into_cache(paths: list[Path], cache: ParseCache) -> None:
    """Parse the files (none of them in the cache) in workers, and keep their results
    in ``cache`` as if each had been parsed here."""
    workers = worker_count(len(paths), cache)
    if workers < 2:
        return
    import gc
    import multiprocessing

    import tutor.lessonfile.lesson_file  # noqa: F401  (once, here: every worker inherits it)

    assert cache.folder is not None
    # Several small shares per worker, handed out as workers finish: a worker slowed by
    # the machine's other work (or given the longer files) does not hold up the end.
    size = max(SMALLEST_SHARE, len(paths) // (workers * SHARES_PER_WORKER))
    shares = [paths[start:start + size] for start in range(0, len(paths), size)]
    context = multiprocessing.get_context("fork")
    try:
        # A worker lives only for this parse, and parsing makes almost no cyclic garbage:
        # the collector's passes over the heap the worker inherited would be wasted.
        with context.Pool(workers, initializer=gc.disable) as pool:
            parsed = pool.starmap(_parse_share, [(cache.folder, share) for share in shares],
                                  chunksize=1)
    except (OSError, RuntimeError):
        return  # no workers to be had: the files are parsed one by one as before
    for entries in parsed:
        for name, entry in entries:
            cache.files[name] = entry
    cache.changed = True


def _parse_share(folder: Path, paths: list[Path]) -> list[tuple[str, CachedFile]]:
    from tutor.lessonfile.lesson_file import load_lesson

    share = ParseCache(folder)
    for path in paths:
        problems: list[Any] = []
        warnings: list[Any] = []
        lesson = load_lesson(path, problems, warnings)
        share.put(path, lesson, problems, warnings)
    return list(share.files.items())
