"""Private downloads: stored files are served only by views that have checked who may see them,
never from MEDIA_URL, and never kept by a shared cache."""

from __future__ import annotations

from django.http import FileResponse


def private_file_response(file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """The stored file as an attachment named `filename` that no cache keeps. Without a
    `content_type`, the type is guessed from the file name."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
