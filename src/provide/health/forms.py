from __future__ import annotations

from django import forms

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class TrackerUploadForm(forms.Form):
    file = forms.FileField(
        label="Tracker spreadsheet",
        help_text="CSV (UTF-8) or XLSX, with the tracker columns",
        error_messages={"required": "Choose the tracker file to upload"},
    )
    sheet = forms.CharField(
        label="Worksheet name (optional)",
        required=False,
        max_length=100,
        help_text="Leave blank to read the first sheet of a workbook",
    )
    mapping = forms.FileField(
        label="Column mapping (optional)",
        required=False,
        help_text="For a file whose headers differ: a CSV of file header, tracker column — or a JSON object",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        return upload


class TrackerSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a tracker row",
        required=False,
        max_length=100,
        help_text="Tracker id, investigation reference, person reference or victim's name",
    )
