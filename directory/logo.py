"""The WSPL logo kit (/siec/logo/): the logo's files, how to use them, and the "Członek WSPL" badge a partnership
puts on its own website.

The badge is a plain image in a link: no script, no cookie, nothing the other site must trust. Its snippet links
to the network's home page, or to a partnership's own page when one is chosen (?partnerstwo=slug, answered by the
server: no JavaScript). The image's address is the file's stable one (STATIC_URL + its path, without the hash of
the hashed static files, which WhiteNoise serves too), so a snippet pasted years ago keeps working after the
image is redrawn.
"""

from html import escape

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Partnership

LOGO_DIR = "img/logo/"
BADGE = f"{LOGO_DIR}wspl-member-badge"
BADGE_WIDTH, BADGE_HEIGHT = 200, 64

# (file name without extension, name, for which background, width and height of the PNG in pixels)
VARIANTS = [
    ("wspl-logo-on-light", gettext_lazy("Logo z nazwą – na jasne tło"), "light", 720, 128),
    ("wspl-logo-on-dark", gettext_lazy("Logo z nazwą – na ciemne tło"), "dark", 720, 128),
    ("wspl-mark-on-light", gettext_lazy("Znak bez nazwy – na jasne tło"), "light", 512, 512),
    ("wspl-mark-on-dark", gettext_lazy("Znak bez nazwy – na ciemne tło"), "dark", 512, 512),
    ("wspl-member-badge", gettext_lazy("Znaczek „Członek WSPL”"), "light", BADGE_WIDTH * 2, BADGE_HEIGHT * 2),
]


class BadgeForm(forms.Form):
    partnerstwo = forms.ModelChoiceField(
        label=gettext_lazy("Partnerstwo"),
        queryset=Partnership.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("żadne – znaczek prowadzi do strony sieci"),
        help_text=gettext_lazy("Znaczek poprowadzi do strony wybranego partnerstwa w katalogu."),
        error_messages={"invalid_choice": gettext_lazy("Nie ma takiego partnerstwa – wybierz je z listy.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnerstwo"].queryset = (
            Partnership.objects.public().only("pk", "name", "slug").order_by("sort_name", "pk")
        )


def badge_snippet(request, partnership):
    """The HTML a partnership pastes into its website: the badge image in a link, with absolute addresses."""
    href = partnership.get_absolute_url() if partnership else reverse("home")
    src = request.build_absolute_uri(f"{settings.STATIC_URL}{BADGE}.png")
    alt = _("Członek Warszawskiej Sieci Partnerstw Lokalnych")
    return (
        f'<a href="{escape(request.build_absolute_uri(href))}">'
        f'<img src="{escape(src)}" alt="{escape(alt)}" width="{BADGE_WIDTH}" height="{BADGE_HEIGHT}"></a>'
    )


def logo_kit(request):
    form = BadgeForm(request.GET or None)
    partnership = form.cleaned_data["partnerstwo"] if form.is_bound and form.is_valid() else None
    variants = [
        {
            "name": name,
            "background": background,
            "svg": static(f"{LOGO_DIR}{file}.svg"),
            "png": static(f"{LOGO_DIR}{file}.png"),
            "width": width,
            "height": height,
        }
        for file, name, background, width, height in VARIANTS
    ]
    context = {
        "variants": variants,
        "form": form,
        "partnership": partnership,
        "snippet": badge_snippet(request, partnership),
        "badge": static(f"{BADGE}.svg"),
        "badge_width": BADGE_WIDTH,
        "badge_height": BADGE_HEIGHT,
        "about_url": reverse("about"),
    }
    return render(request, "pages/logo.html", context)
