"""Adverse impact (issue 28, item 5): per stage, per self-identified group and per source, the
selection rate with Wilson's interval and the ratio to the group selected most often with
Katz's interval; groups below the minimum not shown and never the reference; "Prefer not to
say" in no rate; the figures stop at the end of the last full month, so a write today changes
nothing shown today; the Insights section in words."""

from __future__ import annotations

import math
import random
import re
from datetime import UTC, datetime, timedelta

import pytest

from scoring import demographics, people, schedule_changes
from scoring.errors import NotAllowed
from scoring.insights.adverse_impact import adverse_impact, ratio_interval
from scoring.insights.limits import share_interval
from tests.fairness_world import (
    DECEMBER,
    JANUARY,
    OCT,
    SEP,
    TODAY,
    add,
    configure,
    decide,
    fair_opening,
    group,
    loop,
)
from tests.world import ROOT, build


@pytest.fixture
def w(tmp_path, monkeypatch):
    world = build(tmp_path / "fair.sqlite")
    configure(tmp_path, monkeypatch)
    return world


def figures(w, who="manager", opening_id=None, now=TODAY):
    return adverse_impact(w.store, w.person(who), [opening_id], now=now)


def category(view, position: int, name: str):
    stage = next(s for s in view.openings[0].stages if s.position == position)
    return next(c for c in stage.categories if c.category == name)


def groups(view, position: int, name: str) -> dict:
    return {g.answer: g for g in category(view, position, name).groups}


# ----------------------------------------------------------------------------- the truth


def test_known_rates_with_small_unequal_groups(w):
    """Women 4 of 10, men 10 of 14, non-binary 2 of 3 (below the minimum of 5), "Prefer not to
    say" 6 of 6: the rates, Wilson's intervals, the ratio 0.56 with Katz's interval, the
    reference, and the sentence."""
    o = fair_opening(w)
    group(w, o, 4, 6, 0, gender="Woman")
    group(w, o, 10, 4, 100, gender="Man")
    group(w, o, 2, 1, 200, gender="Non-binary")
    group(w, o, 6, 0, 300, gender="Prefer not to say")
    view = figures(w, opening_id=o)
    shown = groups(view, 1, "gender")
    assert set(shown) == {"Woman", "Man"}  # neither the small group nor "Prefer not to say"
    women, men = shown["Woman"], shown["Man"]
    assert (women.decided, women.selected, men.decided, men.selected) == (10, 4, 14, 10)
    assert women.rate == pytest.approx(0.4) and men.rate == pytest.approx(10 / 14)
    assert (women.low, women.high) == pytest.approx((0.1682, 0.6873), abs=1e-4)  # Wilson
    assert (men.low, men.high) == pytest.approx(share_interval(10, 14))
    assert men.reference and men.ratio == 1.0 and not women.reference
    assert women.ratio == pytest.approx(0.56)
    # Katz: exp(ln 0.56 ± 1.96 √(1/4 − 1/10 + 1/10 − 1/14))
    assert (women.ratio_low, women.ratio_high) == pytest.approx((0.2446, 1.2820), abs=1e-4)
    assert women.below_four_fifths and not men.below_four_fifths
    said = category(view, 1, "gender").sentences()
    assert said[0].startswith("Men were selected most often here: 71%")
    assert said[1] == (
        "Women were selected at 0.56 of the rate of men (interval 0.24–1.28): below"
        " four-fifths, though the interval reaches 1: too few to tell from chance."
    )
    assert category(view, 1, "gender").hidden  # non-binary: fewer than 5, count not said
    assert "Non-binary" not in " ".join(view.openings[0].stages[0].sentences())
    assert view.through.isoformat() == "2026-10-31"
    assert view.through_words().startswith(
        "through 31 Oct 2026 at most; figures move only in batches of at least 5 decisions"
        " per stage"
    )
    assert view.openings[0].stages[0].through_words() == "Decisions through 31 Oct 2026."


def test_a_simulated_history_counts_exactly_what_was_decided_at_each_stage(w):
    """A seeded history: three groups of unequal sizes with different chances of passing the
    take-home, the loop decided for some who passed, a source for each. Every figure shown is
    the count the history made, at both stages; the offer is not a stage here."""
    o = fair_opening(w)
    rng = random.Random(28)
    plan = [
        ("Woman", 6, 0.35, "referral"),
        ("Man", 11, 0.75, "applied"),
        ("Non-binary", 23, 0.55, "agency"),
    ]
    truth: dict[tuple[int, str, str], list[int]] = {}
    n = 0
    for answer, size, chance, source in plan:
        for _ in range(size):
            n += 1
            cid = add(w, o, n, gender=answer)
            demographics.set_source(w.store, w.coordinator, cid, source, now=SEP)
            passed = rng.random() < chance
            decide(w, cid, passed, OCT)
            for key in ((1, "gender", answer), (1, "source", source)):
                truth.setdefault(key, [0, 0])[0 if passed else 1] += 1
            if passed and rng.random() < 0.4:
                hire = rng.random() < chance
                loop(w, cid, hire, OCT + timedelta(days=3))
                for key in ((2, "gender", answer), (2, "source", source)):
                    truth.setdefault(key, [0, 0])[0 if hire else 1] += 1
    view = figures(w, opening_id=o)
    assert [s.kind for s in view.openings[0].stages] == ["take_home", "loop"]
    for (position, name, answer), (selected, rejected) in truth.items():
        found = groups(view, position, name)
        if selected + rejected < 5:
            assert answer not in found
            continue
        g = found[answer]
        assert (g.selected, g.decided) == (selected, selected + rejected), (position, answer)
        assert g.rate == pytest.approx(selected / (selected + rejected))
    for position in (1, 2):
        for name in ("gender", "source"):
            shown = list(groups(view, position, name).values())
            if len(shown) >= 2 and max(g.selected for g in shown):
                ref = max(shown, key=lambda g: g.rate)
                assert ref.reference
                for g in shown:
                    assert g.ratio == pytest.approx(g.rate / ref.rate)


def test_katz_interval_covers_the_true_ratio_about_95_times_in_100():
    """Binomial draws with known rates (0.3 of 15 against 0.6 of 40: a true ratio of 0.5): the
    printed 95% interval covers 0.5 in 93-97.5% of 4,000 draws."""
    rng = random.Random(5)
    covered = tried = 0
    for _ in range(4000):
        x1 = sum(rng.random() < 0.3 for _ in range(15))
        x2 = sum(rng.random() < 0.6 for _ in range(40))
        if x2 == 0:
            continue
        tried += 1
        _, low, high = ratio_interval(x1, 15, x2, 40)
        covered += low <= 0.5 <= high
    assert 0.93 <= covered / tried <= 0.975


def test_ratio_interval_where_a_group_selected_no_one():
    ratio, low, high = ratio_interval(0, 20, 15, 20)  # ½ added to each count
    assert ratio == 0 and low == 0 and high == pytest.approx(0.50, abs=0.01)
    assert ratio_interval(0, 8, 6, 10)[2] > 1  # a small group: the interval reaches 1
    with pytest.raises(ValueError):
        ratio_interval(3, 8, 0, 10)
    ratio, low, high = ratio_interval(6, 10, 6, 10)
    assert ratio == 1 and low < 1 < high
    assert math.isclose(math.log(high), -math.log(low))


# ----------------------------------------------------------------------- what is not shown


def test_a_group_below_the_minimum_is_not_shown_and_never_the_reference(w):
    """Four non-binary candidates all selected (the highest rate) are not shown and are not
    the reference; a group of exactly five is shown."""
    o = fair_opening(w)
    group(w, o, 4, 0, 0, gender="Non-binary")
    group(w, o, 2, 3, 100, gender="Woman")
    group(w, o, 4, 4, 200, gender="Man")
    view = figures(w, opening_id=o)
    shown = groups(view, 1, "gender")
    assert set(shown) == {"Woman", "Man"} and shown["Woman"].decided == 5
    assert shown["Man"].reference and shown["Woman"].ratio == pytest.approx(0.4 / 0.5)
    assert not shown["Woman"].below_four_fifths  # 0.8 is not below four-fifths
    assert "Non-binary" not in str(view.to_json()) and "Non-binary" not in str(view.rows())


def test_prefer_not_to_say_counts_in_no_rate_however_many_chose_it(w):
    o = fair_opening(w)
    group(w, o, 9, 0, 0, gender="Prefer not to say", pet="Prefer not to say")
    group(w, o, 3, 2, 100, gender="Woman", pet="Otter")
    view = figures(w, opening_id=o)
    assert set(groups(view, 1, "gender")) == {"Woman"}
    assert set(groups(view, 1, "pet")) == {"Otter"}
    assert "Prefer not to say" not in str(view.to_json())
    assert category(view, 1, "gender").sentences() == [
        "Gender: only one group has 5 or more candidates decided here: nothing to compare it with."
    ]


def test_nobody_selected_in_any_group_shown_gives_no_ratio(w):
    o = fair_opening(w)
    group(w, o, 0, 5, 0, gender="Woman")
    group(w, o, 0, 6, 100, gender="Man")
    view = figures(w, opening_id=o)
    assert all(g.ratio is None for g in groups(view, 1, "gender").values())
    assert "no ratio" in category(view, 1, "gender").sentences()[0]


# ------------------------------------------------------------------------- differencing


def test_a_write_today_changes_nothing_shown_today(w):
    """A decision today, answers recorded today for someone decided last month, an answer
    corrected (twice, then submitted again) today, a withdrawal today, sources set today: the
    figures are identical before and after. When the month is over (with a batch of five
    decisions in it), they count the new state."""
    o = fair_opening(w)
    women = group(w, o, 3, 3, 0, gender="Woman")
    group(w, o, 4, 3, 100, gender="Man")
    unanswered = add(w, o, 200)
    decide(w, unanswered, False, OCT)
    waiting = add(w, o, 201, gender="Woman")
    pending = add(w, o, 202, gender="Man")
    before = figures(w, opening_id=o).to_json()
    decide(w, waiting, True, TODAY)
    demographics.record(w.store, w.coordinator, unanswered, {"gender": "Man"}, now=TODAY)
    demographics.record(w.store, w.coordinator, women[0], {"gender": "Man"}, now=TODAY)
    for answer in ("Non-binary", "Non-binary"):
        demographics.record(w.store, w.coordinator, women[0], {"gender": answer}, now=TODAY)
    schedule_changes.withdraw_candidate(w.store, w.coordinator, pending, "elsewhere", now=TODAY)
    for cid in women[1:]:  # their source, recorded today
        demographics.set_source(w.store, w.coordinator, cid, "referral", now=TODAY)
    for n in range(4):  # four more decided today: with `waiting`, a batch of five
        decide(w, add(w, o, 300 + n), False, TODAY)
    after = figures(w, opening_id=o).to_json()
    assert after == before
    later = groups(figures(w, opening_id=o, now=DECEMBER), 1, "gender")
    assert (later["Woman"].selected, later["Woman"].decided) == (3, 6)  # -1 corrected, +1 today
    assert (later["Man"].selected, later["Man"].decided) == (4, 8)  # + the one recorded today
    referred = groups(figures(w, opening_id=o, now=DECEMBER), 1, "source")["referral"]
    assert (referred.selected, referred.decided) == (2, 5)


def test_a_decision_revised_this_month_shows_its_earlier_outcome_until_a_batch_closes(w):
    o = fair_opening(w)
    group(w, o, 3, 2, 0, gender="Woman")
    revised = group(w, o, 2, 3, 100, gender="Man")[-1]  # rejected in October
    before = figures(w, opening_id=o).to_json()
    decide(w, revised, True, TODAY)  # the hiring manager overturns the rejection
    assert figures(w, opening_id=o).to_json() == before
    # alone in November: still the earlier outcome in December
    assert groups(figures(w, opening_id=o, now=DECEMBER), 1, "gender")["Man"].selected == 2
    for n in range(4):
        decide(w, add(w, o, 300 + n), False, DECEMBER)
    assert groups(figures(w, opening_id=o, now=JANUARY), 1, "gender")["Man"].selected == 3


def shown(view) -> list:
    """What the figures show of each stage, without the date they are read on."""
    return view.to_json()["openings"]


def test_a_month_with_one_decision_changes_nothing_until_a_batch_of_min_group_closes(w):
    """The month-end attack: a month that adds one decision at a stage would give that
    candidate's group away when it closes. Months with fewer than five decisions at the stage
    are carried forward, and enter together once five distinct candidates have been decided
    there since the figures last moved (one decided twice counts once)."""
    o = fair_opening(w)
    group(w, o, 3, 2, 0, gender="Woman")
    group(w, o, 3, 3, 100, gender="Man")
    seen = shown(figures(w, opening_id=o))
    lone = add(w, o, 200, gender="Woman")
    decide(w, lone, False, TODAY)  # the only decision in November
    december = figures(w, opening_id=o, now=DECEMBER)
    assert shown(december) == seen
    assert december.openings[0].stages[0].through.isoformat() == "2026-10-31"
    men = [add(w, o, 300 + n, gender="Man") for n in range(4)]
    decide(w, lone, True, DECEMBER)  # overturned: still one candidate
    for cid in men[:3]:
        decide(w, cid, False, DECEMBER)
    assert shown(figures(w, opening_id=o, now=JANUARY)) == seen  # four candidates since
    decide(w, men[3], False, DECEMBER)  # the fifth
    january = figures(w, opening_id=o, now=JANUARY)
    assert january.openings[0].stages[0].through.isoformat() == "2026-12-31"
    entered = groups(january, 1, "gender")
    assert (entered["Woman"].selected, entered["Woman"].decided) == (4, 6)
    assert (entered["Man"].selected, entered["Man"].decided) == (3, 10)
    # the loop has had no decision: nothing counted there, and it says so
    loop_stage = january.openings[0].stages[1]
    assert loop_stage.through is None and "No batch of 5" in loop_stage.through_words()


def test_an_answer_corrected_after_a_stage_stopped_counting_leaves_it_as_it_was(w):
    """A stage whose figures stop at the start of October (November's batch too small) reads
    each answer in force then: an answer first given in October and corrected today was
    none at that cutoff, before the correction and after it."""
    o = fair_opening(w)
    group(w, o, 2, 2, 0, SEP, gender="Woman")
    group(w, o, 3, 2, 100, SEP, gender="Man")
    late = add(w, o, 200)
    decide(w, late, True, SEP)  # ten decided in September: a batch
    demographics.record(w.store, w.coordinator, late, {"gender": "Woman"}, now=OCT)
    decide(w, add(w, o, 201), False, OCT)  # October: one decision, carried forward
    view = figures(w, opening_id=o)
    assert view.openings[0].stages[0].through.isoformat() == "2026-09-30"
    assert set(groups(view, 1, "gender")) == {"Man"}  # four women then: not shown
    demographics.record(w.store, w.coordinator, late, {"gender": "Man"}, now=TODAY)
    assert shown(figures(w, opening_id=o)) == shown(view)


# ----------------------------------------------------------------------------- who sees it


def test_the_coordinator_and_the_openings_hiring_manager_see_it_no_one_else(w):
    o = fair_opening(w)
    group(w, o, 3, 3, 0, gender="Woman")
    assert figures(w, "coordinator", o).openings[0].opening_id == o
    assert figures(w, "manager", o).openings[0].opening_id == o
    other = people.add_person(
        w.store, w.coordinator, "Hana Other", "hana@example.com", ["hiring_manager"]
    )
    for who in (w.ana, w.member, w.outsider, other):
        with pytest.raises(NotAllowed, match="adverse-impact"):
            adverse_impact(w.store, who, [o], now=TODAY)


# ----------------------------------------------------------------------------- the section


def section_as(w, who, opening_id, monkeypatch):
    from streamlit.testing.v1 import AppTest

    def section(location: str, person_id: int, opening_id: int) -> None:
        from scoring.people import get_person
        from scoring.store import Store
        from ui.insight_fairness import show

        store = Store(location)
        show(store, get_person(store, person_id), [opening_id])

    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(
        section, args=(w.store.location, w.person(who).id, opening_id), default_timeout=30
    )
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_section_says_it_in_words_with_a_small_table_per_stage(w, monkeypatch):
    o = fair_opening(w)
    group(w, o, 4, 6, 0, gender="Woman")
    group(w, o, 10, 4, 100, gender="Man")
    at = section_as(w, "manager", o, monkeypatch)
    text = " ".join(m.value for m in at.markdown)
    assert "Women were selected at 0.56 of the rate of men (interval 0.24–1.28)" in text
    assert "The four-fifths rule" in text and "not proof of discrimination" in text
    assert "Katz" in text and "Wilson" in text
    captions = " ".join(c.value for c in at.caption)
    # on the clock of the day the test runs: the end of the last full month
    assert re.search(
        r"through \d{1,2} [A-Z][a-z]{2} \d{4} at most; figures move only in batches of at"
        r" least 5 decisions per stage",
        captions,
    )
    assert re.search(r"Decisions through \d{1,2} [A-Z][a-z]{2} \d{4}\.", captions)
    assert "No batch of 5 or more decisions at this stage has closed yet" in captions
    assert "fewer than 5 candidates decided at this stage are not shown" in captions
    (frame,) = at.dataframe  # the loop has no group of 5 yet: no table there
    table = frame.value
    assert list(table.columns) == ["group", "selected", "rate (95%)", "ratio to highest (95%)"]
    assert list(table["group"]) == ["Gender: Woman", "Gender: Man"]
    assert table["ratio to highest (95%)"][0] == "0.56 (0.24–1.28): below 4/5"
    assert table["ratio to highest (95%)"][1] == "highest rate (reference)"


def test_the_section_says_why_to_someone_who_may_not_see_it(w, monkeypatch):
    o = fair_opening(w)
    at = section_as(w, "ana", o, monkeypatch)
    assert not at.dataframe
    assert "coordinator and the opening's hiring manager" in at.caption[0].value


def test_a_malformed_configuration_is_said_on_the_section(w, tmp_path, monkeypatch):
    o = fair_opening(w)
    configure(tmp_path, monkeypatch, "[demographics]\nmin_group = 1\n")
    at = section_as(w, "coordinator", o, monkeypatch)
    assert "min" in at.error[0].value and "a whole number of at least 3" in at.error[0].value


def test_the_insights_page_has_the_section(w, monkeypatch):
    from tests.world import page_as

    o = fair_opening(w)
    group(w, o, 3, 3, 0, gender="Woman")
    at = page_as(w, "coordinator", "pages/insights.py", monkeypatch)
    at.button_group(key="section").set_value("fairness").run()
    assert not at.exception
    assert "Pick one opening above" in " ".join(c.value for c in at.caption)
    titles = list(at.selectbox[0].options)
    at.selectbox[0].select_index(titles.index("Fairness opening · Data scientist")).run()
    assert not at.exception
    assert at.header[0].value == "Adverse impact"


def test_the_cutoff_is_the_start_of_the_month_in_utc():
    late = datetime(2026, 11, 30, 23, 59, tzinfo=UTC)
    assert demographics.cutoff_of(late) == datetime(2026, 11, 1, tzinfo=UTC)
    assert demographics.cutoff_of(datetime(2027, 1, 1, tzinfo=UTC)).month == 1
