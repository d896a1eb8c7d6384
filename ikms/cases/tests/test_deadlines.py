"""Statutory deadlines in Latvian working days (ikms.cases.deadlines): a table of known answers, worked out by hand
from the calendar (holidays, the Cabinet's moved days off and working Saturdays), month ends, the two regimes of
the Law on Submissions, and extensions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ikms.cases.deadlines import StatutoryDeadline, Term, WorkingCalendar, add_months, rules, working_calendar

D = dt.date


@pytest.mark.parametrize(
    ("start", "term", "expected", "why"),
    [
        # the regression case: Mon 23.12 is a moved day off, 24–26.12 holidays, Sat 28.12 a moved working day,
        # 30.12 (moved), 31.12 and 01.01 days off: 27.12, 28.12, 02.01, 03.01, 06.01, 07.01, 08.01
        (D(2024, 12, 20), Term(working_days=7), D(2025, 1, 8), "7 working days over Christmas 2024"),
        (D(2024, 12, 20), Term(working_days=1), D(2024, 12, 27), "the first working day after Christmas"),
        (D(2024, 12, 27), Term(working_days=1), D(2024, 12, 28), "a moved working Saturday counts"),
        (D(2025, 4, 16), Term(working_days=5), D(2025, 4, 25), "Good Friday and Easter Monday skipped"),
        (D(2025, 5, 3), Term(working_days=1), D(2025, 5, 6), "Restoration Day on a Sunday: Monday 05.05 is off"),
        (D(2025, 5, 9), Term(working_days=1), D(2025, 5, 10), "Saturday 10.05.2025 was a working day"),
        (D(2026, 3, 2), Term(working_days=10), D(2026, 3, 16), "10 working days in a plain fortnight"),
        (D(2025, 1, 31), Term(months=1), D(2025, 2, 28), "month end: 31 January + 1 month"),
        (D(2024, 1, 31), Term(months=1), D(2024, 2, 29), "month end in a leap year"),
        (D(2025, 3, 31), Term(months=1), D(2025, 4, 30), "31 March + 1 month"),
        (D(2025, 5, 31), Term(months=1), D(2025, 6, 30), "31 May + 1 month: a Monday"),
        (D(2025, 10, 31), Term(months=4), D(2026, 3, 2), "the month end 28.02.2026 is a Saturday: Monday 02.03"),
        (D(2025, 10, 18), Term(months=1), D(2025, 11, 19), "falls on Proclamation Day 18.11: the next working day"),
        (D(2024, 11, 23), Term(months=1), D(2024, 12, 27), "falls on the moved day off 23.12: after Christmas"),
        (D(2025, 6, 2), Term(days=21), D(2025, 6, 25), "calendar days ending on Midsummer 23–24.06: Wednesday 25.06"),
    ],
)
def test_terms_end_on_the_day_worked_out_by_hand(start, term, expected, why):
    assert term.end(start) == expected, why


def test_the_calendar_knows_moved_days():
    cal = working_calendar()
    assert cal.is_working_day(D(2024, 12, 14))  # Saturday, working (its day off was 23.12)
    assert not cal.is_working_day(D(2024, 12, 23))
    assert not cal.is_working_day(D(2024, 12, 24))  # Christmas Eve
    assert not cal.is_working_day(D(2025, 11, 17))  # moved from Saturday 08.11.2025
    assert cal.is_working_day(D(2025, 11, 8))
    assert not cal.is_working_day(D(2025, 6, 21))  # a plain Saturday
    assert cal.working_days_between(D(2024, 12, 20), D(2025, 1, 8)) == 7


def test_a_file_of_moved_days_wins_over_the_package(tmp_path, settings):
    path = tmp_path / "days.yaml"
    path.write_text(
        "days_off:\n  - {date: 2027-05-03, source: test order}\n"
        "working_days:\n  - {date: 2027-05-08, source: test order}\n",
        encoding="utf-8",
    )
    settings.IKMS_WORKING_DAYS_FILE = path
    cal = working_calendar()
    assert not cal.is_working_day(D(2027, 5, 3)) and cal.is_working_day(D(2027, 5, 8))
    assert Term(working_days=1).end(D(2027, 4, 30)) == D(2027, 5, 5)  # 01.05 Sat, 03.05 off, 04.05 holiday


def test_a_moved_day_without_a_source_is_refused(tmp_path, settings):
    path = tmp_path / "days.yaml"
    path.write_text("days_off:\n  - {date: 2027-05-03}\n", encoding="utf-8")
    settings.IKMS_WORKING_DAYS_FILE = path
    with pytest.raises(ValueError, match="source"):
        working_calendar()


def test_a_day_both_off_and_working_is_refused():
    with pytest.raises(ValueError, match="both"):
        WorkingCalendar(days_off={D(2027, 1, 4)}, working_days={D(2027, 1, 4)})


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 1, 31), 13, D(2026, 2, 28)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("received", "regime", "due"),
    [
        (D(2026, 2, 27), "submissions_until_2026_02", D(2026, 3, 27)),  # one month
        (D(2026, 2, 28), "submissions_until_2026_02", D(2026, 3, 30)),  # 28.03 a Saturday → Monday 30.03
        (D(2026, 3, 1), "submissions_from_2026_03", D(2026, 3, 13)),  # 10 working days from Sunday 01.03
        (D(2026, 3, 2), "submissions_from_2026_03", D(2026, 3, 16)),
    ],
)
def test_the_answer_to_a_submission_follows_the_regime_of_the_day_of_receipt(received, regime, due):
    deadline = StatutoryDeadline.start("submission_answer", received, today=D(2026, 6, 1))
    assert deadline.regime.code == regime
    assert deadline.statutory_due_on == due


def test_forwarding_takes_seven_then_five_working_days():
    assert StatutoryDeadline.start("submission_forward", D(2024, 12, 20), today=D(2025, 1, 1)).due_on == D(2025, 1, 8)
    assert StatutoryDeadline.start("submission_forward", D(2026, 3, 2), today=D(2026, 6, 1)).due_on == D(2026, 3, 9)


def test_a_deadline_cannot_start_in_the_future():
    with pytest.raises(ValidationError) as exc:
        StatutoryDeadline.start("submission_answer", D(2026, 3, 3), today=D(2026, 3, 2))
    assert "starts_on" in exc.value.message_dict


def test_extensions_need_a_reason_a_later_working_day_and_stay_within_the_law():
    deadline = StatutoryDeadline.start("submission_answer", D(2025, 1, 10), today=D(2025, 1, 10))
    assert deadline.due_on == D(2025, 2, 10) and deadline.latest_possible == D(2025, 5, 10)
    # (four months end on Saturday 10.05.2025, a moved working day)
    for due_on, reason, field in [
        (D(2025, 3, 10), "  ", "reason"),
        (D(2025, 2, 7), "Vajag ekspertīzi", "due_on"),  # earlier than now
        (D(2025, 3, 8), "Vajag ekspertīzi", "due_on"),  # a Saturday
        (D(2025, 5, 12), "Vajag ekspertīzi", "due_on"),  # past four months
        (None, "Vajag ekspertīzi", "due_on"),
    ]:
        with pytest.raises(ValidationError) as exc:
            deadline.extend(due_on=due_on, reason=reason)
        assert field in exc.value.message_dict, (due_on, reason)
    extended = deadline.extend(due_on=D(2025, 3, 10), reason=" Vajag citas iestādes viedokli ", by="inspector")
    assert extended.due_on == D(2025, 3, 10) and extended.statutory_due_on == D(2025, 2, 10)
    assert extended.extensions[-1].reason == "Vajag citas iestādes viedokli"
    assert deadline.extensions == ()  # the object is immutable: extend returns a new one
    assert extended.extend(due_on=D(2025, 5, 10), reason="Vēl").due_on == D(2025, 5, 10)


def test_working_days_left_counts_both_ways():
    deadline = StatutoryDeadline.start("submission_forward", D(2024, 12, 20), today=D(2025, 1, 1))
    assert deadline.working_days_left(D(2025, 1, 6)) == 2
    assert deadline.working_days_left(D(2025, 1, 8)) == 0
    assert deadline.working_days_left(D(2025, 1, 10)) == -2


def test_every_rule_has_labels_in_both_languages_and_regimes_without_gaps():
    for rule in rules().values():
        assert rule.labels["lv"] and rule.labels["en"]
        for regime in rule.regimes:
            assert regime.labels["lv"] and regime.labels["en"] and regime.source


def test_a_deadline_the_decision_sets_takes_its_day_and_can_be_extended_with_a_reason():
    deadline = StatutoryDeadline.start("inspection_order", D(2025, 3, 3), today=D(2025, 3, 3), due_on=D(2025, 4, 15))
    assert deadline.regime.decided and deadline.statutory_due_on == D(2025, 4, 15) == deadline.due_on
    assert deadline.latest_possible is None
    extended = deadline.extend(due_on=D(2025, 5, 15), reason="Iestāde lūdz ilgāku laiku remontam.")
    assert extended.due_on == D(2025, 5, 15) and extended.statutory_due_on == D(2025, 4, 15)


@pytest.mark.parametrize(("due_on", "field"), [(None, "due_on"), (D(2025, 3, 3), "due_on"), (D(2025, 3, 1), "due_on")])
def test_a_decided_deadline_needs_a_day_after_its_start(due_on, field):
    with pytest.raises(ValidationError) as caught:
        StatutoryDeadline.start("inspection_order", D(2025, 3, 3), today=D(2025, 3, 3), due_on=due_on)
    assert field in caught.value.message_dict


def test_a_statutory_deadline_takes_no_day_from_the_decision():
    with pytest.raises(ValueError, match="the law sets the day"):
        StatutoryDeadline.start("submission_answer", D(2025, 3, 3), today=D(2025, 3, 3), due_on=D(2025, 4, 15))


def test_a_regime_has_either_a_term_or_a_decided_day():
    from ikms.cases.deadlines import _parse_rules

    both = {
        "rules": {"x": {"label": "x", "regimes": [{"code": "a", "label": "a", "term": {"days": 5}, "decided": True}]}}
    }
    neither = {"rules": {"x": {"label": "x", "regimes": [{"code": "a", "label": "a"}]}}}
    for data in (both, neither):
        with pytest.raises(ValueError, match="either a term"):
            _parse_rules(data)
