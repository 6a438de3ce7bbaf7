"""Question pools' stored records (issue 27): a suspected-cheating flag as the debrief shows it.
Nothing here reads the database: `scoring.questions` builds these from rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CheatingFlag:
    """An interviewer's flag of suspected cheating on their session, with the evidence they
    wrote: a recorded fact for the decision makers, never a score. `session_title` is empty when
    the session was cancelled since; `question_id` names the drawn question it concerns, if
    any."""

    id: int
    assignment_id: int
    flagged_by: str
    flagged_at: datetime
    evidence: str
    session_title: str = ""
    question_id: str | None = None
    question_version: int | None = None

    @property
    def question_words(self) -> str:
        """'question stats-p-value v1', or '' when the flag names no question."""
        if not self.question_id:
            return ""
        version = f" v{self.question_version}" if self.question_version else ""
        return f"question {self.question_id}{version}"

    @property
    def where(self) -> str:
        """The session and the question it concerns, in words: 'Coding session, question
        coding-funnel v1'; 'a cancelled session' when the session is gone."""
        parts = [self.session_title or "a cancelled session", self.question_words]
        return ", ".join(p for p in parts if p)
