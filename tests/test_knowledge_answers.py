"""tutor.knowledge: what the REPL gets back when a learner asks a question."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import REPO, SHIPPED_LESSONS, dedent, write_course

from tutor.knowledge import BackgroundIndex, KnowledgeIndex
from tutor.knowledge.corpus import course_units
from tutor.knowledge.markdown import split_blocks
from tutor.lessonfile.loader import load_course

PLACEHOLDER_LESSON = dedent(
    """
    id: ports
    title: Ports
    summary: Publishing ports.
    vars:
      zebraport: { free_port: 4321 }
    steps:
      - id: publish
        type: say
        text: |
          ## Publishing

          Publish the port with `-p {{ zebraport }}:80`, then open {{ zebraport }}.

          - A published port is reachable from the host: connections to it are
            forwarded into the container, to the web server listening inside it.
          - A port that is not published is reachable only from other containers on
            the same network, never from the host itself or from other machines.
    glossary:
      - term: port publishing
        aliases: [publish a port]
        text: Making a container's port reachable from the host.
        step: publish
    """
)


@pytest.fixture(scope="module")
def shipped():
    return KnowledgeIndex.build(load_course(SHIPPED_LESSONS))


@pytest.fixture
def ports_course(tmp_path: Path):
    course = load_course(write_course(tmp_path / "lessons", {"ports": PLACEHOLDER_LESSON}))
    assert course.problems == ()
    return course


@pytest.fixture
def ports(ports_course) -> KnowledgeIndex:
    return KnowledgeIndex.build(ports_course)


def test_an_answer_quotes_lesson_passages_best_first(shipped):
    answer = shipped.ask("whats the diff between an image and a container", limit=3)
    assert answer.found
    assert 1 <= len(answer.passages) <= 3
    scores = [passage.score for passage in answer.passages]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    best = answer.passages[0]
    assert best.lesson_id == "what-is-docker" and best.lesson_title == "What Docker is"
    assert best.kind in {"glossary", "say"}
    assert "image" in best.text.lower() and "container" in best.text.lower()
    assert answer.closest_lessons[0].lesson_id == "what-is-docker"


def test_a_passage_knows_its_step_and_says_where_it_is_from(shipped):
    passage = next(p for p in shipped.ask("what is a dangling image", limit=5).passages
                   if p.lesson_id == "build-and-push" and p.kind != "glossary")
    assert (passage.lesson_id, passage.step_id, passage.step_number) == (
        "build-and-push", "dangling", 4)
    assert passage.source == "build-and-push/dangling"
    assert passage.label == "Building and pushing an image, step 4"
    assert passage.context.startswith("Someone ran `docker build .` without `-t`")
    glossary = shipped.ask("what is a dangling image").passages[0]
    assert (glossary.kind, glossary.source, glossary.step_id) == (
        "glossary", "glossary/dangling image", "dangling")
    assert glossary.label == "dangling image (Building and pushing an image, step 4)"


def test_a_task_passage_carries_its_solution(shipped):
    tasks = [p for p in shipped.ask("how do i copy a file into a container", limit=5).passages
             if p.kind == "task"]
    assert tasks and tasks[0].example.startswith("docker cp notes.txt box:/tmp/notes.txt")


def test_unrelated_questions_are_not_found(shipped):
    for question in ("how do I cook pasta", "kubernetes helm chart", "what time is it", "",
                     "???", "the the the"):
        answer = shipped.ask(question)
        assert not answer.found and answer.passages == (), question


def test_a_partly_answered_question_names_the_closest_lessons(shipped):
    answer = shipped.ask("kubernetes helm chart")
    assert not answer.found
    assert "life-before-and-after-containers" in [m.lesson_id for m in answer.closest_lessons]
    assert shipped.ask("who won the world cup").closest_lessons == ()


def test_misspelt_and_short_words_are_read_as_meant(shipped):
    answer = shipped.ask("wht is the dokcer deamon")
    assert answer.found
    assert ("dokcer", "docker") in answer.corrections
    assert answer.passages[0].source == "glossary/Docker Engine"
    assert [c.word for c in shipped.read("diff btw img and ctr").concepts] == ["img", "ctr"]
    assert shipped.ask("diff btw img and ctr").passages[0].source in {
        "glossary/image", "glossary/container", "what-is-docker/images-and-containers"}


def test_limit_caps_the_number_of_steps_quoted(shipped):
    assert len(shipped.ask("how do i push an image", limit=1).passages) == 1
    assert len(shipped.ask("how do i push an image", limit=5).passages) <= 5


def test_placeholders_are_shown_with_defaults_but_never_searched(ports_course, ports):
    units = course_units(ports_course)
    say = [u for u in units if u.passage.kind == "say"]
    assert "`-p 4321:80`, then open 4321" in say[0].passage.text
    assert "zebraport" not in say[0].searched_text and "4321" not in say[0].searched_text
    assert not ports.ask("zebraport").found
    assert not ports.ask("4321").found


def test_blocks_of_one_step_that_both_answer_are_quoted_together(ports):
    answer = ports.ask("from where is a port reachable")
    say = [p for p in answer.passages if p.kind == "say"]
    assert len(say) == 1
    assert "A published port is reachable" in say[0].text
    assert "A port that is not published" in say[0].text
    assert say[0].text.index("A published") < say[0].text.index("A port that")
    assert say[0].context == "Publishing"


def test_a_definition_question_gets_the_glossary_entry_first(ports):
    answer = ports.ask("what does publish a port mean")
    assert answer.passages[0].source == "glossary/port publishing"
    assert answer.passages[0].step_number == 1


def test_markdown_is_cut_at_paragraphs_and_long_list_items():
    blocks = split_blocks(dedent(
        """
        # Title

        First paragraph.

        Short list:

        - a
        - b

        Consequences:

        - one long item that says a good many words about one thing, enough to stand alone
        - another long item that says a good many words about another thing, also alone
        """))
    assert [(b.heading, b.text.splitlines()[0], b.lead) for b in blocks] == [
        ("Title", "First paragraph.", ""),
        ("Title", "Short list:", ""),
        ("Title", "- one long item that says a good many words about one thing, enough "
                  "to stand alone", "Consequences:"),
        ("Title", "- another long item that says a good many words about another thing, "
                  "also alone", "Consequences:"),
    ]
    assert blocks[1].text == "Short list:\n\n- a\n- b"


def test_asking_from_several_threads_gives_the_same_answers(shipped):
    questions = ["whats a registry", "how do i publish a port", "what are namespaces",
                 "how do i build an image"] * 5
    expected = {q: shipped.ask(q) for q in set(questions)}
    results: dict[int, object] = {}

    def ask(number: int, question: str) -> None:
        results[number] = shipped.ask(question)

    threads = [threading.Thread(target=ask, args=(n, q)) for n, q in enumerate(questions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(results[n] == expected[q] for n, q in enumerate(questions))


def test_the_background_index_builds_once_and_hands_out_the_same_index():
    course = load_course(SHIPPED_LESSONS)
    knowledge = BackgroundIndex(course)
    knowledge.start()
    knowledge.start()
    index = knowledge.get(timeout=60)
    assert knowledge.ready and index is knowledge.get()
    assert index is not None and index.ask("what is a layer").found


def test_a_failed_build_raises_in_the_asking_thread():
    knowledge = BackgroundIndex(None)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        knowledge.get(timeout=60)


def test_importing_the_package_loads_no_ranking_library():
    code = ("import sys, tutor.knowledge; "
            "print(sorted(m for m in ('numpy', 'bm25s', 'rapidfuzz', 'Stemmer') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO,
                         capture_output=True, text=True).stdout.strip()
    assert out == "[]"


def test_answering_never_loads_numpy(tmp_path):
    # numpy alone would cost a third of a session's memory: the index does without it.
    code = ("import sys\n"
            "from tutor.lessonfile.loader import load_course\n"
            "from tutor.knowledge import KnowledgeIndex\n"
            f"index = KnowledgeIndex.build(load_course(__import__('pathlib').Path({str(REPO / 'lessons')!r})))\n"
            "assert index.ask('what is a registry?').found\n"
            "print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO,
                         capture_output=True, text=True).stdout.strip()
    assert out == "False"
