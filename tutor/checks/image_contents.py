"""`image_contents`: what a built image holds: its size, its layers, and files that must
(or must not) be in it.

For lessons about lean images (multi-stage builds, ``.dockerignore``): the image the
learner built and named is looked at as the engine stores it. Files are looked up in a
container created from the image and never started (labelled ``org.docker-tutor.check``
and removed again), as the `dockerfile` check does. Sizes are decimal, as ``docker
images`` prints them: 1 MB is 1,000,000 bytes.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tutor.checks.base import (
    Check,
    CheckContext,
    CheckResult,
    EngineUnavailable,
    Missing,
    excerpt,
    quote,
    to_int,
)
from tutor.checks.dockerfile_image import CHECK_LABEL
from tutor.checks.files import GO_MODE_DIR, read_file, stat_path
from tutor.checks.images import find_image, other_tags
from tutor.checks.queries import call
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import has_placeholder, render_value
from tutor.schema.fields import MISSING

UNITS = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*", re.IGNORECASE)


def parse_size(text: str) -> int | None:
    """``"10MB"``, ``"1.5 GB"``, ``"500kB"``, ``"2048"`` (bytes) -> bytes; None if not a size."""
    match = _SIZE.fullmatch(text)
    if match is None:
        return None
    return int(float(match.group(1)) * UNITS[match.group(2).lower().removesuffix("b")])


def human_size(size: float) -> str:
    """Like ``docker images``: 3 significant digits, decimal units (``1.98 MB``, ``180 MB``)."""
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{int(size)} B"


@dataclass(frozen=True, kw_only=True)
class ImageContentsCheck(Check):
    kind = "image_contents"
    ref: str
    max_size: str | None = None  # "10MB"; may hold placeholders
    max_layers: int | str | None = None
    files: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    contains: tuple[tuple[str, str], ...] = ()

    def image_refs(self) -> set[str]:
        return set() if has_placeholder(self.ref) else {self.ref}

    def check(self, ctx: CheckContext) -> CheckResult:
        ref = render_value(self.ref, ctx.values)
        image = find_image(ctx.api, ref)
        if image is None:
            return CheckResult.fail(f"image {quote(ref)} does not exist{other_tags(ctx.api, ref)}")
        subject = f"image {quote(ref)}"
        found = self._size_and_layers(ctx, ref, image, subject)
        if self.files or self.absent or self.contains:
            with _probe(ctx.api, image) as container:
                found += self._files(ctx, container, subject)
        return CheckResult.fail(*found) if found else CheckResult.ok()

    def _size_and_layers(self, ctx: CheckContext, ref: str, image: dict,
                         subject: str) -> list[str]:
        found = []
        if self.max_size is not None:
            text = str(render_value(self.max_size, ctx.values))
            limit = parse_size(text)
            if limit is None:
                return [f"max_size must be a size such as 10MB, got {quote(text)}"]
            size = int(image.get("Size") or 0)
            if size > limit:
                found.append(f"{subject} is {human_size(size)}; expected at most "
                             f"{human_size(limit)}{_biggest_layer(ctx.api, ref)}")
        if self.max_layers is not None:
            limit = to_int(render_value(self.max_layers, ctx.values), "max_layers")
            layers = len((image.get("RootFS") or {}).get("Layers") or [])
            if layers > limit:
                found.append(f"{subject} has {layers} layers; expected at most {limit} (each "
                             f"RUN, COPY and ADD adds one, on top of the base image's)")
        return found

    def _files(self, ctx: CheckContext, container: str, subject: str) -> list[str]:
        found = []
        wanted = [render_value(p, ctx.values) for p in self.files]
        missing = [path for path in wanted if stat_path(ctx.api, container, path) is None]
        if missing:
            found.append(f"{_listed(missing)} {'is' if len(missing) == 1 else 'are'} not in "
                         f"{subject}")
        unwanted = [render_value(p, ctx.values) for p in self.absent]
        present = [path for path in unwanted if stat_path(ctx.api, container, path) is not None]
        if present:
            found.append(f"{_listed(present)} {'is' if len(present) == 1 else 'are'} in "
                         f"{subject}; expected {'it' if len(present) == 1 else 'them'} "
                         f"left out")
        for path, text in self.contains:
            path = render_value(path, ctx.values)
            text = render_value(text, ctx.values)
            stat = stat_path(ctx.api, container, path)
            if stat is None:
                if path not in missing:
                    found.append(f"{path} is not in {subject}; expected a file containing "
                                 f"{quote(text)}")
                continue
            if int(stat.get("mode") or 0) & GO_MODE_DIR:
                found.append(f"{path} in {subject} is a directory; expected a file containing "
                             f"{quote(text)}")
                continue
            kind, data = read_file(ctx.api, container, path)
            content = (data or b"").decode("utf-8", errors="replace")
            if kind != "file" or text not in content:
                holds = f"it holds {quote(excerpt(content))}" if content.strip() else \
                    "it is empty"
                found.append(f"{path} in {subject} does not contain {quote(text)}; {holds}")
        return found


def _listed(paths: list[str]) -> str:
    return " and ".join(filter(None, (", ".join(paths[:-1]), paths[-1])))


def _biggest_layer(api: Any, ref: str) -> str:
    """`` (its biggest layer, 180 MB, comes from: FROM ...)``, from ``docker history``."""
    try:
        rows = call(api.history, ref) or []
    except (Missing, EngineUnavailable):
        return ""
    sized = [row for row in rows if int(row.get("Size") or 0) > 0]
    if not sized:
        return ""
    row = max(sized, key=lambda r: int(r.get("Size") or 0))
    made_by = str(row.get("CreatedBy") or "").replace("/bin/sh -c #(nop) ", "").strip()
    made_by = made_by.removeprefix("/bin/sh -c ").strip() or str(row.get("Comment") or "?")
    return (f"; its biggest layer ({human_size(int(row['Size']))}) was made by: "
            f"{excerpt(made_by, 100)}")


@contextmanager
def _probe(api: Any, image: dict) -> Iterator[str]:
    """A container from the image, created but never started; removed on the way out."""
    config = image.get("Config") or {}
    # An image with nothing to start cannot even be created: give it a word it never runs.
    command = None if config.get("Cmd") or config.get("Entrypoint") else ["probe"]
    created = call(api.create_container, image["Id"], command=command,
                   name=f"tutor-check-{secrets.token_hex(4)}", network_disabled=True,
                   labels={CHECK_LABEL: f"image_contents:{image['Id'][7:19]}"})
    try:
        yield created["Id"]
    finally:
        try:
            call(api.remove_container, created["Id"], force=True, v=True)
        except (Missing, EngineUnavailable):
            pass


# -- reading the check from lesson YAML -------------------------------------------------------


def parse_image_contents(value: Any, pc: ParseContext) -> ImageContentsCheck | None:
    fields = pc.fields(value)
    if not fields.ok:
        return None
    before = len(pc.problems)
    ref = fields.image_ref("ref")
    max_size = fields.scalar_text("max_size", required=False)
    if max_size is not None and not has_placeholder(max_size) and parse_size(max_size) is None:
        fields.field_problem("max_size", f"'{max_size}' is not a size such as 10MB, 500kB "
                                         f"or 1.5GB")
    max_layers = fields.template_int("max_layers", required=False, minimum=1, maximum=127)
    files = fields.text_items("files", required=False) or ()
    absent = fields.text_items("absent", required=False) or ()
    contains = fields.string_map("contains") or ()
    for name, paths in (("files", files), ("absent", absent),
                        ("contains", [path for path, _ in contains])):
        for path in paths:
            if not path.startswith("/") and not has_placeholder(path):
                fields.field_problem(name, f"'{path}' must be an absolute path in the image, "
                                           f"such as /{path}")
    both = sorted(set(files) & set(absent))
    if both:
        fields.field_problem("absent", f"{', '.join(both)} cannot be both in files and absent")
    if fields.raw("max_size") is MISSING and max_layers is None and not (
            files or absent or contains) and ref is not None:
        fields.problem("says nothing about the image's contents: give max_size, max_layers, "
                       "files, absent or contains (to check that it exists, use image)")
    fields.finish()
    if len(pc.problems) != before or ref is None:
        return None
    return ImageContentsCheck(ref=ref, max_size=max_size, max_layers=max_layers, files=files,
                              absent=absent, contains=contains)
