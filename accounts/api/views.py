from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import professional_create_refusal, record_write_refusal, scope_for
from accounts.models import ApiToken

from .serializers import MeSerializer


class MeView(APIView):
    """Who am I: the account this request acts as, its role and what it may see and do."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve", tags=["me"])
    def get(self, request):
        user = request.user
        scope = scope_for(user)
        if scope.everything:
            kind = "everything"
        elif scope.agency_id is not None:
            kind = "agency"
        elif scope.professional_id is not None:
            kind = "own_record"
        else:
            kind = "nothing"
        agency = user.agency if scope.agency_id is not None else None
        token = request.auth if isinstance(request.auth, ApiToken) else None
        write_refusal = record_write_refusal(user)
        data = {
            "username": user.username,
            "name": user.get_full_name() or user.username,
            "role": user.role,
            "role_label": user.get_role_display(),
            "authenticated_by": "token" if token else "session",
            "read_only": not scope.may_write,
            "scope": {
                "kind": kind,
                "agency": {"id": agency.id, "code": agency.code, "name": agency.name} if agency else None,
                "professional_id": scope.professional_id,
                "may_write": write_refusal is None,
                "may_create_professionals": professional_create_refusal(user) is None,
                "write_refusal": write_refusal,
                "sees_national_ids": scope.sees_national_ids,
            },
            "token": (
                {
                    "name": token.name,
                    "prefix": token.prefix,
                    "created_at": token.created_at,
                    "expires_on": token.expires_on,
                }
                if token
                else None
            ),
        }
        return Response(MeSerializer(data).data)
