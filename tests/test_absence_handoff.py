"""The absence hand-off end to end (issue 15 item 8), across apps: the schools' imported records open cases at the
municipality of each learner's declared residence (ikms.attendance), the municipality records its actions and
closes them, its start page lists the overdue ones (ikms.web), and the absences page (ikms.monitoring) counts the
actions of a year from its cases, the imported counts staying for the years without cases, each labelled."""

import datetime as dt
import re

from django.core.management import call_command

from ikms.attendance.models import AbsenceCase
from ikms.attendance.testing import write_records
from ikms.monitoring.testing import store_run

YEAR = "2023/2024"


def _text(html: str) -> str:
    main = html.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def _table(html: str, table_id: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]).split())


def test_handoff_from_imported_record_to_recorded_action_and_table_counts(client, monitored, tmp_path, settings):
    users = monitored["users"]
    a1, b1 = monitored["a1"].registration_number, monitored["b1"].registration_number
    # the imported counts of both years (the engine's indicator): 2022/2023 keeps them, 2023/2024 gets cases
    store_run("2022/2023", [{"indicator": "long_term_absence_actions", "grain": "nation", "unit": "LV", "semester": 1,
                             "category": "police", "value": 7, "numerator": 7, "denominator": None}], minutes_ago=1)
    store_run(YEAR, [{"indicator": "long_term_absence_actions", "grain": "nation", "unit": "LV", "semester": 1,
                      "category": "police", "value": 99, "numerator": 99, "denominator": None}], minutes_ago=1)
    write_records(tmp_path, YEAR, [
        {"learner": "P1", "institution": a1, "semester": 1, "level": "secondary", "reason": "lack_of_motivation",
         "action": "talk_with_pupil_and_parents", "residence": "LV-067"},  # Riga's school, lives in Ogre
        {"learner": "P2", "institution": b1, "semester": 1, "level": "secondary", "reason": None,
         "action": "none_recorded", "residence": "LV-067"},
        {"learner": "P3", "institution": a1, "semester": 2, "level": "basic", "reason": "other",
         "action": "none_recorded", "residence": "LV-RIX"},
    ])
    settings.IKMS_LAKE_DIR = str(tmp_path)
    call_command("absence_cases_open", "--year", YEAR)
    p1, p2 = AbsenceCase.objects.get(learner="P1"), AbsenceCase.objects.get(learner="P2")
    assert p1.residence.code == "LV-067" and p1.institution == monitored["a1"]

    # Ogre's start page: its two residents' cases are open, P2's first action overdue (P1's school acted)
    client.force_login(users["founder_ogre"])
    start = _text(client.get("/en/mani-darbi/").content.decode())
    assert "Long-term absence cases" in start
    assert "1 case of your residents waits for your first action past its deadline." in start
    assert "2 open cases" in start
    client.force_login(users["founder_riga"])
    riga_start = _text(client.get("/en/mani-darbi/").content.decode())
    assert "1 case of your residents waits" in riga_start  # P3 only: P1 is Riga's school's pupil but lives in Ogre

    # Ogre records an action on P2 and closes it; the deadline is met and the case leaves the start page
    client.force_login(users["founder_ogre"])
    assert client.get(f"/kavejumu-lietas/{p2.pk}/").status_code == 200
    response = client.post(f"/kavejumu-lietas/{p2.pk}/riciba/", {
        "kind": "social_service", "taken_on_day": "10", "taken_on_month": "1", "taken_on_year": "2024"})
    assert response.status_code == 302
    assert client.post(f"/kavejumu-lietas/{p2.pk}/slegt/", {"outcome": "continues"}).status_code == 302
    p2.refresh_from_db()
    assert p2.case_file.is_closed and p2.outcome == "continues"
    assert p2.case_file.deadlines.get().met_on == dt.date(2024, 1, 10)
    after = _text(client.get("/en/mani-darbi/").content.decode())
    assert "No long-term absence case of your residents is past" in after
    # another municipality cannot open Ogre's case
    client.force_login(users["founder_riga"])
    assert client.get(f"/kavejumu-lietas/{p2.pk}/").status_code == 404

    # table 7's actions: 2023/2024 from the cases (not the imported 99), 2022/2023 imported, each labelled
    client.force_login(users["analyst"])
    html = client.get("/en/monitoring/kavejumi/").content.decode()
    imported, from_cases = _table(html, "actions-1"), _table(html, "actions-2")
    assert "Police informed 7" in imported
    assert "Talk with the pupil and parents 1" in from_cases and "Social service informed 1" in from_cases
    assert "No action recorded – 1" in from_cases  # P3 in semester 2
    assert "99" not in from_cases
    assert html.count("Source: the actions the municipalities recorded in the absence hand-off cases.") == 1
    assert html.count("Source: the actions the schools recorded (imported).") == 1
    # IKVD's case list: pseudonyms, never a name
    listing = _text(client.get("/en/kavejumu-lietas/?year=2023%2F2024").content.decode())
    assert "3 cases" in listing and "P1" in listing
