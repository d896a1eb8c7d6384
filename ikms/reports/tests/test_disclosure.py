"""Disclosure control of report tables (ikms/reports/disclosure.py): hand-made tables with worked answers, a whole
hand-made report, and every registered report kind built on a small register and checked by linear algebra
(analytics.disclosure.determinable) that no hidden cell can be recomputed from the totals shown."""

from __future__ import annotations

import copy

import pytest
from django.template import engines
from django.utils import translation

from analytics.disclosure import determinable, is_small
from ikms.reports import kinds
from ikms.reports.disclosure import legend, protect_report, protect_table, table_lines
from ikms.reports.document import Column, Lineage, Report, Section, Suppressed, Table, Text

C = Suppressed("[c]")
LINEAGE = Lineage(snapshot="test", query="hand-made")


def _table(columns: list[Column], rows: list[list], *, total_rows: tuple[int, ...] = (), minimum: int | None = 5,
           key: str = "t") -> Table:
    return Table(key=key, title=key, columns=columns, rows=rows, lineage=LINEAGE, total_rows=total_rows,
                 disclosure_minimum=minimum, row_keys=[str(r[0]) for r in rows])


def _assert_safe(original: Table, protected: Table) -> None:
    """Every count of 1 to minimum − 1 is hidden, no hidden count follows from the lines of the original table,
    and no line's hidden cells add up to a small count."""
    minimum = original.disclosure_minimum
    assert minimum is not None
    values, lines = table_lines(original)
    position = {c.key: j for j, c in enumerate(original.columns)}
    hidden = {k for k in values if isinstance(protected.rows[k[0]][position[k[1]]], Suppressed)}
    small = {k for k, v in values.items() if is_small(v, minimum)}
    assert small <= hidden, (original.key, small - hidden)
    assert not determinable(values, hidden, lines), original.key
    for cells, total in lines:
        gone = [values[k] for k in cells if k in hidden]
        assert total in hidden or not gone or not is_small(sum(gone), minimum), (original.key, cells)


COUNT = [Column("destination", "Destination", "text"), Column("n", "Graduates")]


def test_parts_of_a_whole_with_a_total_row() -> None:
    table = _table(COUNT, [["study", 10], ["work", 3], ["unknown", 0], ["abroad", 7], ["total", 20]],
                   total_rows=(4,))
    protected = protect_table(table)
    # 3 is hidden; the total minus the others would give it away, so the cheapest other part with people (7) goes
    # too; the empty part and the total stay shown
    assert [r[1] for r in protected.rows] == [10, C, 0, C, 20]
    _assert_safe(table, protected)


def test_a_2d_table_with_a_total_column_and_a_total_row() -> None:
    columns = [Column("school", "School", "text"), Column("boys", "Boys"), Column("girls", "Girls"),
               Column("all", "All", total=True)]
    rows = [["A", 2, 30, 32], ["B", 25, 40, 65], ["C", 0, 22, 22], ["total", 27, 92, 119]]
    table = _table(columns, rows, total_rows=(3,))
    protected = protect_table(table)
    # 2 needs a rectangle through it: the cheapest is A girls, B boys, B girls; the totals stay shown
    assert protected.rows == [["A", C, C, 32], ["B", C, C, 65], ["C", 0, 22, 22], ["total", 27, 92, 119]]
    _assert_safe(table, protected)


def test_subtotals_and_a_grand_total_of_subtotals() -> None:
    columns = [Column("unit", "Unit", "text"), Column("n", "Learners")]
    rows = [["m1", 3], ["m2", 40], ["m3", 12], ["north", 55], ["m4", 25], ["m5", 18], ["south", 43], ["LV", 98]]
    table = _table(columns, rows, total_rows=(3, 6, 7))
    _, lines = table_lines(table)
    # the lines are read from the numbers: each region adds up the rows above it, the nation adds up the regions
    assert [(tuple(i for i, _ in cells), total[0]) for cells, total in lines] == [((0, 1, 2), 3), ((4, 5), 6),
                                                                                  ((3, 6), 7)]
    protected = protect_table(table)
    assert [r[1] for r in protected.rows] == [C, 40, C, 55, 25, 18, 43, 98]
    _assert_safe(table, protected)


def test_a_small_subtotal_is_hidden_and_protected_across_levels() -> None:
    columns = [Column("unit", "Unit", "text"), Column("n", "Learners")]
    rows = [["m1", 1], ["m2", 2], ["north", 3], ["m4", 25], ["m5", 18], ["south", 43], ["LV", 46]]
    table = _table(columns, rows, total_rows=(2, 5, 6))
    protected = protect_table(table)
    assert protected.rows[2][1] == C  # the north's 3 learners
    # the nation minus the south would give the north away: the south (or the nation) is hidden too
    assert C in (protected.rows[5][1], protected.rows[6][1])
    _assert_safe(table, protected)


def test_shares_from_small_bases_numerators_and_low() -> None:
    columns = [Column("school", "School", "text"), Column("learners", "Learners"),
               Column("share7", "Average of 7 or more, %", "share", 1, base="learners"),
               Column("score", "Mean score", "number", 1, base="learners")]
    rows = [["A", 3, 66.7, 71.0],  # a base of 3: both figures hidden (and the count, primary)
            ["B", 40, 5.0, 62.5],  # 2 of 40: the numerator is small
            ["C", 40, 92.5, 60.0],  # 37 of 40: the complement (3) is small
            ["D", 200000, 0.004, 55.0],  # 8 people of 200 000: publishable, but rounds to 0.0: [low]
            ["E", 50, None, 58.0],  # no data stays no data
            ["F", 50, 40.0, 58.0]]
    protected = protect_table(_table(columns, rows))
    assert protected.rows == [["A", C, C, C], ["B", 40, C, 62.5], ["C", 40, C, 60.0],
                              ["D", 200000, Suppressed("[low]"), 55.0], ["E", 50, None, 58.0],
                              ["F", 50, 40.0, 58.0]]


def test_a_share_is_hidden_with_its_numerator() -> None:
    columns = [Column("destination", "Destination", "text"), Column("n", "Graduates"),
               Column("share", "Share, %", "share", 1, numerator="n")]
    rows = [["study", 10, 50.0], ["work", 3, 15.0], ["abroad", 7, 35.0], ["total", 20, 100.0]]
    protected = protect_table(_table(columns, rows, total_rows=(3,)))
    assert protected.rows == [["study", 10, 50.0], ["work", C, C], ["abroad", C, C], ["total", 20, 100.0]]


def test_a_table_not_about_people_and_no_data_are_left_alone() -> None:
    table = _table(COUNT, [["a", 1], ["b", None], ["total", None]], total_rows=(2,), minimum=None)
    assert protect_table(table).rows == table.rows
    about_people = _table(COUNT, [["a", 12], ["b", None], ["c", 2]])
    assert protect_table(about_people).rows == [["a", 12], ["b", None], ["c", C]]


def _report() -> Report:
    t1 = _table(COUNT, [["study", 10], ["work", 3], ["unknown", 0], ["abroad", 7], ["total", 20]],
                total_rows=(4,), key="destinations")
    t2 = _table([Column("x", "x", "text"), Column("n", "Decisions")], [["a", 2]], minimum=None, key="decisions")
    inner = Section("inner", "Inner", blocks=[t1])
    return Report(kind="hand", title="Hand-made", subtitle="", language="lv", inputs={"year": "2024"},
                  sections=[Section("s", "S", blocks=[Text("Intro", ["…"]), t2], sections=[inner])])


def test_protect_report_protects_every_table_and_is_pure() -> None:
    report = _report()
    before = copy.deepcopy(report)
    protected = protect_report(report)
    assert report == before  # the input is not changed
    assert protected == protect_report(report)  # deterministic
    assert [r[1] for r in protected.table("destinations").rows] == [10, C, 0, C, 20]
    assert protected.table("decisions").rows == [["a", 2]]  # not about people
    assert protected.sections[0].blocks[0] == report.sections[0].blocks[0]
    _assert_safe(report.table("destinations"), protected.table("destinations"))


def test_legend_in_both_languages_and_on_the_monitoring_pages() -> None:
    lv, en = legend("lv"), legend("en")
    assert [m for m, _ in lv] == [m for m, _ in en] == ["[c]", "[low]", "[x]", "[z]"]
    assert en[0][1].startswith("Confidential: computed from fewer than 5")
    assert lv[0][1].startswith("Konfidenciāls")
    assert lv[3][1].startswith("Nav attiecināms")
    with translation.override("lv"):
        html = engines["django"].from_string('{% include "monitoring/tools/_legend.html" %}').render({})
    assert "[low]" in html and "Mazs: noapaļojot ir nulle" in html and "šajā klasē šo jomu nevērtē" in html


#: Parameters for a registered kind whose `parse` needs more than an empty request (the merger adds them here):
#: code -> data as a request would send it.
MINIMAL_DATA: dict[str, dict] = {
    "municipal": {"municipality": "LV-RIX", "years": ["2022/2023", "2023/2024"]},  # the years `monitored` holds
}


@pytest.mark.django_db
def test_every_registered_report_kind_publishes_no_recoverable_cell(monitored) -> None:
    """Each kind registered at the time (ikms.reports.kinds.registered()) is built on the small register and results of
    the `monitored` fixture with the parameters its own `parse` gives for MINIMAL_DATA (or an empty request), protected,
    and every table with a disclosure minimum is checked by linear algebra. The hand-made report is checked too,
    so that the test checks something whatever is registered."""
    from ikms.accounts.models import User

    user = User.objects.filter(is_superuser=True).first() or User.objects.get(username="officer")
    reports = [_report()]
    for kind in kinds.registered():
        data = MINIMAL_DATA.get(kind.code, {})
        if kind.code == "annual":  # the year of the fixture's register decisions
            from ikms.registry.models import Decision

            data = {"year": str(Decision.objects.latest("date").date.year)}
        params = kind.parse(user, data)
        reports.append(kind.build(params, language="lv", progress=lambda share, step: None))
    for report in reports:
        protected = protect_report(report)
        for original, shown in zip(report.tables(), protected.tables(), strict=True):
            if original.disclosure_minimum is not None:
                _assert_safe(original, shown)
