from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N&page_size=M (1 to MAX_PAGE_SIZE). A size out of range is refused, not silently cut,
    so that a client never believes it has everything when it has a page."""

    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Page {page_number} does not exist ({message}). Start at page 1 and follow the 'next' links."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = None
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"The page size is a whole number from 1 to {self.max_page_size}, not {raw[:40]!r}. "
                        "For more rows, follow the 'next' links."
                    ]
                }
            )
        return size

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param) or 1
        if raw in self.last_page_strings:
            return raw
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            raise ValidationError(
                {self.page_query_param: [f"The page is a whole number from 1 on, not {str(raw)[:40]!r}."]}
            )
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
                parameter["description"] = f"Rows per page, 1 to {self.max_page_size} (default {self.page_size})."
            elif parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
