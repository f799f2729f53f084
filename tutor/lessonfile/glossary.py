"""The ``glossary:`` section of a lesson: terms explained in a few words.

The tutor answers a learner's "what is a ..." from these entries (``tutor.knowledge``),
so they are validated like the rest of a lesson: unknown fields, wrong types, a term
named twice, a ``step`` that does not exist, each with file, lesson, field and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tutor.course.lesson import GlossaryEntry, Lesson
from tutor.course.placeholders import template_names
from tutor.schema.fields import Fields
from tutor.schema.location import LessonProblem, Where
from tutor.schema.yamldoc import LineList
from tutor.suggest import did_you_mean


def fold(name: str) -> str:
    """How terms are compared: case and spacing do not make a different term."""
    return " ".join(name.split()).casefold()


def parse_glossary(fields: Fields, step_ids: Sequence[str]) -> tuple[GlossaryEntry, ...]:
    """Read the lesson's optional ``glossary`` list; ``step_ids`` are the lesson's steps."""
    entries: list[GlossaryEntry] = []
    # Every term and alias of the lesson so far: folded name -> where it was given.
    named: dict[str, str] = {}
    for index, (item, where, line) in enumerate(fields.mappings("glossary", required=False)):
        entry = Fields(item, where, fields.problems, line)
        if not entry.ok:
            continue
        before = len(fields.problems)
        term = entry.text("term")
        aliases = entry.text_list("aliases", required=False)
        text = entry.text("text")
        step = entry.text("step", required=False)
        entry.finish()
        if term is not None and "\n" in term.strip():
            entry.field_problem("term", "must be one line")
        if step is not None and step not in step_ids:
            entry.field_problem("step", f"'{step}' is not a step of this lesson"
                                        f"{did_you_mean(step, step_ids)}")
        if text is not None:
            for name in sorted(template_names(text)):
                entry.field_problem("text", f"uses {{{{ {name} }}}}, but a glossary entry is "
                                            "shown outside its lesson, where no vars are chosen")
        label = f"glossary[{index + 1}]"
        if term is not None:
            _check_name(entry, "term", term, f"the term of {label}", named)
        raw_aliases = entry.mapping.get("aliases")
        for number, alias in enumerate(aliases):
            alias_line = (raw_aliases.line_of(number) if isinstance(raw_aliases, LineList)
                          else entry.line_of("aliases"))
            _check_name(entry, f"aliases[{number + 1}]", alias, f"an alias in {label}", named,
                        alias_line)
        if len(fields.problems) == before and term is not None and text is not None:
            entries.append(GlossaryEntry(term=term.strip(), text=text, aliases=aliases,
                                         step=step, line=line))
    return tuple(entries)


def _check_name(entry: Fields, field: str, name: str, described: str, named: dict[str, str],
                line: int | None = None) -> None:
    key = fold(name)
    if key in named:
        entry.problem(f"'{name}' is already {named[key]}: each term or alias may be given "
                      "once in a lesson", line if line is not None else entry.line_of(field),
                      entry.where.at_field(field))
    else:
        named[key] = described


def glossary_warnings(lessons: Iterable[Lesson], course_file: Where) -> list[LessonProblem]:
    """A term (or alias) that two lessons both explain: allowed, since each lesson stands
    on its own, but a learner asking about it gets both answers, so lint says so."""
    first: dict[str, Lesson] = {}
    found: list[LessonProblem] = []
    for lesson in lessons:
        for index, glossary_entry in enumerate(lesson.glossary):
            for name in glossary_entry.names:
                key = fold(name)
                owner = first.setdefault(key, lesson)
                if owner is lesson:
                    continue
                where = Where(lesson.source or course_file.file, lesson.id,
                              field=f"glossary[{index + 1}]")
                found.append(LessonProblem(
                    where, f"'{name}' is also explained by the glossary of lesson "
                           f"'{owner.id}': a learner asking about it gets both entries",
                    glossary_entry.line, warning=True))
    return found
