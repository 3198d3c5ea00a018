"""Reads behind the agency pages: the hierarchy with its figures, one agency with everything its
page shows. Each starts from `Agency.objects.visible_to(user)`. The establishment figures come
from `placements.establishment` (read in SQL for the whole visible set at once), which the views
pass in: placements sits above agencies in the app order, so agencies does not import it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.http import Http404

from accounts.access import scope_for
from core.paging import Represented
from placements.models import Placement

from .models import Agency


class AgencyFigures(Protocol):
    """What the agency pages need of an establishment (`placements.establishment.Establishment`):
    to set each agency's own `sanctioned`, `filled`, `incoming`, `outgoing`, `vacant` and `over`."""

    def set_on(self, agencies: list[Agency]) -> list[Agency]: ...


def agency_pages_check(user) -> None:
    """Agency pages are for those who see agencies as a whole: division staff, HR officers and
    agency heads. A professional's scope is their own record, so these pages do not exist for
    them (404), like anything else outside a user's scope."""
    scope = scope_for(user)
    if not (scope.everything or scope.agency_id is not None):
        raise Http404("No agency pages in this account's scope.")


@dataclass
class AgencyNode:
    """One agency in the tree, with its own figures and its subtree's (its own included)."""

    agency: Agency
    children: list[AgencyNode] = field(default_factory=list)
    size: int = 1
    headcount: int = 0
    sanctioned: int = 0
    vacant: int = 0
    over: int = 0

    @property
    def own_headcount(self) -> int:
        return self.agency.filled

    @property
    def own_vacant(self) -> int:
        return self.agency.vacant


def agency_tree(*, user, establishment: AgencyFigures, include_dissolved: bool = False) -> list[AgencyNode]:
    """The visible hierarchy as root nodes, children sorted by kind then name, with headcount and
    vacancies per node (own and subtree) from `establishment` (read for the visible agencies). One
    query for the agencies, then assembled here: agencies number in the hundreds, not the
    thousands."""
    agency_pages_check(user)
    agencies = Agency.objects.visible_to(user)
    if not include_dissolved:
        agencies = agencies.filter(dissolved_on__isnull=True)
    rows = establishment.set_on(list(agencies.select_related("kind", "successor").order_by("kind__sort_order", "name")))
    nodes = {a.pk: AgencyNode(a) for a in rows}
    roots = []
    for agency in rows:
        parent = nodes.get(agency.parent_id)
        (parent.children if parent else roots).append(nodes[agency.pk])
    for root in roots:
        _roll_up(root)
    return roots


def _roll_up(node: AgencyNode) -> None:
    # Iterative post-order: a deep hierarchy must not hit Python's recursion limit.
    stack, order = [node], []
    while stack:
        current = stack.pop()
        order.append(current)
        stack.extend(current.children)
    for current in reversed(order):
        a = current.agency
        current.size = 1 + sum(c.size for c in current.children)
        current.headcount = a.filled + sum(c.headcount for c in current.children)
        current.sanctioned = a.sanctioned + sum(c.sanctioned for c in current.children)
        current.vacant = a.vacant + sum(c.vacant for c in current.children)
        current.over = a.over + sum(c.over for c in current.children)


def agency_get_for_user(*, user, code: str) -> Agency:
    """The agency with this code if the user may see it, with what its page shows joined in;
    404 otherwise, whether it does not exist or lies outside the user's scope."""
    agency_pages_check(user)
    agency = (
        Agency.objects.visible_to(user)
        # The parent and the successor come with the ancestors (agency_ancestors): two more
        # self-joins here tripled the time PostgreSQL spent planning the query (1.1 ms).
        .select_related("kind", "region", "ict_unit", "ict_unit__kind", "ict_unit__head")
        .filter(code=code)
        .order_by()
        .first()
    )
    if agency is None:
        raise Http404("No such agency in this account's scope.")
    return agency


def _ancestor_ids_sql(agency_id: int) -> RawSQL:
    table = Agency._meta.db_table
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS ("
        f"SELECT id, parent_id FROM {table} WHERE id = %s "
        f"UNION SELECT a.id, a.parent_id FROM {table} a JOIN up ON a.id = up.parent_id"
        f") SELECT id FROM up WHERE id <> %s"
    )
    return RawSQL(sql, [agency_id, agency_id])


def agency_ancestors(*, agency: Agency, user) -> list[Agency]:
    """The agencies above this one that the user may see, top first (for breadcrumbs). One query,
    which also sets the agency's parent and successor: the page names them even where the user
    may not open them (an agency head's ministry has a parent outside the scope)."""
    wanted = Q(id__in=_ancestor_ids_sql(agency.pk))
    if agency.successor_id is not None:
        wanted |= Q(id=agency.successor_id)
    found = {
        a.pk: a
        for a in Agency.objects.filter(wanted)
        .annotate(visible=Exists(Agency.objects.visible_to(user).filter(pk=OuterRef("pk"))))
        .order_by()
        .only("code", "name", "short_name", "parent_id")
    }
    if agency.parent_id is not None:
        agency.parent = found[agency.parent_id]
    if agency.successor_id is not None:
        agency.successor = found[agency.successor_id]
    visible = {pk for pk, a in found.items() if a.visible}
    chain, parent_id = [], agency.parent_id
    while parent_id in visible:
        chain.append(found[parent_id])
        parent_id = found[parent_id].parent_id
    return chain[::-1]


# What a row of the staff list shows (every other column left unread).
STAFF_COLUMNS = (
    "start_date",
    "professional__first_name",
    "professional__middle_name",
    "professional__last_name",
    "professional__employee_id",
    "professional__status",
    "professional__grade__code",
    "position_title__name",
    "agency__name",
    "agency__short_name",
)


def agency_staff(*, agency_ids: list[int], user) -> Represented:
    """The people placed now in these agencies (an agency's subtree) whom the user may see, by
    name, for a paginator: each page is their current placements, with the person, grade, title
    and agency joined in.

    The people are found and counted by their stored current agency, through the indexes of the
    professionals list (the name order carries the agency); only the page's 50 placements are
    then read. Sorting the subtree's placements by their people's names read every one of them:
    5 ms for a ministry of 3,800 people at the 50,000-professional data set, against 1."""
    from professionals.models import NAME_ORDER, Professional

    people = Professional.objects.visible_to(user).filter(current_agency_id__in=agency_ids).order_by(*NAME_ORDER)

    def placements(page) -> list[Placement]:
        return list(
            Placement.objects.filter(end_date__isnull=True, professional__in=page.values("pk"))
            .select_related("professional", "professional__grade", "position_title", "agency")
            .only(*STAFF_COLUMNS)
            .order_by(*(f"professional__{name}" for name in NAME_ORDER))
        )

    return Represented(people, placements)


def agency_children(*, agency: Agency, user, establishment: AgencyFigures) -> list[Agency]:
    """Direct sub-agencies the user may see, each with its own establishment figures from
    `establishment` (read for the agency's subtree)."""
    children = list(
        Agency.objects.visible_to(user)
        .filter(parent=agency)
        .select_related("kind")
        .order_by("dissolved_on", "kind__sort_order", "name")
    )
    return establishment.set_on(children)
