"""Uploads: cut off at the limit while streaming, names agree with the bytes, PDF scripts."""

from __future__ import annotations

import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import RequestFactory

from silta.core.errors import Invalid
from silta.core.uploads import OversizedUpload
from silta.exchange import attachments
from silta.exchange.models import Attachment
from silta.exchange.pdf_active import active_content
from tests.factories import PDF_BYTES, PNG_BYTES, pdf, png

MB = 1024 * 1024


def pdf_with(extra: bytes, name: str = "lausunto.pdf") -> SimpleUploadedFile:
    data = PDF_BYTES.replace(b"%%EOF", extra + b"\n%%EOF")
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# --- the size limit while the body streams ------------------------------------------------


def test_an_oversized_file_is_cut_off_while_it_streams(settings, monkeypatch) -> None:
    settings.SILTA_MAX_ATTACHMENT_BYTES = 1 * MB
    written: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        written.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    big = SimpleUploadedFile("iso.pdf", PDF_BYTES + b"0" * (8 * MB), "application/pdf")
    request = RequestFactory().post("/upload/", {"files": big, "body": "hei"})
    upload = request.FILES["files"]
    assert isinstance(upload, OversizedUpload) and (upload.size or 0) > 1 * MB
    assert sum(written) <= 1 * MB  # never more than the limit buffered or written
    assert request.POST["body"] == "hei"  # the rest of the form still arrives
    with pytest.raises(Invalid) as refused:
        attachments.check_files([upload])
    assert refused.value.code == "attachment_too_large"


def test_a_file_under_the_limit_arrives_whole(settings) -> None:
    settings.SILTA_MAX_ATTACHMENT_BYTES = 1 * MB
    request = RequestFactory().post("/upload/", {"files": pdf()})
    upload = request.FILES["files"]
    assert isinstance(upload, UploadedFile) and upload.read() == PDF_BYTES


# --- the name must agree with the bytes ---------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "stored_as"),
    [
        (pdf("Päätös.PDF"), "Päätös.PDF"),
        (pdf("paatos"), "paatos.pdf"),
        (pdf("lausunto 1.2"), "lausunto 1.2.pdf"),
        (png("kuva"), "kuva.png"),
        (SimpleUploadedFile("scan.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 64), "scan.jpeg"),
    ],
)
def test_names_that_agree_are_kept_or_completed(upload, stored_as) -> None:
    assert attachments.check_files([upload])[0].name == stored_as


@pytest.mark.parametrize(
    "upload",
    [pdf("page.html"), pdf("kuva.png"), png("kuva.pdf"), pdf("ohje.svg"), pdf("x.exe")],
)
def test_a_name_claiming_another_type_is_refused(upload, settings) -> None:
    with pytest.raises(Invalid) as refused:
        attachments.check_files([upload])
    assert refused.value.code == "attachment_name_mismatch"
    assert upload.name in str(refused.value.message)


def test_the_refusal_is_translated() -> None:
    from django.utils import translation

    with translation.override("fi"), pytest.raises(Invalid) as refused:
        attachments.check_files([pdf("page.html")])
    assert "Nimeä" in str(refused.value.message)


# --- active content in PDFs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        b"4 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj",
        b"1 0 obj<</Type/Catalog/OpenAction 5 0 R>>endobj",
        b"6 0 obj<</AA<</O 7 0 R>>>>endobj",
        b"8 0 obj<</S/Launch/F(cmd.exe)>>endobj",
        b"9 0 obj<</S/J#61vaScript/J#53(x)>>endobj",  # hex-escaped names
    ],
)
def test_active_content_is_found(extra: bytes) -> None:
    assert active_content(PDF_BYTES.replace(b"%%EOF", extra + b"\n%%EOF"))


def test_active_content_inside_a_compressed_object_stream_is_found() -> None:
    hidden = zlib.compress(b"<</OpenAction<</S/JavaScript/JS(x)>>>>")
    extra = b"10 0 obj<</Type/ObjStm/Filter/FlateDecode>>stream\n" + hidden + b"\nendstream"
    assert active_content(PDF_BYTES.replace(b"%%EOF", extra + b"\n%%EOF")) >= {"OpenAction"}


def test_a_plain_pdf_has_no_active_content() -> None:
    assert active_content(PDF_BYTES) == set()
    assert active_content(PDF_BYTES + b"/JSON /AAA /Launcher") == set()
    assert active_content(PNG_BYTES) == set()


def test_active_pdf_is_refused_by_default(settings) -> None:
    assert settings.SILTA_PDF_ACTIVE_CONTENT == "refuse"
    with pytest.raises(Invalid) as refused:
        attachments.check_files([pdf_with(b"<</OpenAction<</S/JavaScript/JS(x)>>>>")])
    assert refused.value.code == "attachment_active_content"


@pytest.mark.django_db
def test_active_pdf_is_flagged_to_the_downloader_when_so_set(world, settings) -> None:
    settings.SILTA_PDF_ACTIVE_CONTENT = "flag"
    message = world.thread(files=[pdf_with(b"<</AA<</O 7 0 R>>>>"), pdf()])
    flags = dict(Attachment.objects.filter(message=message).values_list("pk", "active_content"))
    assert sorted(flags.values()) == [False, True]
