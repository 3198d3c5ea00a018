"""Sign-in, sign-out, password change and reset by email, and the lock-out after failed sign-ins."""

import re

import pytest
from django.core import mail

from accounts.factories import UserFactory
from accounts.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


@pytest.fixture
def deki(db):
    return UserFactory(username="deki", role=Role.DIVISION, email="deki@govtech.bt", first_name="Deki")


def test_the_login_page_links_to_the_password_reset(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in html
    assert 'autocomplete="current-password"' in html
    assert '<label class="form-label" for="id_username">' in html


def test_signing_in_leads_to_the_dashboard(client, deki):
    response = client.post("/accounts/login/", {"username": "deki", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_signing_in_returns_to_the_page_asked_for(client, deki):
    response = client.post(
        "/accounts/login/?next=/agencies/", {"username": "deki", "password": PASSWORD, "next": "/agencies/"}
    )
    assert response["Location"] == "/agencies/"


def test_a_wrong_password_keeps_the_username_and_says_what_is_wrong(client, deki):
    response = client.post("/accounts/login/", {"username": "deki", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "correct username and password" in html
    assert 'value="deki"' in html


def test_signing_out_needs_a_post_and_leads_to_the_login_page(client, deki):
    client.force_login(deki)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_changing_the_password_needs_a_login(client):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_password_change_with_bad_input_shows_errors_on_the_fields(client, deki):
    client.force_login(deki)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": "Tashi-Delek-2026", "new_password2": "Tashi-Delek-2027"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"old_password", "new_password2"}
    html = response.content.decode()
    assert 'id="id_old_password_error"' in html
    assert 'aria-describedby="id_new_password2_error"' in html or "id_new_password2_error" in html


def test_a_password_change_takes_effect(client, deki):
    client.force_login(deki)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "Tashi-Delek-2026", "new_password2": "Tashi-Delek-2026"},
    )
    assert response["Location"] == "/accounts/password/change/done/"
    assert "Password changed" in client.get(response["Location"]).content.decode()
    deki.refresh_from_db()
    assert deki.check_password("Tashi-Delek-2026")


def test_a_password_reset_mails_a_link_that_sets_a_new_password(client, deki):
    response = client.post("/accounts/password/reset/", {"email": "deki@govtech.bt"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["deki@govtech.bt"]
    assert message.subject == "Reset your password for ICT workforce management"
    link = re.search(r"http://testserver(/accounts/password/reset/[^/]+/[^/]+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": "Druk-Yul-2026!", "new_password2": "Druk-Yul-2026!"})
    assert done["Location"] == "/accounts/password/reset/done/"
    deki.refresh_from_db()
    assert deki.check_password("Druk-Yul-2026!")
    assert client.get(link, follow=True).context["validlink"] is False  # the link works once


def test_a_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, deki):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_a_password_reset_with_a_malformed_address_shows_the_error_and_keeps_it(client):
    response = client.post("/accounts/password/reset/", {"email": "not-an-address"})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'value="not-an-address"' in response.content.decode()


def test_repeated_failed_sign_ins_lock_the_account_out(client, deki, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/accounts/login/", {"username": "deki", "password": "wrong"}).status_code == 200
    locked = client.post("/accounts/login/", {"username": "deki", "password": "wrong"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "30 minutes" in html
    # Even the right password is refused while the lock lasts.
    again = client.post("/accounts/login/", {"username": "deki", "password": PASSWORD})
    assert again.status_code == 429
    assert client.get("/").status_code == 302


def test_the_lock_out_is_per_username(client, deki, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="pema", role=Role.DIVISION)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "deki", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "pema", "password": PASSWORD})
    assert response.status_code == 302
