from django import forms

from .reading import MAX_BYTES, megabytes
from .registry import IMPORTERS


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[(kind, importer.label) for kind, importer in IMPORTERS.items()],
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text=f"Excel (.xlsx) or CSV (UTF-8, comma or semicolon separated), up to {megabytes(MAX_BYTES)}.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {megabytes(upload.size)}; the limit is {megabytes(MAX_BYTES)}. Split it into smaller "
                "files and import them one after another."
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload
