"""The tracker upload and search forms."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from provide.health.forms import MAX_UPLOAD_BYTES, TrackerSearchForm, TrackerUploadForm


def test_a_tracker_file_is_needed_and_must_be_under_20_mb() -> None:
    missing = TrackerUploadForm({}, {})
    assert not missing.is_valid() and missing.errors["file"] == [
        "Choose the tracker file to upload"
    ]
    small = TrackerUploadForm(
        {"sheet": "Tracker"}, {"file": SimpleUploadedFile("t.csv", b"tracker_id\nT1\n")}
    )
    assert small.is_valid() and small.cleaned_data["sheet"] == "Tracker"
    big = SimpleUploadedFile("t.csv", b"x" * (MAX_UPLOAD_BYTES + 1))
    too_big = TrackerUploadForm({}, {"file": big})
    assert not too_big.is_valid() and too_big.errors["file"] == [
        "The file must be smaller than 20 MB"
    ]


def test_search_text_is_optional_and_bounded() -> None:
    assert TrackerSearchForm({}).is_valid()
    assert not TrackerSearchForm({"q": "x" * 101}).is_valid()
