"""BORIS's support offer (/siec/wsparcie/): the forms of support staff describe in the admin (network.SupportKind),
the next dates of each from the agenda, and the form to ask for it (network.SupportRequest).

The page costs the same few queries whatever the number of kinds and events: the kinds, the next dates of all of
them at once (a ranking per kind of event, `first_per_kind`) with their organisers, and the form's two lists.
A request is kept and e-mailed to the network's address (network/services.py); one address may send at most
REQUEST_LIMIT requests in REQUEST_WINDOW (common/ratelimit.py, as the password reset).
"""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.ratelimit import over_limit
from events.models import Occurrence
from network import services
from network.forms import SupportRequestForm
from network.models import Facts, SupportKind

DATES_PER_KIND = 3
REQUEST_LIMIT = 5
REQUEST_WINDOW = timedelta(hours=1)


def upcoming_by_kind(event_kinds, now):
    """{kind of event: its first DATES_PER_KIND public dates still to come}, in two queries (dates, organisers)."""
    if not event_kinds:
        return {}
    dates = (
        Occurrence.objects.public()
        .upcoming(now)
        .filter(event__kind__in=event_kinds)
        .first_per_kind(DATES_PER_KIND)
        .for_cards()
    )
    by_kind = {}
    for occurrence in dates:
        by_kind.setdefault(occurrence.event.kind, []).append(occurrence)
    return by_kind


def support(request):
    kinds = SupportKind.objects.public()
    if request.method == "POST":
        form = SupportRequestForm(request.POST, kinds=kinds)
        if form.is_valid():
            if over_limit("support", request, limit=REQUEST_LIMIT, window=REQUEST_WINDOW):
                return render_page(request, form, status=429, throttled=True)
            if not form.is_robot:
                data = form.cleaned_data
                services.request_support(
                    kind=data["kind"],
                    partnership=data["partnership"],
                    name=data["name"],
                    email=data["email"],
                    message=data["message"],
                    language=get_language(),
                    url_for=request.build_absolute_uri,
                )
            messages.success(request, _("Dziękujemy! Prośba trafiła do zespołu BORIS – odpowiemy na podany e-mail."))
            return redirect(reverse("support"))
    else:
        form = SupportRequestForm(kinds=kinds)
    return render_page(request, form)


def render_page(request, form, *, status=200, throttled=False):
    kinds = list(SupportKind.objects.public())
    dates = upcoming_by_kind({kind.event_kind for kind in kinds if kind.event_kind}, timezone.now())
    context = {
        "kinds": [(kind, dates.get(kind.event_kind, [])) for kind in kinds],
        "form": form,
        "facts": Facts.current(),
        "throttled": throttled,
        "window_minutes": int(REQUEST_WINDOW.total_seconds()) // 60,
    }
    return render(request, "pages/support.html", context, status=status)
