"""Report runs (issue 16 item 6): a request never waits for a report (the run is handed to the background after the
request's transaction commits), the build's progress is written to the run, the outputs are stored privately, the
same inputs are served from the cache without building again, new data give a new run, a failure leaves a message
and no file, and only those the kind admits may open a run."""

import pytest
from django.urls import reverse

from ikms.cases.storage import private_storage
from ikms.reports import tasks
from ikms.reports.models import ReportRun
from ikms.reports.services import report_run_start
from ikms.reports.testing import Builds, register_test_kind, sample_report


@pytest.fixture
def kind(settings, tmp_path, monkeypatch):
    """The test kind (XLSX besides the web page: no PDF, to stay quick), its files in a folder of the test's own,
    and the background thread run inline once the transaction commits."""
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path
    monkeypatch.setattr(tasks, "start_thread", lambda target, run_id: target(run_id))
    monkeypatch.setattr(tasks.connections, "close_all", lambda: None)  # the test's own connection stays open
    return register_test_kind(formats=("xlsx",))


def _start(actor, capture, *, year="2024", language="lv"):
    with capture(execute=True) as callbacks:
        run = report_run_start(actor=actor, kind="test", params={"year": year}, language=language)
        queued = ReportRun.objects.get(pk=run.pk).status
    run.refresh_from_db()
    return run, queued, callbacks


def test_a_run_is_made_in_the_background_with_progress_and_private_files(kind, officer,
                                                                         django_capture_on_commit_callbacks):
    run, queued, callbacks = _start(officer, django_capture_on_commit_callbacks)
    assert queued == ReportRun.Status.QUEUED and len(callbacks) == 1  # nothing built inside the request
    assert run.status == ReportRun.Status.DONE and run.progress == 100 and run.step == ""
    assert Builds.seen == [(20, "1. solis no 4"), (40, "2. solis no 4"), (60, "3. solis no 4"), (80, "4. solis no 4")]
    assert run.title == "Testa ziņojums" and run.requested_by == officer and run.error == ""
    assert run.inputs_key == sample_report(language="lv", year="2024").inputs_key
    assert sorted(run.outputs) == ["html", "xlsx"]
    for name in run.outputs.values():
        assert name.startswith("reports/test/") and private_storage().exists(name)
    with private_storage().open(run.outputs["xlsx"]) as f:
        assert f.read(2) == b"PK"


def test_the_same_inputs_are_served_from_the_cache_and_new_data_give_a_new_run(
        kind, officer, world, django_capture_on_commit_callbacks):
    first, _queued, _callbacks = _start(officer, django_capture_on_commit_callbacks)
    again, _queued, callbacks = _start(world["users"]["analyst"], django_capture_on_commit_callbacks)
    assert again.pk == first.pk and again.status == ReportRun.Status.DONE and callbacks == []
    assert Builds.count == 1
    english, _queued, _callbacks = _start(officer, django_capture_on_commit_callbacks, language="en")
    other_year, _queued, _callbacks = _start(officer, django_capture_on_commit_callbacks, year="2023")
    Builds.snapshot = "snap-2"  # the data changed
    new_data, _queued, _callbacks = _start(officer, django_capture_on_commit_callbacks)
    assert len({first.pk, english.pk, other_year.pk, new_data.pk}) == 4 and Builds.count == 4
    assert new_data.inputs["snapshot"] == "snap-2" and new_data.inputs_key != first.inputs_key
    assert new_data.status == ReportRun.Status.DONE


def test_a_failed_build_leaves_a_message_and_no_file(kind, officer, settings, django_capture_on_commit_callbacks):
    Builds.fail = True
    run, _queued, _callbacks = _start(officer, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.FAILED and run.outputs == {}
    assert "(RuntimeError)" in run.error and "Neviens fails netika saglabāts" in run.error
    folder = settings.IKMS_PRIVATE_MEDIA_ROOT / "reports"
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))
    Builds.fail = False
    retry, _queued, _callbacks = _start(officer, django_capture_on_commit_callbacks)  # a failure is not cached
    assert retry.pk != run.pk and retry.status == ReportRun.Status.DONE


def test_pages_start_follow_and_open_a_run_only_for_those_admitted(kind, officer, world, client,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(officer)
    assert "Testa ziņojums" in client.get(reverse("reports:index")).content.decode()
    assert f'href="{reverse("reports:index")}"' in client.get(reverse("registry:staff-home")).content.decode()
    refused = client.post(reverse("reports:start", args=["test"]), {"year": "24"})
    assert "Gads jāraksta ar četriem cipariem." in refused.content.decode() and not ReportRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:start", args=["test"]), {"year": "2024"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:run", args=[run.pk])
    page = client.get(reverse("reports:run-progress", args=[run.pk])).content.decode()
    assert "hx-get" not in page and reverse("reports:run-download", args=[run.pk, "xlsx"]) in page
    view = client.get(reverse("reports:run-view", args=[run.pk])).content.decode()
    assert "3. tabula. Iestādes pēc veida, 2024" in view and "[x]" in view
    download = client.get(reverse("reports:run-download", args=[run.pk, "xlsx"]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    assert client.get(reverse("reports:run-download", args=[run.pk, "pdf"])).status_code == 404  # not a format
    client.force_login(world["users"]["analyst"])  # IKVD: the kind admits the analyst
    assert client.get(reverse("reports:run", args=[run.pk])).status_code == 200
    client.force_login(world["users"]["founder_riga"])
    for name in ("reports:run", "reports:run-progress", "reports:run-view"):
        assert client.get(reverse(name, args=[run.pk])).status_code == 404
    assert client.get(reverse("reports:run-download", args=[run.pk, "xlsx"])).status_code == 404
    index = client.get(reverse("reports:index"))  # a founder: its municipal report, not the IKVD-only kind
    assert index.status_code == 200 and "Testa ziņojums" not in index.content.decode()
    assert reverse("reports:municipal-choose") in index.content.decode()
    client.force_login(world["users"]["head_a1"])
    assert client.get(reverse("reports:index")).status_code == 403


def test_a_queued_run_page_polls_its_progress(kind, officer, client):
    run = ReportRun.objects.create(kind="test", params={"year": "2024"}, language="lv", inputs_key="k",
                                   requested_by=officer, progress=40, step="Step 2 of 4",
                                   status=ReportRun.Status.RUNNING)
    client.force_login(officer)
    page = client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert f'hx-get="{reverse("reports:run-progress", args=[run.pk])}"' in page
    assert 'value="40"' in page and "Step 2 of 4" in page and "Paveikti 40%" in page


def test_with_a_queue_the_run_is_enqueued_for_the_worker(kind, officer, settings, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    """Where the task backend is a queue (the database backend in production), the run is a job for the worker,
    not a thread of the web process (ADR 0023)."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    threads = []
    monkeypatch.setattr(tasks, "start_thread", lambda target, run_id: threads.append(run_id))
    run, _queued, _callbacks = _start(officer, django_capture_on_commit_callbacks)
    assert run.status == ReportRun.Status.QUEUED and threads == [] and Builds.count == 0
    [job] = task_backends["default"].results
    assert job.args == [run.pk] and job.task.func is tasks.make_report.func
