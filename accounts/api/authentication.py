"""API tokens: `Authorization: Token <key>`, as DRF's TokenAuthentication reads it, but with hashed
keys that expire and can be revoked (`accounts.models.ApiToken`)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.services import ApiTokenRejected, api_token_authenticate


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # not ours: the session (or nothing) authenticates the request
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Token <key>': the word Token, one space, then the key."
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(
                "The API token is not valid: a key has ASCII characters only."
            ) from error
        try:
            token = api_token_authenticate(key)
        except ApiTokenRejected as rejected:
            raise exceptions.AuthenticationFailed(str(rejected)) from rejected
        return token.user, token

    def authenticate_header(self, request):
        # Makes unauthenticated requests answer 401 (with this challenge) rather than 403.
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API client's token, sent as `Token <key>` (see `manage.py create_api_client`).",
        }
