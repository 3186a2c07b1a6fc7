"""Every text field of every edit form, with hostile texts: the coordinator's pages, the account pages, the public
contact form of a partnership and the admin's change forms of the main models.

The forms are found by walking the URL patterns (test_walk.py) and read from the page itself (forms.py), so a new
page or field is fuzzed without touching this file. For each typed field, the form is posted as the page gives it
with that one field replaced. The answer must be either a 200 with the error summary and no row added or changed
(every table of the domain apps and their histories counted before and after), or a redirect with the value stored
and every page showing it inert. Each attempt runs in a savepoint that is rolled back.

Sampling: each field gets one vector of every class (corpora.sample), the next field the next one of each class.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests import factories

from . import totals, world
from .corpora import XSS_KINDS, sample
from .forms import edit_form
from .inert import html_problems, response_problems
from .test_walk import every_pattern, urls_for

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("partnerships", "members", "events", "network")
ERROR_SUMMARY = "data-error-summary"


def snapshot():
    """Rows of every table of the domain apps, their histories included (a change of a row adds a history row)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS and not model._meta.proxy
    }


def add_form_extras(s):
    """What an empty add form needs to be valid, by URL name (everything else comes from the page)."""
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    return {
        "coordinator:place_add": {"name": "Klub Sady", "street_address": "ul. Sadowa 1", "district": s.district.pk},
        "coordinator:event_add": {
            "title": "Piknik",
            "kind": "local",
            "start_date": day,
            "start_time": "16:00",
            "end_date": day,
            "end_time": "18:00",
            "place": s.place.pk,
        },
        "coordinator:team_add": {
            "role-role": "animator",
            "role-since": "2024-01-15",
            "person-first_name": "Zofia",
            "person-last_name": "Nowak",
        },
        "coordinator:membership_add_new": {
            "org-name": "Fundacja Nowa",
            "org-sector": "ngo",
            "membership-role": "member",
            "membership-since": "2024-03-01",
        },
        "coordinator:practice_add": {
            "title": "Lodówka",
            "summary": "Dzielimy się jedzeniem.",
            "problem": "Jedzenie się marnowało.",
            "steps": "Postawiliśmy lodówkę.",
        },
        "coordinator:membership_add": {"organisation": factories.organisation(name="Fundacja Druga").pk},
        "coordinator:exchange_add": {"kind": "offer", "title": "Namiot", "expires_on": day, "is_public": "on"},
        "coordinator:access_list": {"email": "nowy@example.org", "partnership": s.partnership.pk},
        "coordinator:event_cancel": {"reason": "Choroba prowadzącej"},
        "coordinator:occurrence_cancel": {"reason": "Choroba prowadzącej"},
        "coordinator:proposal_decide": {"decision": "reject", "note": "Nie tym razem."},
        "coordinator:organisation_propose": {"kind": "fundacja rodzinna"},
        "coordinator:event_duplicate": {"start_date": (timezone.localdate() + timedelta(days=20)).isoformat()},
        "coordinator:membership_end": {"until": timezone.localdate().isoformat()},
        "coordinator:role_end": {"until": timezone.localdate().isoformat()},
        "account:password_change": {
            "old_password": world.PASSWORD,
            "new_password1": "Nowe-Haslo-Sady-2026",
            "new_password2": "Nowe-Haslo-Sady-2026",
        },
        "account:password_reset": {"email": "ktos@example.org"},
        "account:login": {"username": "koordynatorka-sady", "password": world.PASSWORD},
        "support": {
            "kind": s.support_kind.slug,
            "name": "Ola Nowak",
            "email": "ola@example.org",
            "message": "Potrzebujemy szkolenia.",
            "consent": "on",
        },
        "exchange_entry": {
            "name": "Ola",
            "email": "ola@example.org",
            "message": "Czy namiot jest wolny w sobotę?",
            "consent": "on",
        },
        "partnerships:contact": {
            "name": "Zofia",
            "email": "zofia@example.org",
            "reason": "resident",
            "message": "Chcę dołączyć.",
            "consent": "on",
        },
    }


# Forms the walk does not post, with the reason.
NOT_FUZZED = {
    "coordinator:practice_photos": (
        "a photo needs an image file, which one post consumes: tests/security/test_uploads.py sends it attack files "
        "and tests/coordinator/test_practices.py garbage, overlong and NUL alt texts"
    ),
    "account:second_factor_setup": (
        "its one typed field is the authenticator app's code, and the right code answers with the recovery codes "
        "(200), not a redirect: tests/coordinator/test_mfa.py posts right, wrong, garbage and overlong codes"
    ),
}


def shown_on(s):
    """The public pages that show what the coordinator's forms edit."""
    return [
        reverse("partnerships:detail", kwargs={"slug": s.partnership.slug}),
        reverse("members:organisation_detail", kwargs={"slug": s.organisation.slug}),
        reverse("partnerships:place_detail", kwargs={"slug": s.place.slug}),
        reverse("events:detail", kwargs={"slug": s.event.slug}),
        reverse("events:detail", kwargs={"slug": s.general_meeting.slug}),
        reverse("partnerships:working_group_detail", kwargs={"slug": s.group.slug}),
        reverse("partnerships:general_meeting_list"),
        reverse("events:ical_partnership", kwargs={"slug": s.partnership.slug}),
        reverse("events:rss"),
        reverse("opendata:partnerstwa-json"),
        reverse("support"),
        reverse("exchange"),
    ]


MAIN_ADMIN_MODELS = (
    "partnerships/partnership",
    "members/organisation",
    "members/person",
    "partnerships/place",
    "events/event",
    "events/minutes",
    "members/membership",
    "members/partnershiprole",
    "network/page",
    "network/supportkind",
    "partnerships/workinggroup",
    "partnerships/position",
    "partnerships/district",
)


# Pages outside the coordinator area with a form that keeps or sends what it is given: those anyone may post, and
# a private exchange entry's, which only coordinators and staff see. Their traps for robots are fields people never
# see, which the forms accept filled but then keep and send nothing (so the suite leaves them empty).
PUBLIC_FORMS = ("partnerships:contact", "support")
COORDINATORS_FORMS = ("exchange_entry",)
ROBOT_TRAPS = {"website", "strona_www"}


def form_pages(s):
    """(URL name, URL, who) of every page with an edit form the suite fills: the coordinator's and account pages
    by their patterns, the public forms, the admin's change and add pages of the main models."""
    pages = []
    for name, route in every_pattern():
        if name is None or not (
            name.startswith(("coordinator:", "account:")) or name in PUBLIC_FORMS + COORDINATORS_FORMS
        ):
            continue
        who = (
            "staff"
            if "/obsluga/" in route
            else "anonymous"
            if name in ("account:login", "account:password_reset", *PUBLIC_FORMS)
            else "coordinator"
        )
        pages.extend((name, url, who) for url in urls_for(name, route, s) or [])
    for model in MAIN_ADMIN_MODELS:
        app_label, model_name = model.split("/")
        obj = apps.get_model(app_label, model_name).objects.order_by("pk").first()
        pages.append((f"admin:{app_label}_{model_name}_change", f"/admin/{model}/{obj.pk}/change/", "staff"))
    return pages


REFUSED_MARKS = (ERROR_SUMMARY, 'class="errornote"')
ERROR_IDS = re.compile(r'href="#id_([\w-]+)"|id="id_([\w-]+)_error"')
ROUNDS = 3


def fields_with_errors(html):
    return {first or second for first, second in ERROR_IDS.findall(html)}


def post_round(client, url, baseline, values, pages, problems, category):
    """Post the form with every field of `values` replaced; the fields it refuses go back to the baseline and the
    form is posted again, until it is saved (then every page showing it must be inert) or nothing more is refused.
    Each post runs in a savepoint that is rolled back."""
    pending = dict(values)
    while pending:
        with transaction.atomic():
            before = snapshot()
            response = client.post(url, {**baseline, **pending})
            html = response.content.decode(errors="replace") if response.status_code != 302 else ""
            found = response_problems(response)
            refused = set()
            if response.status_code == 302:
                for page in [url, *pages]:
                    found += [f"{page}: {problem}" for problem in response_problems(client.get(page))]
            elif response.status_code == 200 and any(mark in html for mark in REFUSED_MARKS):
                refused = fields_with_errors(html) & set(pending) or set(pending)
            elif 400 <= response.status_code < 500:
                refused = set(pending)
            else:
                found.append(f"answered {response.status_code} without an error message")
            if refused and snapshot() != before:
                found.append("refused, but rows were added or changed")
            transaction.set_rollback(True)
        if found:
            problems.extend(f"{category} {url} {sorted(pending)}: {problem}" for problem in found)
            for _name in pending:
                totals.count(category, "problems")
            return
        if response.status_code == 302:
            for _name in pending:
                totals.count(category, "inert")
            return
        for _name in refused:
            totals.count(category, "refused")
        pending = {name: value for name, value in pending.items() if name not in refused}


@pytest.mark.parametrize("who", ["coordinator", "staff"])
def test_every_typed_field_of_every_form_refuses_or_stores_hostile_text_inertly(
    clean_site, who, coordinator_of_clean, staff_client, anonymous_client
):
    s = clean_site
    clients = {"coordinator": coordinator_of_clean, "staff": staff_client, "anonymous": anonymous_client}
    extras = add_form_extras(s)
    pages = shown_on(s)
    problems, fields_tried, forms_tried = [], 0, 0
    for name, url, page_who in form_pages(s):
        if (page_who == "staff") != (who == "staff"):
            continue
        if name in NOT_FUZZED:
            continue
        client = clients[page_who]
        page = client.get(url)
        form = edit_form(page.content.decode()) if page.status_code == 200 else None
        if form is None or not form.typed:
            continue
        if name in PUBLIC_FORMS + COORDINATORS_FORMS:
            form.typed = [field for field in form.typed if field not in ROBOT_TRAPS]
        baseline = {**form.data, **extras.get(name, {})}
        # The button that saves: "publish" of a draft-or-publish form, the admin's "Zapisz"; never a preview.
        if "publication" in form.buttons:
            baseline["publication"] = "publish" if "publish" in form.buttons["publication"] else "draft"
        if "_save" in form.buttons:
            baseline["_save"] = form.buttons["_save"][0]
        with transaction.atomic():
            response = client.post(url, baseline)
            transaction.set_rollback(True)
        if response.status_code != 302:
            refused = fields_with_errors(response.content.decode())
            problems.append(f"{url}: the form as the page gives it is refused ({response.status_code}): {refused}")
            continue
        category = "forms (admin)" if name.startswith("admin:") else "forms (coordinator and accounts)"
        forms_tried += 1
        fields_tried += len(form.typed)
        for round_number in range(ROUNDS):
            values = {
                field: sample(index)[(index + round_number * 5) % len(XSS_KINDS)].text
                for index, field in enumerate(form.typed)
            }
            post_round(client, url, baseline, values, pages, problems, category)

    totals.note(
        f"forms ({who}): {forms_tried} forms, {fields_tried} typed fields; each field got {ROUNDS} of the "
        f"{len(XSS_KINDS)} vector classes (rotated: five fields of a form together get every class)"
    )
    assert forms_tried > (8 if who == "staff" else 10)
    assert not problems, "\n".join(problems[:50])


def test_the_inspector_sees_what_a_browser_would_run():
    """The suite's checks find each kind of executable output (so a pass means something)."""
    bad = [
        "<p><script>alert(1)</script></p>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<iframe src="https://example.org"></iframe>',
        '<meta http-equiv="Refresh" content="0;url=https://example.org">',
        '<div style="width:expression(alert(1))"></div>',
        '<script type="application/ld+json">{"name": "</p><!--"}</script>',
        '<script type="application/ld+json">{"name": </script>',
        "<p>49wspltpl</p>",
    ]
    good = '<p title="&lt;script&gt;">&lt;img src=x onerror=alert(1)&gt;</p><script src="/static/js/map.js"></script>'

    assert all(html_problems(text) for text in bad), [text for text in bad if not html_problems(text)]
    assert html_problems(good) == []
