"""The licensing pages: the head applies, the officer checks, sends deficiencies and decides; the head answers."""

import datetime as dt

from django.utils import timezone

from ikms.licensing.models import LicenceApplication

TODAY = timezone.localdate


def _post(client, user, url, data, *, status=302):
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_the_journey_through_the_pages(client, world, settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    u = world["users"]
    head, officer = u["head_a1"], u["registry_officer"]
    a1 = world["a1"]
    data = {
        "institution": a1.pk,
        "kind": "new",
        "code": "21011112",
        "name": "Pamatizglītības programma",
        "form": "full_time",
        "address": a1.address,
        "municipality": a1.municipality.pk,
        "note": "",
    }
    bad = _post(client, head, "/en/licencesana/jauns/", {**data, "code": "99999999"}, status=200)
    assert "is not a programme type" in bad.content.decode()
    _post(client, head, "/en/licencesana/jauns/", data)
    application = LicenceApplication.objects.get()
    url = f"/en/licencesana/{application.pk}/"
    checks = {f"{k}_result": "meets" for k in ("standards", "programme", "premises", "resources")}
    _post(client, officer, url + "parbaude/", {**checks, "programme_result": "deficient", "programme_note": "Trūkst."})
    due = TODAY() + dt.timedelta(days=14)
    _post(client, officer, url + "trukumi/", {"text": "Iesniedziet plānu.", "due_on": due.isoformat()})
    page = client.get(url).content.decode()
    assert "Iesniedziet plānu." in page
    client.force_login(head)
    assert "Answer the deficiencies" in client.get(url).content.decode()
    _post(client, head, url + "atbilde/", {"text": "Pievienots."})
    _post(client, officer, url + "parbaude/", checks)
    form = client.get(url + "lemums/").content.decode()
    assert "MK 23.05.2023. noteikumi Nr. 253" in form  # the instrument in force today
    _post(
        client,
        officer,
        url + "lemums/",
        {
            "grant": "yes",
            "number": "2026/L-77",
            "date": TODAY().isoformat(),
            "legal_basis": "Izglītības likuma 31. pants; MK 23.05.2023. noteikumi Nr. 253",
            "justification": "",
        },
    )
    application.refresh_from_db()
    assert application.state == "licensed"
    client.force_login(u["founder_ogre"])
    assert client.get(url).status_code == 404
