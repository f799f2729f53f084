"""How well and how fast the tutor answers questions from the lessons.

    python benchmarks/bench_knowledge.py [--lessons 1000]

Prints one table: import times (fresh interpreters), index build time, answer time
per question and hit rates on the shipped course, then the same with N synthetic
lessons (the shipped ones varied, written to a temp dir and loaded with
load_course). Goals: < 50 ms per question on the shipped course, < 200 ms with
1,000 lessons. A benchmark, not a test: nothing here asserts a duration.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from tutor.knowledge import KnowledgeIndex  # noqa: E402
from tutor.lessonfile.loader import load_course  # noqa: E402

QUESTIONS = REPO / "tests" / "data" / "knowledge_questions.yaml"
ROWS: list[tuple[str, str]] = []


def row(name: str, value: str) -> None:
    ROWS.append((name, value))
    print(f"  {name:<46} {value}", flush=True)


def import_time(module: str, after: str = "") -> float | None:
    """Median seconds to import ``module`` in a fresh interpreter, once ``after`` is
    imported (None: not installed)."""
    code = (f"import time{', ' + after if after else ''}; t = time.perf_counter(); "
            f"import {module}; print(time.perf_counter() - t)")
    times = []
    for _ in range(5):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=REPO)
        if done.returncode != 0:
            return None
        times.append(float(done.stdout))
    return statistics.median(times)


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def answer_times(index: KnowledgeIndex, questions: list[str]) -> list[float]:
    times = []
    for question in questions:
        _, seconds = timed(index.ask, question)
        times.append(seconds)
    return times


def hit_rates(index: KnowledgeIndex, items: list[dict]) -> tuple[float, float]:
    top1 = top3 = 0
    for item in items:
        sources = [p.source for p in index.ask(item["q"], limit=3).passages]
        top1 += bool(sources) and sources[0] in item["expect"]
        top3 += any(source in item["expect"] for source in sources)
    return top1 / len(items), top3 / len(items)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def synthetic_course(target: Path, count: int) -> None:
    """``count`` lessons made from the shipped ones: new ids and titles, words swapped
    between lessons, so the vocabulary and lengths stay realistic."""
    shipped = sorted(p for p in (REPO / "lessons").glob("*.yaml") if p.name != "course.yaml")
    texts = [p.read_text(encoding="utf-8") for p in shipped]
    pool = sorted({w for t in texts for w in re.findall(r"\b[a-z]{5,}\b", t)})
    rng = random.Random(7)
    ids = []
    for number in range(count):
        source = shipped[number % len(shipped)]
        text = texts[number % len(shipped)]
        lesson_id = f"{source.stem}-{number:04d}"
        text = re.sub(r"^id: .*$", f"id: {lesson_id}", text, count=1, flags=re.M)
        title = re.search(r"^title: (.*)$", text, flags=re.M)
        assert title is not None
        text = text.replace(title.group(0),
                            f'title: "{title.group(1).strip(chr(34))} ({number})"', 1)
        text = re.sub(r"^requires: .*$", "requires: []", text, count=1, flags=re.M)
        # Vary the prose: swap some words of "text:" lines for others from the course.
        text = re.sub(r"(?m)^(\s+)([A-Z][a-z]+ [a-z]+ )([a-z]{5,})\b",
                      lambda m: m.group(1) + m.group(2) + rng.choice(pool), text)
        (target / f"{lesson_id}.yaml").write_text(text, encoding="utf-8")
        ids.append(lesson_id)
    course = "title: Synthetic\nlessons:\n" + "".join(f"  - {i}\n" for i in ids)
    (target / "course.yaml").write_text(course, encoding="utf-8")


def measure(label: str, course_dir: Path, data: dict, quality: bool) -> None:
    course, seconds = timed(load_course, course_dir)
    row(f"{label}: lessons loaded (load_course)", f"{len(course.lessons)} in {seconds:.2f} s")
    index, seconds = timed(KnowledgeIndex.build, course)
    row(f"{label}: index build", f"{seconds:.2f} s ({len(index.passages)} passages)")
    questions = [i["q"] for i in data["answered"] + data["fresh"]] + data["unanswered"]
    times = answer_times(index, questions)
    times.sort()
    row(f"{label}: answer time median / p95 / max",
        f"{ms(statistics.median(times))} / {ms(times[int(len(times) * 0.95)])} / {ms(times[-1])}")
    if quality:
        top1, top3 = hit_rates(index, data["answered"])
        row(f"{label}: calibration set top-1 / top-3", f"{top1:.1%} / {top3:.1%} "
            f"({len(data['answered'])} questions)")
        top1, top3 = hit_rates(index, data["fresh"])
        row(f"{label}: untuned set top-1 / top-3", f"{top1:.1%} / {top3:.1%} "
            f"({len(data['fresh'])} questions)")
        wrong = sum(index.ask(q).found for q in data["unanswered"])
        row(f"{label}: unrelated questions answered anyway",
            f"{wrong} of {len(data['unanswered'])}")


def compare_rank_bm25(course_dir: Path) -> None:
    """The same documents scored by rank-bm25, if it is installed (it is not a dependency)."""
    try:
        from rank_bm25 import BM25Okapi
    except ImportError:
        return
    from tutor.knowledge.corpus import course_units

    course = load_course(course_dir)
    index = KnowledgeIndex.build(course)
    # The passages the index keeps: those with words of their own.
    documents = [terms for terms in (index.words.terms(unit.searched_text)
                                     for unit in course_units(course)) if terms]
    bm25, seconds = timed(BM25Okapi, documents)
    row("rank-bm25 on the same passages: build", f"{seconds:.2f} s")
    query = index.words.terms("how do i publish a port of a container")
    _, seconds = timed(bm25.get_scores, query)
    row("rank-bm25: score one 3-term question", ms(seconds))
    _, seconds = timed(index.ask, "how do i publish a port of a container")
    row("this index (pure-Python BM25): answer the same question", ms(seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000, help="synthetic lessons to load")
    args = parser.parse_args()
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    print("knowledge benchmark")
    seconds = import_time("tutor.knowledge", after="tutor.repl.loop, tutor.lessonfile.loader")
    row("import tutor.knowledge (after the REPL and loader)", ms(seconds or 0))
    for module in ("numpy", "bm25s", "rank_bm25", "rapidfuzz", "Stemmer"):
        seconds = import_time(module)
        row(f"import {module}", "not installed" if seconds is None else ms(seconds))
    measure("shipped course", REPO / "lessons", data, quality=True)
    with tempfile.TemporaryDirectory() as temp:
        synthetic_course(Path(temp), args.lessons)
        measure(f"{args.lessons} lessons", Path(temp), data, quality=False)
        compare_rank_bm25(Path(temp))


if __name__ == "__main__":
    main()


def bench_rows(reps: int) -> list:
    """The rows ``scripts/bench`` prints (benchmarks/run.py): answer time and hit rates on
    the shipped course, answer time with 1,000 lessons."""
    from report import Result, percentile, seconds

    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    questions = [i["q"] for i in data["answered"] + data["fresh"]] + data["unanswered"]
    results = []
    index = KnowledgeIndex.build(load_course(REPO / "lessons"))
    times = [t for _ in range(reps) for t in answer_times(index, questions)]
    p95 = percentile(times, 0.95)
    results.append(Result("answer a question, shipped course (p95)", seconds(p95),
                          compared=f"{len(questions)} questions × {reps}", goal="< 50 ms",
                          meets=p95 < 0.05))
    top1, top3 = hit_rates(index, data["answered"])
    results.append(Result("questions answered from the right passage (top-1 / top-3)",
                          f"{top1:.0%} / {top3:.0%}",
                          compared=f"{len(data['answered'])} phrasings",
                          goal="≥ 90% / ≥ 98%", meets=top1 >= 0.9 and top3 >= 0.98))
    with tempfile.TemporaryDirectory() as temp:
        synthetic_course(Path(temp), 1000)
        big = KnowledgeIndex.build(load_course(Path(temp)))
        times = answer_times(big, questions)
    p95 = percentile(times, 0.95)
    results.append(Result("answer a question, 1,000 lessons (p95)", seconds(p95),
                          goal="< 200 ms", meets=p95 < 0.2))
    return results
