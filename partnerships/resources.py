"""The partnerships table as a file for BORIS staff (CSV or XLSX, see common/imports.py)."""

from django.utils.translation import gettext_lazy as _

from common import imports

from .models import District, Partnership, unique_slug

UNKNOWN_DISTRICT = _("Nieznana dzielnica: %(value)s.")
CONDITION_FIELDS = [
    name for key, _label in Partnership.CONDITIONS for name in (f"condition_{key}", f"condition_{key}_note")
]


def district_column(attribute="district", column_name="dzielnica", *, many=False):
    """Districts by name, or by anything that slugifies to their slug ("zoliborz", "Praga-Południe")."""
    return imports.related_column(
        attribute, column_name, District, "name", many=many, also=("slug_of",), unknown=UNKNOWN_DISTRICT
    )


class SlugFromNameResource(imports.Resource):
    """A new row whose file left the slug empty gets one made from its name (`slug_from`), free in its table."""

    slug_from = "name"

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not instance.slug and getattr(instance, self.slug_from):
                instance.slug = unique_slug(type(instance), getattr(instance, self.slug_from))


class PartnershipResource(SlugFromNameResource):
    districts = district_column("districts", "dzielnice", many=True)

    prefetch = ("districts",)

    class Meta:
        model = Partnership
        name = _("Partnerstwa")
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "kind",
            "status",
            "founded_year",
            "formal_status",
            "declaration_signed_on",
            "districts",
            "citywide",
            "area",
            "summary",
            "description",
            "goals",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "facebook_url",
            "instagram_url",
            *CONDITION_FIELDS,
            "is_published",
            "last_verified_on",
        )
