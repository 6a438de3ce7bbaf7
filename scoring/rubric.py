"""Rubric and loop-template files: their schema (pydantic models) and the loader.

A rubric (`rubrics/<id>.yaml`) describes one interview session type and the criteria it is scored
on; a loop template (`rubrics/loops/<id>.yaml`) lists the sessions of an interview day in order and
the overall-recommendation scale. `rubrics/FORMAT.md` shows both with examples.

The loader reads every file, keeps the good ones and reports every broken one with the file, the
field path and what is wrong, e.g. ``rubrics/coding.yaml: criteria[2].weight must be > 0 (got 0)``.
Each loaded rubric has a content hash over its meaning (not its formatting), so a stored score can
name exactly the rubric it was given against.

Book citations (``L2962``, ``L2081-2089``) live only in ``sources`` fields, never in the texts an
interviewer reads on the scorecard form; the Rubrics page shows them.

Whatever a file holds, loading it is bounded: a file is at most ``MAX_FILE_BYTES``; YAML aliases
may not expand it past ``MAX_YAML_VALUES`` values or ``MAX_YAML_CHARACTERS`` characters (a
"billion laughs" file of a few hundred bytes is one short error, at once); a file reports at most
``MAX_PROBLEMS`` problems, each at most a few hundred characters long.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from scoring.rubric_yaml import (  # noqa: F401 - importable from here as before
    MAX_FILE_BYTES,
    MAX_PROBLEMS,
    MAX_YAML_CHARACTERS,
    MAX_YAML_VALUES,
    Problem,
    _read_yaml,
    problems_from,
)
from scoring.scale import Scale, ScaleError
from scoring.text import shorten

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]

BOOK = "hiring-book.txt"  # shared/seed/hiring-book.txt, the book every citation points into
_CITATION = re.compile(r"L(?P<start>\d+)(?:-(?P<end>\d+))?(?:: \S.*)?")  # L12, L12-30: a note


def _quoted_citation(value: Any) -> Any:
    # Unquoted in YAML, `L2962: a note` is a mapping, not the text it was meant to be.
    if isinstance(value, dict) and len(value) == 1:
        (line, note), *_ = value.items()
        raise ValueError(
            f'must be quoted when it has a note, as in "{line}: {note}" (got a mapping)'
        )
    return value


def _check_citation(value: str) -> str:
    match = _CITATION.fullmatch(value)
    if match is None:
        raise ValueError(f"must look like L123 or L123-130 (got {shorten(repr(value), 80)})")
    if match["end"] is not None and int(match["end"]) <= int(match["start"]):
        raise ValueError(
            f"must be a range that ends after it starts, like L123-130"
            f" (got {shorten(repr(value), 80)})"
        )
    return value


Citation = Annotated[
    str,
    BeforeValidator(_quoted_citation),
    AfterValidator(_check_citation),
    Field(
        json_schema_extra={"pattern": r"^L\d+(-\d+)?(: \S.*)?$"},
        description="A line or range of lines of the hiring book, optionally with a short note:"
        " 'L2962', 'L2081-2089' or 'L2962: 60-minute coding session'.",
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _sources_field(what: str) -> Any:
    # Left out of the dump when empty, so a rubric frozen before `sources` existed dumps, and
    # hashes, exactly as it did then.
    return Field(
        default_factory=list,
        exclude_if=lambda citations: not citations,
        description=f"Book citations ({BOOK}) for {what}: 'L2962' or 'L2081-2089', each"
        " optionally followed by ': a short note'. Citations go here (or in YAML comments), never"
        " in the texts interviewers read; the Rubrics page shows them, the scorecard form does"
        " not.",
    )


def _check_labels(labels: dict[int, str], lo: int, hi: int, what: str) -> dict[int, str]:
    """Every point lo..hi has a non-empty text, and there is none outside it."""
    missing = [p for p in range(lo, hi + 1) if not str(labels.get(p, "")).strip()]
    extra = sorted(p for p in labels if not lo <= p <= hi)
    if missing:
        points = ", ".join(map(str, missing))
        raise ValueError(f"missing {what} for point {points} (every point {lo}..{hi} needs one)")
    if extra:
        points = ", ".join(map(str, extra))
        raise ValueError(f"{what} for point {points} is outside the scale {lo}..{hi}")
    return labels


class Question(_Model):
    """One approved question of a criterion's pool (L1975, L1977, L2114): drawn at random for a
    seat when its session is planned, never one the candidate already had, never once retired
    (`scoring.questions`). Its text is what the interviewer reads and asks; the hint, follow-up
    and answer key stay in the team's question bank under the same id."""

    id: Slug = Field(description="Unique within the criterion; keep it when the text is edited.")
    version: StrictInt = Field(
        ge=1, description="Bump when the question's text changes what is asked."
    )
    text: Text = Field(description="The question as the interviewer reads it (no citations).")


class Criterion(_Model):
    """One thing a session is scored on."""

    id: Slug
    name: Text = Field(description="The criterion's name, shown to the scorer (no citations).")
    description: Text = Field(
        description="What the criterion is about, in one or two sentences; shown to the scorer."
    )
    weight: float = Field(gt=0, description="Relative importance within the rubric; > 0.")
    kind: Literal["scale", "binary"]
    min: StrictInt | None = Field(None, description="Lowest point (scale only).")
    max: StrictInt | None = Field(None, description="Highest point (scale only).")
    anchors: dict[int, Text] = Field(
        description="A behaviourally anchored description for every point min..max "
        "(binary: 0 = no, 1 = yes); shown to the scorer next to the point."
    )
    required: bool = Field(True, description="False: the scorer may mark it 'not assessed'.")
    sources: list[Citation] = _sources_field("this criterion's description and anchors")
    # Left out of the dump when empty, like `sources`: a rubric frozen before pools existed
    # dumps, and hashes, exactly as it did then.
    questions: list[Question] = Field(
        default_factory=list,
        exclude_if=lambda questions: not questions,
        description="The approved pool this criterion's question is drawn from, at random, for"
        " each seat (none: the interviewer follows the instructions). Ids are unique within"
        " the criterion.",
    )

    level_anchors: dict[str, dict[int, Text]] = Field(
        default_factory=dict,
        exclude_if=lambda anchors: not anchors,
        description="Anchors for an opening at a given level (e.g. senior: what a 3 means for a"
        " senior hire), by level; each replaces the general anchor of the points it names.",
    )

    def anchors_for(self, level: str = "") -> dict[int, str]:
        """The anchors an opening at `level` scores against: the level's own (matched without
        regard to case) over the general ones."""
        wanted = level.strip().casefold()
        for key, anchors in self.level_anchors.items():
            if key.casefold() == wanted:
                return {**self.anchors, **anchors}
        return dict(self.anchors)

    @field_validator("questions")
    @classmethod
    def _unique_question_ids(cls, value: list[Question]) -> list[Question]:
        seen: set[str] = set()
        for question in value:
            if question.id in seen:
                raise ValueError(f"question id '{question.id}' is used twice")
            seen.add(question.id)
        return value

    @model_validator(mode="after")
    def _scale_fits_kind(self) -> Criterion:
        if self.kind == "binary" and (self.min is not None or self.max is not None):
            raise ValueError("a binary criterion has no min or max (it is always 0 = no, 1 = yes)")
        if self.kind == "scale":
            if self.min is None or self.max is None:
                raise ValueError("a scale criterion needs both min and max")
            if self.max <= self.min:
                raise ValueError(f"max must be greater than min (got {self.min}..{self.max})")
        return self

    @field_validator("anchors")
    @classmethod
    def _anchor_every_point(cls, value: dict[int, str], info: ValidationInfo) -> dict[int, str]:
        lo, hi = info.data.get("min"), info.data.get("max")
        if info.data.get("kind") == "binary":
            if lo is not None or hi is not None:
                return value  # reported as a binary criterion with a scale
            return _check_labels(value, 0, 1, "anchor")
        if lo is None or hi is None or hi <= lo:
            return value  # the scale itself is already reported as wrong
        return _check_labels(value, lo, hi, "anchor")

    @model_validator(mode="after")
    def _level_anchors_fit(self) -> Criterion:
        points = set(self.scale.points) if self.kind == "binary" or self.min is not None else set()
        for level, anchors in self.level_anchors.items():
            stray = sorted(set(anchors) - points)
            if stray:
                raise ValueError(f"level_anchors.{level}: no point {stray[0]} on this scale")
        return self

    @property
    def scale(self) -> Scale:
        """The criterion's scale; binary criteria are 0..1."""
        if self.kind == "binary":
            return Scale(0, 1)
        assert self.min is not None and self.max is not None
        return Scale(self.min, self.max)

    def point_words(self, score: int | None) -> tuple[str, str]:
        """A point in words and its anchor, as every screen and file shows it: ("3 of 4",
        anchor), ("Yes", anchor) for a binary criterion, ("Not assessed", "") for none."""
        if score is None:
            return "Not assessed", ""
        if self.kind == "binary":
            return ("Yes" if score else "No"), self.anchors[score]
        return f"{score} of {self.scale.max}", self.anchors[score]


class Rubric(_Model):
    """How one interview session type is scored."""

    id: Slug = Field(description="Equals the file name without .yaml.")
    title: Text = Field(description="The session's name, shown to the scorer (no citations).")
    version: StrictInt = Field(ge=1, description="Bump when the meaning of any anchor changes.")
    sources: list[Citation] = _sources_field("the rubric's assesses and instructions")
    # Rubric files written before `sources` had one string, `source`. It is still read from the
    # rubric snapshots stored then (JSON), so they load and keep their hash; a file using it is
    # told to move to `sources`.
    source: SkipJsonSchema[str | None] = Field(None, exclude_if=lambda value: value is None)
    duration_minutes: StrictInt = Field(gt=0)
    assesses: Text = Field(
        description="What this session is meant to find out; shown to the scorer (no citations)."
    )
    instructions: Text = Field(
        description="To the scorer: how to run and apply it, how much help to give, what to note"
        " (no citations)."
    )
    criteria: list[Criterion] = Field(min_length=1)
    bars: dict[str, float] = Field(
        default_factory=dict,
        exclude_if=lambda bars: not bars,
        description="The weighted score (0..1) to advance when this rubric is a screen's, by the"
        " opening's level (`default` for the others); a stage's own bar overrides it.",
    )

    @field_validator("bars")
    @classmethod
    def _bars_between_0_and_1(cls, value: dict[str, float]) -> dict[str, float]:
        for level, bar in value.items():
            if not 0 <= bar <= 1:
                raise ValueError(f"the bar for {level} must be between 0 and 1 (got {bar})")
        return value

    def bar_for(self, level: str) -> float | None:
        """The rubric's own bar for an opening at `level` (case aside), else its default."""
        wanted = level.strip().casefold()
        found = {k.casefold(): v for k, v in self.bars.items()}
        return found.get(wanted, found.get("default"))

    @field_validator("source")
    @classmethod
    def _source_only_in_old_snapshots(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.mode != "json":
            raise ValueError(
                "is replaced by sources, a list of citations like L123 or L123-130"
                " (see rubrics/FORMAT.md)"
            )
        return value

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, value: list[Criterion]) -> list[Criterion]:
        seen: set[str] = set()
        for criterion in value:
            if criterion.id in seen:
                raise ValueError(f"criterion id '{criterion.id}' is used twice")
            seen.add(criterion.id)
        # A question is retired, and counted in the figures, by rubric id and question id: one
        # id names one question of the whole rubric.
        owner: dict[str, str] = {}
        for criterion in value:
            for question in criterion.questions:
                if question.id in owner:
                    raise ValueError(
                        f"question id '{question.id}' is used by criteria '{owner[question.id]}'"
                        f" and '{criterion.id}' (a question is retired by its rubric and its id)"
                    )
                owner[question.id] = criterion.id
        return value

    @property
    def content_hash(self) -> str:
        """sha256 over the rubric's content; formatting and comments in the file do not count."""
        return content_hash(self)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id; KeyError when the rubric has none."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(f"rubric '{self.id}' has no criterion '{criterion_id}'")


class OverallScale(_Model):
    """The overall recommendation a scorecard gives, with a label for every point."""

    min: StrictInt = 0
    max: StrictInt = 5
    labels: dict[int, Text]

    @model_validator(mode="after")
    def _valid(self) -> OverallScale:
        try:
            Scale(self.min, self.max)
        except ScaleError as exc:
            raise ValueError(str(exc)) from None
        _check_labels(self.labels, self.min, self.max, "label")
        return self

    @property
    def scale(self) -> Scale:
        """As a `Scale`, for the rules."""
        return Scale(self.min, self.max)


class LoopSession(_Model):
    """One scored session of a loop, in the order of the day."""

    rubric: Slug = Field(description="The id of a rubric file.")
    title: str = Field("", description="Optional; defaults to the rubric's title.")
    minutes: StrictInt = Field(gt=0)


StageKind = Literal["screen", "take_home", "loop", "offer"]
RuleKind = Literal["single", "vote", "manager"]


class StageSpec(_Model):
    """One stage of an opening's process (issue 27; L1150-1161, L2945-2956): a screen, a
    take-home, the on-site loop (this file's sessions, decided by the opening's strategy) or the
    offer. Screens and take-homes are reviewed against a rubric by the opening's reviewers for
    that stage; their outcome is advance or reject."""

    kind: StageKind
    title: str = Field("", description="Optional; defaults to the rubric's title or the kind.")
    rubric: Slug | None = Field(None, description="A screen's or take-home's rubric id.")
    rule: RuleKind = Field(
        "single",
        description="single: one reviewer's recommendation decides; vote: the majority of the"
        " stage's reviewers (a tie goes to the hiring manager); manager: the hiring manager"
        " decides after the reviews are in.",
    )
    reviewers: StrictInt = Field(1, ge=1, le=5, description="Reviewers per candidate.")
    bar: float | dict[str, float] | None = Field(
        None,
        description="Threshold on the weighted score (0..1) to advance, or one per level"
        " (`default` for the others). None: the recommendation alone decides.",
    )
    provisional: bool = Field(False, description="The bar is a first guess (L2101-2106).")
    spot_check: float = Field(
        0, ge=0, le=1, description="Share of rejections sent to a second reviewer (L1255)."
    )
    blind: bool = Field(False, description="Reviewers see the alias, never the name (L1601).")
    hours: float | None = Field(None, gt=0, description="A take-home: the time it should take.")
    deadline_days: float | None = Field(None, gt=0, description="A take-home: days to answer.")

    @model_validator(mode="after")
    def _valid(self) -> StageSpec:
        if self.kind in ("screen", "take_home") and self.rubric is None:
            raise ValueError(f"a {self.kind} stage needs a rubric")
        if self.kind in ("loop", "offer") and self.rubric is not None:
            raise ValueError(f"a {self.kind} stage has no rubric of its own")
        if self.kind == "take_home" and (self.hours is None or self.deadline_days is None):
            raise ValueError("a take_home stage needs hours and deadline_days")
        bars = self.bar.values() if isinstance(self.bar, dict) else [self.bar]
        if any(b is not None and not 0 <= b <= 1 for b in bars):
            raise ValueError("bar must be between 0 and 1")
        return self

    def bar_for(self, level: str) -> float | None:
        """The threshold for an opening at `level`."""
        if isinstance(self.bar, dict):
            return self.bar.get(level, self.bar.get("default"))
        return self.bar


class Loop(_Model):
    """A loop template: the sessions of an interview day and the overall scale."""

    id: Slug = Field(description="Equals the file name without .yaml.")
    title: Text
    role: Text
    sources: list[Citation] = _sources_field("this loop")
    description: str = Field("", description="What the loop is for (no citations).")
    overall_scale: OverallScale
    sessions: list[LoopSession] = Field(min_length=1)
    levels: list[Text] = Field(
        default_factory=list,
        exclude_if=lambda levels: not levels,
        description="The levels this loop is for (none: any): an opening at another level is"
        " refused, so its level selects the loop.",
    )
    stages: list[StageSpec] = Field(
        default_factory=list,
        exclude_if=lambda value: not value,
        description="The opening's process in order; none: the on-site loop alone. Exactly one"
        " stage is the loop; an offer, if any, is last.",
    )

    @model_validator(mode="after")
    def _valid_stages(self) -> Loop:
        if not self.stages:
            return self
        kinds = [s.kind for s in self.stages]
        if kinds.count("loop") != 1:
            raise ValueError("stages: exactly one stage is the loop")
        if "offer" in kinds and (kinds.count("offer") > 1 or kinds[-1] != "offer"):
            raise ValueError("stages: the offer, if any, is the one last stage")
        if any(k in ("screen", "take_home") for k in kinds[kinds.index("loop") :]):
            raise ValueError("stages: screens and take-homes come before the loop")
        return self

    def process(self) -> list[StageSpec]:
        """The stages in order: the declared ones, or the loop alone."""
        return list(self.stages) or [StageSpec(kind="loop")]


def sources_line(sources: list[str]) -> str:
    """A ``sources`` list as one line of plain text for a reader, e.g. ``Sources
    (hiring-book.txt): L2081-2089, L2962``; items are separated by semicolons when any carries a
    note (which may hold commas). Empty when there are none."""
    if not sources:
        return ""
    separator = "; " if any(":" in citation for citation in sources) else ", "
    return f"Sources ({BOOK}): {separator.join(sources)}"


def content_hash(model: BaseModel) -> str:
    """sha256 of the canonical JSON of a model: same content, same hash."""
    canonical = json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def rubric_json_schema() -> dict[str, Any]:
    """JSON Schema of the rubric file format, for editors and `python -m scoring schema`."""
    schema = Rubric.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Debrief rubric"
    return schema


# --------------------------------------------------------------------------------------- loading


@dataclass
class Catalog:
    """What the loader found: the good rubrics and loops, and every problem."""

    rubrics: dict[str, Rubric] = field(default_factory=dict)
    loops: dict[str, Loop] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Loops that are fine themselves but use a rubric whose file is broken (its problem is listed).
    held_back: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every file loaded."""
        return not self.problems


def _load_one(path: Path, model: type[_Model], shown: str) -> tuple[Any, list[Problem]]:
    document, problems = _read_yaml(path, shown)
    if problems:
        return None, problems
    try:
        loaded = model.model_validate(document)
    except ValidationError as exc:
        return None, problems_from(exc, shown)
    if loaded.id != path.stem:
        return None, [
            Problem(shown, f"must equal the file name '{path.stem}' (got {loaded.id!r})", "id")
        ]
    return loaded, []


def _shown(path: Path, root: Path | None) -> str:
    """The path as a person would type it: relative to the working directory when possible."""
    for base in (Path.cwd(), root):
        if base is None:
            continue
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def load_catalog(*paths: str | Path) -> Catalog:
    """Load rubrics and loops from directories (``<dir>/*.yaml`` and ``<dir>/loops/*.yaml``) and
    single files. A file under a folder named ``loops`` is a loop template; any other is a rubric.
    Broken files are reported in ``Catalog.problems`` and left out; the good ones load.
    """
    rubric_files: list[Path] = []
    loop_files: list[Path] = []
    catalog = Catalog()
    for given in paths or ("rubrics",):
        path = Path(given)
        if path.is_dir():
            rubric_files += sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
            loop_files += sorted((path / "loops").glob("*.yaml")) + sorted(
                (path / "loops").glob("*.yml")
            )
        elif path.is_file():
            (loop_files if path.parent.name == "loops" else rubric_files).append(path)
        else:
            catalog.problems.append(Problem(str(given), "does not exist"))

    broken_rubric_ids: set[str] = set()
    for path in rubric_files:
        shown = _shown(path, None)
        rubric, problems = _load_one(path, Rubric, shown)
        if rubric is None:
            broken_rubric_ids.add(path.stem)
            catalog.problems += problems
        elif rubric.id in catalog.rubrics:
            catalog.problems.append(
                Problem(shown, f"rubric id '{rubric.id}' is already used", "id")
            )
        else:
            catalog.rubrics[rubric.id] = rubric

    for path in loop_files:
        shown = _shown(path, None)
        loop, problems = _load_one(path, Loop, shown)
        if loop is None:
            catalog.problems += problems
            continue
        unknown = []
        for index, session in enumerate(loop.sessions):
            if session.rubric in catalog.rubrics:
                continue
            if session.rubric in broken_rubric_ids:
                catalog.held_back[loop.id] = f"rubric '{session.rubric}' has errors"
            else:
                unknown.append(
                    Problem(
                        shown,
                        f"names rubric '{session.rubric}', which does not exist",
                        f"sessions[{index}].rubric",
                    )
                )
        if unknown:
            catalog.problems += unknown
        elif loop.id not in catalog.held_back:
            catalog.loops[loop.id] = loop
    return catalog
