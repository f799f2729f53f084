"""Named styles: the rest of the code says what a thing is, the theme says how it looks."""

from rich.theme import Theme

TUTOR_THEME = Theme(
    {
        "tutor.name": "bold cyan",
        "tutor.heading": "bold",
        "tutor.muted": "dim",
        "tutor.question": "bold",
        "tutor.choice.label": "bold cyan",
        "tutor.correct": "bold green",
        "tutor.wrong": "bold yellow",
        "tutor.feedback": "yellow",
        "tutor.hint": "magenta",
        "tutor.explanation": "green",
        "tutor.command": "bold blue",
        "tutor.warning": "bold yellow",
        "tutor.error": "bold red",
        "tutor.diagram": "cyan",
        "tutor.done": "green",
        "tutor.todo": "dim",
        "tutor.banner": "bold blue",
    }
)
