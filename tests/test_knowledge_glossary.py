"""The glossary: section of a lesson file: read, and validated like the rest."""

from __future__ import annotations

from pathlib import Path

from conftest import SHIPPED_LESSONS, dedent, line_of, write_course

from tutor.course.lesson import GlossaryEntry
from tutor.lessonfile.lesson_file import load_lesson
from tutor.lessonfile.loader import lint, load_course

LESSON = dedent(
    """
    id: demo
    title: Demo
    summary: A demo lesson.
    steps:
      - id: intro
        type: say
        text: Images and containers.
      - id: more
        type: say
        text: Registries.
    glossary:
    """
)


def load(tmp_path: Path, glossary: str) -> tuple[str, list[str], object]:
    text = LESSON + dedent(glossary)
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list = []
    lesson = load_lesson(path, problems)
    return text, [str(problem) for problem in problems], lesson


def test_entries_are_read_with_aliases_and_step(tmp_path):
    _, problems, lesson = load(tmp_path, """
      - term: image
        aliases: [docker image, container image]
        text: A read-only template.
        step: intro
      - term: registry
        text: |
          Stores images.
    """)
    assert problems == []
    assert lesson.glossary == (
        GlossaryEntry("image", "A read-only template.", ("docker image", "container image"),
                      "intro"),
        GlossaryEntry("registry", "Stores images.", (), None),
    )
    assert lesson.glossary[0].names == ("image", "docker image", "container image")


def test_a_lesson_without_glossary_has_none(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(LESSON.replace("glossary:\n", ""), encoding="utf-8")
    lesson = load_lesson(path, [])
    assert lesson is not None and lesson.glossary == ()


def test_unknown_fields_and_wrong_types_name_file_field_and_line(tmp_path):
    text, problems, lesson = load(tmp_path, """
      - term: image
        txet: A typo.
      - term: [not, text]
        text: Fine.
        aliases: 5
    """)
    assert lesson is None
    path = tmp_path / "demo.yaml"
    assert (f"{path}:{line_of(text, 'txet')}: lesson 'demo', field 'glossary[1].txet': "
            "unknown field 'txet' (did you mean 'text'?)") in problems
    assert (f"{path}:{line_of(text, 'term: image')}: lesson 'demo', field 'glossary[1].text': "
            "is required") in problems
    assert any("field 'glossary[2].term': must be text, found a list" in p for p in problems)
    assert any("field 'glossary[2].aliases': must be a list of text, found a number" in p
               for p in problems)


def test_a_glossary_that_is_not_a_list(tmp_path):
    _, problems, lesson = load(tmp_path, "  - image\n  - container\n")
    assert lesson is None
    assert any("field 'glossary[1]': expected a mapping of fields, found text" in p
               for p in problems)
    text = LESSON.replace("glossary:\n", "glossary: image\n")
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    problems_list: list = []
    assert load_lesson(path, problems_list) is None
    assert [str(p) for p in problems_list] == [
        f"{path}:{line_of(text, 'glossary:')}: lesson 'demo', field 'glossary': must be a "
        "list, found text"]


def test_a_term_or_alias_given_twice_is_an_error(tmp_path):
    text, problems, lesson = load(tmp_path, """
      - term: image
        text: One.
      - term: Image
        text: Two.
      - term: registry
        aliases: [hub, docker  IMAGE]
        text: Three.
    """)
    assert lesson is None
    path = tmp_path / "demo.yaml"
    assert (f"{path}:{line_of(text, 'term: Image')}: lesson 'demo', field 'glossary[2].term': "
            "'Image' is already the term of glossary[1]: each term or alias may be given once "
            "in a lesson") in problems
    assert len(problems) == 1  # 'docker  IMAGE' is another term than 'image'


def test_an_alias_repeating_a_term_is_named_at_its_line(tmp_path):
    text, problems, _ = load(tmp_path, """
      - term: image
        text: One.
      - term: registry
        aliases:
          - hub
          - IMAGE
        text: Two.
    """)
    assert problems == [f"{tmp_path / 'demo.yaml'}:{line_of(text, '- IMAGE')}: lesson 'demo', "
                        "field 'glossary[2].aliases[2]': 'IMAGE' is already the term of "
                        "glossary[1]: each term or alias may be given once in a lesson"]


def test_a_step_that_does_not_exist_is_named_with_a_suggestion(tmp_path):
    text, problems, _ = load(tmp_path, """
      - term: image
        text: One.
        step: intr
    """)
    assert problems == [f"{tmp_path / 'demo.yaml'}:{line_of(text, 'step: intr')}: lesson 'demo', "
                        "field 'glossary[1].step': 'intr' is not a step of this lesson "
                        "(did you mean 'intro'?)"]


def test_placeholders_are_refused_in_glossary_text(tmp_path):
    _, problems, lesson = load(tmp_path, """
      - term: port
        text: Publish {{ port }}.
    """)
    assert lesson is None
    assert any("field 'glossary[1].text': uses {{ port }}, but a glossary entry is shown "
               "outside its lesson" in p for p in problems)


def test_the_same_term_in_two_lessons_is_a_warning(tmp_path):
    other = LESSON.replace("id: demo", "id: other") + "  - term: registry\n    text: B.\n"
    first = LESSON + "  - term: Registry\n    text: A.\n"
    directory = write_course(tmp_path / "lessons", {"demo": first, "other": other})
    course = load_course(directory)
    assert course.problems == ()
    assert [str(w) for w in course.warnings] == [
        f"{directory / 'other.yaml'}:{line_of(other, 'term: registry')}: lesson 'other', "
        "field 'glossary[1]': warning: 'registry' is also explained by the glossary of "
        "lesson 'demo': a learner asking about it gets both entries"]
    assert all(problem.warning for problem in lint([directory]))


def test_the_shipped_lessons_explain_the_core_terms():
    course = load_course(SHIPPED_LESSONS)
    names = {name.casefold() for lesson in course.lessons for entry in lesson.glossary
             for name in entry.names}
    core = {"image", "container", "registry", "tag", "digest", "layer", "dockerfile", "volume",
            "bind mount", "port publishing", "daemon", "dockerd", "kernel", "vm", "hypervisor",
            "build context", "dangling image"}
    assert core <= names, core - names
    assert course.warnings == ()
