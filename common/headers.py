"""Security headers beside django-csp's Content-Security-Policy: Permissions-Policy, and the CSP source of a host.

The policies themselves are in settings (CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY); this module only turns
them into headers.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings

PLACEHOLDER = re.compile(r"\{[^}]*\}")


def csp_source(url):
    """The CSP source expression for the host of `url`: scheme, host and port, without path.

    A tile server's address may hold placeholders in its host ("https://{s}.tile.example.org/{z}/{x}/{y}.png",
    Leaflet's subdomains); CSP allows a wildcard only as the leftmost label, so the labels up to the last one with a
    placeholder become "*" ("https://*.tile.example.org"). An address without a host gives None.
    """
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    port = ""
    if not host.endswith("]") and ":" in host:
        host, port = host.rsplit(":", 1)
        port = f":{port}"
    labels = host.lower().split(".")
    templated = [index for index, label in enumerate(labels) if PLACEHOLDER.search(label)]
    if templated:
        labels = ["*", *labels[templated[-1] + 1 :]]
    return f"{parts.scheme.lower()}://{'.'.join(labels)}{port}"


def permissions_policy(features):
    """The Permissions-Policy header's value for {feature: [allowed origins]} ("self", or quoted URLs)."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class PermissionsPolicyMiddleware:
    """Adds settings.PERMISSIONS_POLICY as the Permissions-Policy header to every response that has none."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.value
        return response
