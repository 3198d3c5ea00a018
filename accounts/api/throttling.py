from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

from accounts.models import Role


class AccountRateThrottle(UserRateThrottle):
    """One request budget per account: each API client its own at the `api_client` rate, each portal
    user at the `user` rate (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""

    def allow_request(self, request, view):
        user = request.user
        self.scope = "api_client" if user and user.is_authenticated and user.role == Role.API_CLIENT else "user"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        # DRF binds the rates when the module is imported; read them at request time so that
        # a changed setting (override_settings in tests) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
