"""A breadth-first crawl of the portal as one signed-in user, through Django's test client.

It starts at the dashboard and follows every same-site link a page offers: `href`, `src`, htmx's
`hx-get`, and GET forms submitted with the values they show. Each distinct address is fetched
once, and at most `per_route` addresses of one route (the URL pattern plus the names of its query
parameters) and `per_pattern` of one URL pattern, so that the crawl covers every kind of page
without walking every professional or every combination of the administration's filters.
"""

from __future__ import annotations

import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Addresses a crawl must not follow: they end the session, or are files rather than pages.
SKIPPED_PREFIXES = ("/accounts/logout/", "/admin/logout/", "/static/", "/media/")
# The answers a role may get: a page, a redirect, nothing to show, or "not yours" (403/404/405).
ACCEPTED = {200, 204, 301, 302, 303, 304, 403, 404, 405}


class _Links(HTMLParser):
    """The same-page links of an HTML document, and its GET forms as filled-in addresses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src", "hx-get"):
            if attributes.get(name):
                self.links.append(attributes[name])
        if tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self._form = {"action": attributes.get("action") or "", "fields": []}
        elif self._form is not None and tag in ("input", "select", "textarea"):
            kind = (attributes.get("type") or "text").lower()
            name = attributes.get("name")
            if not name or attributes.get("disabled") is not None or kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if tag == "input":
                self._form["fields"].append((name, attributes.get("value") or ""))
            elif tag == "select":
                self._form["select"] = name
                self._form["options"] = []
        elif self._form is not None and tag == "option" and self._form.get("select"):
            value = attributes.get("value") or ""
            self._form["options"].append((value, "selected" in attributes))

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._form.get("select"):
            options, name = self._form.pop("options"), self._form.pop("select")
            chosen = [value for value, selected in options if selected] or [value for value, _ in options[:1]]
            self._form["fields"] += [(name, value) for value in chosen]
        elif tag == "form":
            query = urlencode([(name, value) for name, value in self._form["fields"] if value])
            self.links.append(f"{self._form['action']}?{query}" if query else self._form["action"] or "?")
            self._form = None


@dataclass
class Visit:
    url: str
    status: int
    route: str
    referrer: str | None


@dataclass
class CrawlResult:
    visits: list[Visit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def routes(self) -> set[str]:
        return {visit.route.split("?")[0] for visit in self.visits if visit.status < 400}

    def by_status(self) -> Counter:
        return Counter(visit.status for visit in self.visits)


def route_of(url: str) -> str | None:
    """The URL pattern's name (with its namespace) and the query's parameter names, or None off-site."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    name = match.view_name or match.route
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True) if key != "page"})
    return f"{name}?{'&'.join(keys)}" if keys else name


def crawl(
    client: Client, *, start: str = "/", per_route: int = 6, per_pattern: int = 25, limit: int = 3000
) -> CrawlResult:
    """Fetch what `client`'s user can reach from `start`; collect every 5xx or exception with its address."""
    result = CrawlResult()
    seen: set[str] = {start}
    per: Counter = Counter()
    queue = deque([(start, None)])
    while queue and len(result.visits) < limit:
        url, referrer = queue.popleft()
        route = route_of(url) or url
        try:
            response = client.get(url)
        except Exception as error:  # the test client re-raises a view's exception: that is a 500
            frames = traceback.format_exception(error)
            result.errors.append(f"{url} (from {referrer}): {type(error).__name__}: {error}\n{''.join(frames[-3:])}")
            result.visits.append(Visit(url, 500, route, referrer))
            continue
        status = response.status_code
        result.visits.append(Visit(url, status, route, referrer))
        if status not in ACCEPTED:
            result.errors.append(f"{url} (from {referrer}): answered {status}")
            continue
        if status in (301, 302, 303) and response.get("Location"):
            links = [response["Location"]]
        elif "text/html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(response.content.decode(response.charset or "utf-8", errors="replace"))
            links = parser.links
        else:
            continue
        for link in links:
            target = _same_site(url, link)
            if target is None or target in seen:
                continue
            target_route = route_of(target)
            if target_route is None:
                continue
            pattern = target_route.split("?")[0]
            # The administration is Django's own, with one page shape per model: a few of each.
            cap = 3 if pattern.startswith("admin:") else per_pattern
            if per[pattern] >= cap or (pattern != target_route and per[target_route] >= min(per_route, cap)):
                continue
            seen.add(target)
            per[pattern] += 1
            if pattern != target_route:
                per[target_route] += 1
            queue.append((target, url))
    return result


def _same_site(base: str, link: str) -> str | None:
    link = link.strip()
    if not link or link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(f"http://testserver{base}", link))
    if parts.netloc != "testserver" or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
