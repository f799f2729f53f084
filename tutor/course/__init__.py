"""The course: lesson files, their validation, and the model the REPL walks."""

from tutor.lessonfile.loader import lint, load_course, load_lesson
from tutor.course.model import Course, Lesson
from tutor.schema.location import LessonProblem

__all__ = ["Course", "Lesson", "LessonProblem", "lint", "load_course", "load_lesson"]
