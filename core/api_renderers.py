"""Renderers of the API's file downloads (office orders, report files)."""

from __future__ import annotations

from rest_framework import renderers


class FileRenderer(renderers.BaseRenderer):
    """Lets a client ask for a download with its file's type in `Accept` (without it, DRF's content
    negotiation would answer 406). The file itself is a FileResponse, which DRF passes through; an
    error still answers in the API's JSON shape, labelled as JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data)


class PDFRenderer(FileRenderer):
    media_type = "application/pdf"
    format = "pdf"


class XLSXRenderer(FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


class CSVRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"
