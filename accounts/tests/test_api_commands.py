"""create_api_client, list_api_clients, revoke_api_client and the admin's token list."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ApiToken, Role, User
from tests.api_helpers import token_api

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def printed_key(output: str) -> str:
    keys = re.findall(r"^([0-9a-f]{8}\.[A-Za-z0-9_-]{40,})$", output, flags=re.MULTILINE)
    assert len(keys) == 1, output
    return keys[0]


def test_create_api_client_prints_a_working_token_once_with_how_to_use_it(agency_tree):
    output = run("create_api_client", "moh-portal", "--agency", "MOH", "--read-only", "--expires", "2099-01-31")
    key = printed_key(output)
    assert "Authorization: Token" in output and "shown once" in output
    client = User.objects.get(username="moh-portal")
    assert (client.role, client.agency.code, client.read_only) == (Role.API_CLIENT, "MOH", True)
    assert ApiToken.objects.get().expires_on == dt.date(2099, 1, 31)
    me = token_api(key).get("/api/v1/me/").json()
    assert me["scope"]["kind"] == "agency" and me["scope"]["agency"]["code"] == "MOH"
    assert me["read_only"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--agency", "NOPE"], "There is no agency with the code 'NOPE'"),
        (["x", "--expires", "31/01/2099"], "YYYY-MM-DD"),
        (["x", "--expires", "2001-01-01"], "must be in the future"),
        (["bad name!"], "cannot be a client name"),
        (["division-staff"], "already exists"),
        (["nobody", "--new-token"], "There is no API client named 'nobody'"),
    ],
)
def test_create_api_client_refuses_bad_input_with_a_message(division_user, agency_tree, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run("create_api_client", *args)
    assert not ApiToken.objects.exists()


def test_a_second_token_for_an_existing_client():
    first = printed_key(run("create_api_client", "hr-system"))
    second = printed_key(run("create_api_client", "hr-system", "--new-token"))
    assert first != second
    assert token_api(first).get("/api/v1/me/").status_code == token_api(second).get("/api/v1/me/").status_code == 200


def test_list_api_clients_shows_scope_and_token_states_but_never_keys(agency_tree):
    key = printed_key(run("create_api_client", "hr-system", "--national-ids"))
    run("create_api_client", "moh-portal", "--agency", "MOH", "--read-only")
    run("revoke_api_client", "moh-portal")
    output = run("list_api_clients")
    assert re.search(r"hr-system\s+scope: everything\s+\(read-write, national ids\)", output)
    assert re.search(r"moh-portal\s+scope: MOH\s+\(read-only\)", output)
    assert "active" in output and "revoked" in output
    assert key.split(".")[1] not in output


def test_revoke_api_client_cuts_the_client_off():
    key = printed_key(run("create_api_client", "hr-system"))
    assert "Revoked 1 token(s)" in run("revoke_api_client", "hr-system")
    assert token_api(key).get("/api/v1/me/").status_code == 401
    assert "nothing to revoke" in run("revoke_api_client", "hr-system")
    with pytest.raises(CommandError, match="no API client named 'nobody'"):
        run("revoke_api_client", "nobody")


def test_the_admin_lists_tokens_without_their_secret_and_revokes_them(division_client):
    key = printed_key(run("create_api_client", "hr-system"))
    token = ApiToken.objects.get()
    page = division_client.get("/admin/accounts/apitoken/")
    assert page.status_code == 200
    content = page.content.decode()
    assert token.prefix in content and key.split(".")[1] not in content and token.key_hash not in content
    assert division_client.get("/admin/accounts/apitoken/add/").status_code == 403
    response = division_client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert "Revoked 1 token(s)" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_at <= timezone.now()
    assert token_api(key).get("/api/v1/me/").status_code == 401


def test_hr_officers_see_the_tokens_but_cannot_revoke_them(client, hr_user):
    key = printed_key(run("create_api_client", "hr-system"))
    client.force_login(hr_user)
    token = ApiToken.objects.get()
    assert client.get("/admin/accounts/apitoken/").status_code == 200
    client.post("/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token_api(key).get("/api/v1/me/").status_code == 200
