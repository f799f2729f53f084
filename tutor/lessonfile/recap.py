"""A lesson's ``recap:`` section: lines it adds to the cheat sheet of its commands.

```yaml
recap:
  - command: docker ps -a
    text: every container, the stopped ones too
  - text: An image is read-only; a container adds a writable layer on top.
```
"""

from __future__ import annotations

from tutor.course.lesson import RecapEntry
from tutor.dockercli import DockerCliError, ShellSyntaxError, parse, split_command
from tutor.schema.fields import Fields, each_item


def parse_recap(fields: Fields) -> tuple[RecapEntry, ...]:
    def parse_entry(entry: Fields) -> RecapEntry | None:
        command = entry.text("command", required=False)
        text = entry.text("text")
        if command is not None:
            try:
                argv = split_command(command)
                if not argv or argv[0] not in ("docker", "docker-compose"):
                    entry.field_problem("command", f"`{command}` must start with docker")
                    return None
                parse(argv)
            except (ShellSyntaxError, DockerCliError) as error:
                entry.field_problem("command", f"`{command}` is not a docker command the "
                                               f"tutor understands: {error}")
                return None
        return RecapEntry(text, command) if text is not None else None

    return tuple(each_item(fields, "recap", parse_entry, required=False))
