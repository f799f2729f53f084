"""Loading and validating lesson files: every problem names file, line, lesson, step, field."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIRST_LESSON, SECOND_LESSON, SHIPPED_LESSONS, dedent, line_of, write_course

from tutor.lessonfile.lesson_file import load_lesson
from tutor.lessonfile.loader import lint, load_course
from tutor.steps.choice import ChoiceStep
from tutor.steps.say import SayStep
from tutor.steps.text import AnswerPattern, TextStep

HEADER = "id: demo\ntitle: Demo\nsummary: A demo lesson.\n"

GOOD_CHOICE = dedent(
    """
      - id: good
        type: choice
        question: Pick a.
        choices:
          - text: a
            correct: true
          - text: b
        hints: [It is a.]
        explanation: Because.
    """
)


def check(tmp_path: Path, text: str, name: str = "demo") -> tuple[Path, list[str], object]:
    """Write ``text`` as ``<name>.yaml``; return the path, the problems as text, the lesson."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list = []
    lesson = load_lesson(path, problems)
    return path, [str(problem) for problem in problems], lesson


def lesson_with_steps(steps: str) -> str:
    """A valid lesson header followed by ``steps`` (already indented as list items)."""
    return HEADER + "steps:\n" + GOOD_CHOICE + dedent(steps)


# -- the shipped course ---------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_course(SHIPPED_LESSONS)


def test_shipped_course_loads_without_problems(shipped):
    assert [str(problem) for problem in shipped.problems] == []
    listed = [line.strip()[2:] for line in (SHIPPED_LESSONS / "course.yaml").read_text().splitlines()
              if line.strip().startswith("- ")]
    assert [lesson.id for lesson in shipped.lessons] == listed
    assert len(listed) >= 4


def test_every_shipped_lesson_has_at_least_four_questions_of_both_kinds(shipped):
    for lesson in shipped.lessons:
        kinds = [step.kind for step in lesson.steps]
        assert lesson.question_count >= 4, f"{lesson.id} has {lesson.question_count} questions"
        if lesson.needs_engine:
            # Practice lessons are mostly tasks; they still quiz the ideas behind them.
            assert "command" in kinds and ("choice" in kinds or "text" in kinds), lesson.id
        else:
            assert "choice" in kinds and "text" in kinds, f"{lesson.id}: {kinds}"
        for step in lesson.steps:
            if step.is_question:
                assert step.hints and step.explanation, f"{lesson.id}/{step.id}"


def test_lint_of_the_shipped_lessons_finds_nothing():
    assert lint([SHIPPED_LESSONS]) == []
    for path in SHIPPED_LESSONS.glob("*.yaml"):
        assert lint([path]) == [], path


def test_a_valid_lesson_becomes_the_model(course_dir):
    problems: list = []
    lesson = load_lesson(course_dir / "first.yaml", problems)
    assert problems == []
    assert lesson.id == "first" and lesson.title == "First lesson"
    assert [type(step) for step in lesson.steps] == [SayStep, ChoiceStep, TextStep, SayStep]
    choice = lesson.steps[1]
    assert choice.correct_indexes == {0} and not choice.multiple
    assert choice.choices[1].feedback == "That describes a virtual machine."
    text = lesson.steps[2]
    assert text.accept == (AnswerPattern("ignore_case", ("Docker Hub",)),)
    assert text.feedback[0].when == AnswerPattern("ignore_case", ("quay.io",))
    second = load_lesson(course_dir / "second.yaml", problems)
    assert second.requires == ("first",) and second.steps[1].multiple


# -- one problem of each kind, located precisely ---------------------------------------


def test_missing_required_field(tmp_path):
    text = lesson_with_steps(
        """
          - id: ask
            type: text
            accept: [{exact: x}]
            hints: [h]
            explanation: E
        """
    )
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, '- id: ask')}: lesson 'demo', step 'ask' (#2), "
        "field 'question': is required"
    ]


def test_missing_lesson_field_points_at_the_lesson(tmp_path):
    text = "id: demo\ntitle: Demo\nsteps:\n" + GOOD_CHOICE
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [f"{path}:1: lesson 'demo', field 'summary': is required"]


def test_wrong_types(tmp_path):
    text = dedent(
        """
        id: demo
        title: 42
        summary: A demo lesson.
        needs_engine: maybe
        steps:
          - id: ask
            type: text
            question: Q?
            accept: [{exact: x}]
            hints: 5
            explanation: E
        """
    )
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, 'title:')}: lesson 'demo', field 'title': "
        "must be text, found a number",
        f"{path}:{line_of(text, 'needs_engine:')}: lesson 'demo', field 'needs_engine': "
        "must be true or false, found text",
        f"{path}:{line_of(text, 'hints:')}: lesson 'demo', step 'ask' (#1), field 'hints': "
        "must be a list of text, found a number",
    ]


def test_unknown_field_suggests_the_known_one(tmp_path):
    text = HEADER + "steps:\n" + GOOD_CHOICE.replace("explanation:", "explaination:")
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    where = "lesson 'demo', step 'good' (#1)"
    assert (
        f"{path}:{line_of(text, 'explaination:')}: {where}, field 'explaination': "
        "unknown field 'explaination' (did you mean 'explanation'?)"
    ) in problems
    # and since the real field is now absent, that is said too
    assert f"{path}:{line_of(text, '- id: good')}: {where}, field 'explanation': is required" \
        in problems
    assert len(problems) == 2


def test_unknown_lesson_field(tmp_path):
    text = HEADER + "sumary: typo\nsteps:\n" + GOOD_CHOICE
    path, problems, _ = check(tmp_path, text)
    assert problems == [
        f"{path}:{line_of(text, 'sumary:')}: lesson 'demo', field 'sumary': "
        "unknown field 'sumary' (did you mean 'summary'?)"
    ]


def test_unknown_step_type_with_suggestion(tmp_path):
    text = lesson_with_steps(
        """
          - id: pick
            type: choise
            question: Q?
            not_even_a_field: 1
        """
    )
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    # only the type is reported: the fields of an unknown type are not noise-reported
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}:{line_of(text, 'type: choise')}: lesson 'demo', step 'pick' (#2), field 'type': "
        "unknown step type 'choise' (did you mean 'choice'?); expected one of say, choice, text"
    )


def test_duplicate_step_id(tmp_path):
    text = lesson_with_steps(
        """
          - id: good
            type: say
            text: Same id as step 1.
        """
    )
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, '- id: good', 2)}: lesson 'demo', step 'good' (#2), "
        "field 'id': 'good' is already used by step #1"
    ]


def test_step_without_id_is_named_by_number(tmp_path):
    text = lesson_with_steps(
        """
          - type: say
            text: No id.
        """
    )
    path, problems, _ = check(tmp_path, text)
    assert problems == [
        f"{path}:{line_of(text, '- type: say')}: lesson 'demo', step 2, field 'id': is required"
    ]


def test_step_that_is_not_a_mapping(tmp_path):
    text = lesson_with_steps("  - just some text\n")
    path, problems, _ = check(tmp_path, text)
    assert problems == [
        f"{path}:{line_of(text, 'just some text')}: lesson 'demo', step 2: "
        "expected a mapping of fields, found text"
    ]


def test_id_must_match_the_file_name(tmp_path):
    text = HEADER.replace("id: demo", "id: other") + "steps:\n" + GOOD_CHOICE
    path, problems, lesson = check(tmp_path, text, name="demo")
    assert lesson is None
    assert problems == [
        f"{path}:1: lesson 'other', field 'id': 'other' must match the file name 'demo.yaml'"
    ]


def test_bad_id_characters(tmp_path):
    text = HEADER.replace("id: demo", "id: Demo_1") + "steps:\n" + GOOD_CHOICE.replace(
        "id: good", "id: Good Step")
    path, problems, lesson = check(tmp_path, text, name="Demo_1")
    assert lesson is None
    assert problems == [
        f"{path}:1: lesson 'Demo_1', field 'id': 'Demo_1' must be lowercase letters, "
        "digits and dashes",
        f"{path}:{line_of(text, 'Good Step')}: lesson 'Demo_1', step 'Good Step' (#1), "
        "field 'id': 'Good Step' must be lowercase letters, digits and dashes",
    ]


def test_choice_with_no_correct_answer(tmp_path):
    text = lesson_with_steps(
        """
          - id: none-right
            type: choice
            question: Q?
            choices:
              - text: one
              - text: two
            hints: [h]
            explanation: E
        """
    )
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, 'choices:', 2)}: lesson 'demo', step 'none-right' (#2), "
        "field 'choices': no choice is marked 'correct: true'"
    ]


def test_choice_with_one_choice(tmp_path):
    text = lesson_with_steps(
        """
          - id: lonely
            type: choice
            question: Q?
            choices:
              - text: the only one
                correct: true
            hints: [h]
            explanation: E
        """
    )
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, 'choices:', 2)}: lesson 'demo', step 'lonely' (#2), "
        "field 'choices': needs at least 2 choices, found 1"
    ]


def test_feedback_on_a_correct_choice(tmp_path):
    text = lesson_with_steps(
        """
          - id: praise
            type: choice
            question: Q?
            choices:
              - text: wrong
                feedback: Wrong because.
              - text: right
                correct: true
                feedback: Right because.
            hints: [h]
            explanation: E
        """
    )
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}:{line_of(text, 'Right because.')}: lesson 'demo', step 'praise' (#2), "
        "field 'choices[2].feedback': "
    )
    assert "explanation" in problems[0]


TEXT_STEP = """
  - id: name-it
    type: text
    question: Name it.
    accept:
{accept}
    hints: [h]
    explanation: E
"""


def text_step(accept: str) -> str:
    return lesson_with_steps(TEXT_STEP.format(accept=accept))


def test_accept_entry_with_two_forms(tmp_path):
    text = text_step("      - exact: Docker Hub\n        regex: 'docker\\s*hub'")
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, 'exact: Docker Hub')}: lesson 'demo', step 'name-it' (#2), "
        "field 'accept[1]': needs exactly one of exact, ignore_case, regex (found exact, regex)"
    ]


def test_accept_entry_with_no_form(tmp_path):
    text = text_step("      - exact: fine\n      - {}")
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, '- {}')}: lesson 'demo', step 'name-it' (#2), "
        "field 'accept[2]': needs exactly one of exact, ignore_case, regex"
    ]


def test_empty_accept_list(tmp_path):
    text = text_step("      []")
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, 'accept:')}: lesson 'demo', step 'name-it' (#2), "
        "field 'accept': needs at least one accepted answer"
    ]


def test_typo_in_answer_form_suggests_the_form(tmp_path):
    text = text_step("      - exakt: Docker Hub")
    _, problems, _ = check(tmp_path, text)
    assert any("unknown field 'exakt' (did you mean 'exact'?)" in p for p in problems), problems


def test_invalid_regex_in_accept(tmp_path):
    text = text_step("      - regex: '(docker'")
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}:{line_of(text, 'regex:')}: lesson 'demo', step 'name-it' (#2), "
        "field 'accept[1].regex': is not a valid regular expression: "
    )


def test_invalid_regex_in_feedback_when(tmp_path):
    text = lesson_with_steps(
        """
          - id: name-it
            type: text
            question: Name it.
            accept: [{exact: x}]
            feedback:
              - when: { exact: y }
                text: Not y.
              - when: { regex: '[unclosed' }
                text: Not that.
            hints: [h]
            explanation: E
        """
    )
    path, problems, _ = check(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}:{line_of(text, '[unclosed')}: lesson 'demo', step 'name-it' (#2), "
        "field 'feedback[2].when.regex': is not a valid regular expression"
    )


def test_empty_steps(tmp_path):
    text = HEADER + "steps: []\n"
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, 'steps:')}: lesson 'demo', field 'steps': "
        "a lesson needs at least one step"
    ]


def test_unquoted_colon_in_a_hint_gets_advice_about_quotes(tmp_path):
    text = HEADER + "steps:\n" + GOOD_CHOICE.replace(
        "hints: [It is a.]", "hints:\n      - Fine hint.\n      - Try this: docker ps")
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{path}:{line_of(text, 'Try this:')}: lesson 'demo', step 'good' (#1), "
        "field 'hints[2]': must be non-empty text, found a mapping"
    )
    assert "quotes" in problems[0]


def test_unquoted_colon_in_text_gets_advice_about_quotes(tmp_path):
    text = lesson_with_steps(
        """
          - id: note
            type: say
            text: Note: containers share the kernel.
        """
    )
    path, problems, _ = check(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{line_of(text, 'Note:')}: ")
    assert "quotes" in problems[0]


def test_invalid_yaml(tmp_path):
    text = HEADER + "steps:\n  - id: x\n\ttype: say\n"  # a tab used for indentation
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{line_of(text, chr(9))}: not valid YAML: ")


def test_duplicate_key_in_a_lesson_file(tmp_path):
    text = HEADER + "title: Again\nsteps:\n" + GOOD_CHOICE
    path, problems, lesson = check(tmp_path, text)
    assert lesson is None
    assert problems == [
        f"{path}:{line_of(text, 'title: Again')}: duplicate key 'title' "
        f"(first at line {line_of(text, 'title: Demo')})"
    ]


@pytest.mark.parametrize("content", ["", "\n\n", "# nothing but a comment\n"])
def test_empty_file(tmp_path, content):
    path, problems, lesson = check(tmp_path, content)
    assert lesson is None
    assert problems == [f"{path}: the file is empty"]


def test_a_file_that_is_a_list(tmp_path):
    path, problems, _ = check(tmp_path, "- id: demo\n")
    assert problems == [f"{path}:1: lesson 'demo': expected a mapping of fields, found a list"]


def test_all_problems_of_a_file_are_listed_in_one_run(tmp_path):
    text = dedent(
        """
        id: demo
        title: Demo
        steps:
          - id: one
            type: sey
          - id: two
            type: choice
            question: Q?
            choices:
              - text: a
              - text: b
            hints: []
            explanation: E
        """
    )
    _path, problems, _ = check(tmp_path, text)
    fields = sorted(p.split("field '")[1].split("'")[0] for p in problems)
    assert fields == ["choices", "hints", "summary", "type"]


# -- the course: course.yaml and the set of files ----------------------------------------


def test_missing_file_listed_in_course_yaml(tmp_path):
    lessons = write_course(tmp_path, {"first": FIRST_LESSON}, listed=["first", "ghost"])
    course = load_course(lessons)
    assert [lesson.id for lesson in course.lessons] == ["first"]
    assert [str(p) for p in course.problems] == [f"{lessons / 'ghost.yaml'}: file not found"]


def test_lesson_file_not_listed_in_course_yaml(tmp_path):
    lessons = write_course(tmp_path, {"first": FIRST_LESSON, "second": SECOND_LESSON},
                           listed=["first"])
    course = load_course(lessons)
    assert [lesson.id for lesson in course.lessons] == ["first"]
    assert [str(p) for p in course.problems] == [
        f"{lessons / 'second.yaml'}: lesson 'second': is not listed in course.yaml, "
        "so no learner would see it"
    ]


def test_unknown_requires_suggests_a_lesson(tmp_path):
    lessons = write_course(tmp_path, {
        "first": FIRST_LESSON,
        "second": SECOND_LESSON.replace("requires: [first]", "requires: [frist]"),
    })
    course = load_course(lessons)
    problems = [str(p) for p in course.problems]
    assert len(problems) == 1
    assert problems[0].startswith(f"{lessons / 'second.yaml'}")
    assert "lesson 'second', field 'requires[1]': unknown lesson 'frist' (did you mean 'first'?)" \
        in problems[0]
    # a wrong recommendation does not hide the lesson
    assert [lesson.id for lesson in course.lessons] == ["first", "second"]


def test_unknown_requires_names_the_line(tmp_path):
    lessons = write_course(tmp_path, {
        "first": FIRST_LESSON,
        "second": SECOND_LESSON.replace("requires: [first]", "requires: [frist]"),
    })
    problem = str(load_course(lessons).problems[0])
    line = line_of(SECOND_LESSON, "requires:")
    assert problem.startswith(f"{lessons / 'second.yaml'}:{line}: ")


def test_a_broken_lesson_does_not_stop_the_others(tmp_path):
    broken = FIRST_LESSON.replace("explanation: Docker Hub", "explaination: Docker Hub")
    lessons = write_course(tmp_path, {"first": broken, "second": SECOND_LESSON})
    course = load_course(lessons)
    assert [lesson.id for lesson in course.lessons] == ["second"]
    problems = [str(p) for p in course.problems]
    assert problems and all(p.startswith(str(lessons / "first.yaml")) for p in problems)
    assert any("'explaination'" in p for p in problems)
    # requires: [first] names a listed lesson, so it is not reported as unknown
    assert not any("unknown lesson" in p for p in problems)


def test_missing_course_yaml(tmp_path):
    course = load_course(tmp_path)
    assert course.lessons == ()
    assert [str(p) for p in course.problems] == [f"{tmp_path / 'course.yaml'}: file not found"]


def test_course_yaml_problems_are_located(tmp_path):
    (tmp_path / "course.yaml").write_text("title: T\nlesons: [first]\n")
    (tmp_path / "first.yaml").write_text(FIRST_LESSON)
    problems = [str(p) for p in load_course(tmp_path).problems]
    course_yaml = tmp_path / "course.yaml"
    assert f"{course_yaml}:1: field 'lessons': is required" in problems
    assert (f"{course_yaml}:2: field 'lesons': unknown field 'lesons' "
            "(did you mean 'lessons'?)") in problems


def test_lint_single_files_and_directories_without_course_yaml(tmp_path):
    good = tmp_path / "first.yaml"
    good.write_text(FIRST_LESSON)
    bad = tmp_path / "demo.yaml"
    bad.write_text(HEADER + "steps: []\n")
    assert lint([good]) == []
    assert [str(p).split(":")[0] for p in lint([bad])] == [str(bad)]
    # a directory without course.yaml: that is a problem, and each file is checked too
    assert sorted({p.where.file for p in lint([tmp_path])}) == [tmp_path / "course.yaml", bad]
