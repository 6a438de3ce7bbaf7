"""Reading a rubric or loop file as YAML, bounded: a file too large, aliases expanding past a
limit, nesting too deep, or not YAML at all each give one `Problem` naming the file and saying
what is wrong, instead of an exception (the loader in `scoring.rubric` goes on to the others)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scoring.errors import field_path, phrase
from scoring.text import shorten


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, said so a person can fix it."""

    file: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.field} " if self.field else ""
        return f"{self.file}: {where}{self.message}"


MAX_FILE_BYTES = 1_000_000  # the largest rubric in the repository is under 10 kB
MAX_YAML_VALUES = 100_000  # values in a document once its aliases are expanded
MAX_YAML_CHARACTERS = 2_000_000  # characters of its text values, aliases expanded
MAX_PROBLEMS = 20  # reported per file; then one line says how many more there are


def problems_from(error: ValidationError, file: str) -> list[Problem]:
    """One Problem per pydantic error (at most ``MAX_PROBLEMS``, then a count of the rest), with
    the field path written as in the file; each message at most a few hundred characters."""
    errors = error.errors()
    problems = [
        Problem(file, shorten(phrase(e)), shorten(field_path(e["loc"]), 120))
        for e in errors[:MAX_PROBLEMS]
    ]
    if len(errors) > MAX_PROBLEMS:
        problems.append(Problem(file, f"and {len(errors) - MAX_PROBLEMS:,} more problems"))
    return problems


class _TooLarge(yaml.YAMLError):
    """A document whose aliases expand past the limits."""


def _expanded_size(root: yaml.Node) -> None:
    """Raise _TooLarge when the document, its aliases expanded, holds more than
    ``MAX_YAML_VALUES`` values or ``MAX_YAML_CHARACTERS`` characters. Each distinct node is
    counted once (an alias reuses its node), so this is as fast as the file is long."""
    sizes: dict[int, tuple[int, int]] = {}
    inside: set[int] = set()

    def size(node: yaml.Node) -> tuple[int, int]:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in inside:
            raise _TooLarge("a YAML alias refers to the value it is part of")
        inside.add(key)
        values, characters = 1, 0
        if isinstance(node, yaml.ScalarNode):
            characters = len(node.value)
        children = node.value if isinstance(node, yaml.SequenceNode) else []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        for child in children:
            more_values, more_characters = size(child)
            values, characters = values + more_values, characters + more_characters
            if values > MAX_YAML_VALUES:
                raise _TooLarge(
                    f"too many YAML aliases: expanded, it holds more than {MAX_YAML_VALUES:,}"
                    f" values (limit {MAX_YAML_VALUES:,}; a rubric has a few hundred)"
                )
            if characters > MAX_YAML_CHARACTERS:
                raise _TooLarge(
                    f"too many YAML aliases: expanded, it holds more than"
                    f" {MAX_YAML_CHARACTERS:,} characters (limit {MAX_YAML_CHARACTERS:,})"
                )
        inside.discard(key)
        sizes[key] = values, characters
        return sizes[key]

    size(root)


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a document its aliases blow up (`_expanded_size`)."""

    def compose_document(self) -> yaml.Node:
        node = super().compose_document()
        _expanded_size(node)
        return node


def _read_yaml(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    try:
        length = path.stat().st_size
        if length > MAX_FILE_BYTES:
            return None, [
                Problem(shown, f"is too large: {length:,} bytes (at most {MAX_FILE_BYTES:,})")
            ]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(shown, shorten(f"cannot be read: {exc}"))]
    try:
        document = yaml.load(text, Loader=_BoundedLoader)  # a SafeLoader, bounded
    except _TooLarge as exc:
        return None, [Problem(shown, str(exc))]
    except RecursionError:
        return None, [Problem(shown, "is nested too deeply to be a rubric")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start and mark and start.line != mark.line:
            problem += f" ({context.removeprefix('while ')} that starts at line {start.line + 1})"
        return None, [Problem(shown, shorten(f"is not valid YAML{where}: {problem}"))]
    if not isinstance(document, dict):
        return None, [Problem(shown, "must hold a mapping of fields (id, title, ...)")]
    return document, []
