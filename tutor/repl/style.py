"""prompt-toolkit styles for the prompt and the bottom toolbar."""

from prompt_toolkit.styles import Style


def make_style() -> Style:
    return Style.from_dict(
        {
            "prompt.name": "ansicyan bold",
            "prompt.arrow": "ansibrightblack",
            "prompt.docker": "ansiblue bold",
            "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
            "bottom-toolbar.lesson": "bold",
            "bottom-toolbar.engine-ok": "ansigreen",
            "bottom-toolbar.engine-down": "ansiyellow",
            "bottom-toolbar.key": "ansibrightblack",
        }
    )
