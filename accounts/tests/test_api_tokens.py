"""API tokens: hashed at rest, expiring, revocable, each refusal a 401 that says what to do."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.factories import make_api_client
from accounts.models import ApiToken
from accounts.services import api_client_revoke, api_token_issue
from tests.api_helpers import token_api

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def refused(response, fragment: str) -> None:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"
    body = response.json()
    assert body["errors"] == {}
    assert fragment in body["detail"]


def test_a_token_authenticates_its_client():
    client, key = make_api_client("hr-system")
    response = token_api(key).get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "hr-system"
    assert response.json()["authenticated_by"] == "token"


def test_only_a_hash_of_the_key_is_stored():
    _client, key = make_api_client("hr-system")
    token = ApiToken.objects.get()
    assert key.startswith(f"{token.prefix}.")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get()]
    assert not any(key.split(".", 1)[1] in value for value in stored)


def test_a_wrong_secret_with_a_real_prefix_is_refused():
    _client, key = make_api_client("hr-system")
    refused(token_api(key[:-2] + "xx").get(ME), "not valid")


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        ("Token", "the word Token, one space, then the key"),
        ("Token a b", "the word Token, one space, then the key"),
        ("Token nodot", "malformed"),
        ("Token ünïcode.x", "ASCII"),
    ],
)
def test_malformed_authorization_headers_are_refused_with_how_to_send_it(header, fragment):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    refused(api.get(ME), fragment)


def test_an_expired_token_is_refused_from_its_expiry_date_on():
    client, key = make_api_client("hr-system", expires_on=timezone.localdate() + dt.timedelta(days=1))
    assert token_api(key).get(ME).status_code == 200
    ApiToken.objects.update(expires_on=timezone.localdate())
    refused(token_api(key).get(ME), f"expired on {timezone.localdate():%d %b %Y}")


def test_an_expiry_date_in_the_past_is_refused_when_issuing():
    client, _key = make_api_client("hr-system")
    with pytest.raises(Exception, match="must be in the future"):
        api_token_issue(client=client, expires_on=timezone.localdate())


def test_a_revoked_token_is_refused_and_says_so():
    _client, key = make_api_client("hr-system")
    assert token_api(key).get(ME).status_code == 200
    assert api_client_revoke(name="hr-system") == 1
    refused(token_api(key).get(ME), "was revoked on")


def test_revoking_one_client_leaves_the_others_working():
    _a, key_a = make_api_client("system-a")
    _b, key_b = make_api_client("system-b")
    api_client_revoke(name="system-a")
    assert token_api(key_a).get(ME).status_code == 401
    assert token_api(key_b).get(ME).status_code == 200


def test_a_disabled_client_is_refused():
    client, key = make_api_client("hr-system")
    client.is_active = False
    client.save()
    refused(token_api(key).get(ME), "disabled")


def test_use_is_recorded_on_the_token():
    _client, key = make_api_client("hr-system")
    assert ApiToken.objects.get().last_used_at is None
    token_api(key).get(ME)
    assert ApiToken.objects.get().last_used_at is not None


def test_a_client_has_no_password_to_sign_in_with():
    client, _key = make_api_client("hr-system")
    assert not client.has_usable_password()


def test_no_credentials_answer_401_with_how_to_authenticate():
    refused(APIClient().get(ME), "Authorization: Token <key>")
