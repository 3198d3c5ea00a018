from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def site_settings(request):
    # Lazy: pages that never print the parent agency's name cost no query; others cost one.
    return {"site_settings": SimpleLazyObject(SiteSettings.load)}
