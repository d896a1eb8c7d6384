"""What a case document may be (ikms.cases.files): an accepted type, not too big, its content what its name says;
each refusal one message in the active language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ikms.cases import testing as t
from ikms.cases.files import check_upload, clean_name


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("Sūdzība.pdf", t.PDF, "pdf"),
        ("foto.PNG", t.PNG, "png"),
        ("foto.jpg", t.JPEG, "jpeg"),
        ("skaidrojums.docx", t.docx(), "docx"),
        ("skaidrojums.odt", t.odt(), "odt"),
        ("tabula.xlsx", t.xlsx(), "xlsx"),
        ("piezīmes.txt", "Labdien! Ķēniņš ūdeņos.".encode(), "txt"),
    ],
)
def test_accepted_files(name, content, code):
    checked = check_upload(t.upload(name, content, content_type="text/html"))  # the browser's claim is ignored
    assert checked.type.code == code and checked.size == len(content) and len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "lv", "en"),
    [
        ("programma.exe", b"MZ\x90\x00", "Šāda veida datne netiek pieņemta", "This type of file is not accepted"),
        ("attēls.pdf", t.PNG, "Datnes saturs nav PDF", "The file's content is not PDF"),
        ("vēstule.docx", t.PDF, "Datnes saturs nav Word (DOCX)", "The file's content is not Word (DOCX)"),
        (
            "arhīvs.docx",
            t._zip(
                [
                    ("[Content_Types].xml", b"<Types/>"),
                    ("_rels/.rels", b"x"),
                    ("docProps/app.xml", b"x"),
                    ("other.xml", b"x"),
                ]
            ),
            "Datnes saturs nav Word (DOCX)",
            "not Word (DOCX)",
        ),
        ("teksts.txt", b"abc\x00def", "Datnes saturs nav Teksts (TXT)", "The file's content is not Text (TXT)"),
        ("teksts.txt", t.PDF, "Datnes saturs nav Teksts (TXT)", "not Text (TXT)"),
        ("tukšs.pdf", b"", "Datne ir tukša", "The file is empty"),
    ],
)
def test_refused_files_get_a_clear_message_in_both_languages(name, content, lv, en):
    for language, text in (("lv", lv), ("en", en)):
        with translation.override(language), pytest.raises(ValidationError) as exc:
            check_upload(t.upload(name, content))
        assert text in exc.value.messages[0], (language, exc.value.messages)


def test_too_big_is_refused_before_the_content_is_read(settings):
    settings.IKMS_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = t.upload("liels.pdf", t.PDF + b"0" * (1024 * 1024))
    with translation.override("lv"), pytest.raises(ValidationError) as exc:
        check_upload(big)
    assert exc.value.messages == ["Datne ir par lielu: tā drīkst būt ne vairāk kā 1 MB."]
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        check_upload(big)
    assert exc.value.messages == ["The file is too big: it can be at most 1 MB."]


def test_a_type_left_out_of_the_settings_is_refused(settings):
    settings.IKMS_ATTACHMENT_TYPES = ["pdf"]
    with pytest.raises(ValidationError):
        check_upload(t.upload("foto.png", t.PNG))


def test_names_lose_folders_and_control_characters():
    assert clean_name("C:\\Users\\x\\..\\Sūdzība.pdf") == "Sūdzība.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name('a"b\x00c.pdf') == "abc.pdf"
    assert clean_name("...") == "dokuments"
