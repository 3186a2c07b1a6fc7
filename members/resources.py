"""Organisations, memberships, people and their roles as files for BORIS staff (CSV or XLSX, see common/imports.py).

A person's e-mail and phone are exported only with their consent (`public_contact`), and a file cannot clear the
contact of a person without it: an empty cell there means "not in the file", not "remove".
"""

from collections import Counter

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from common import imports
from partnerships.models import Partnership
from partnerships.resources import SlugFromNameResource, district_column

from .models import Membership, Organisation, PartnershipRole, Person

CONTACT_FIELDS = ("email", "phone")


def partnership_column():
    return imports.related_column(
        "partnership",
        "partnerstwo",
        Partnership,
        also=("name__iexact",),
        unknown=_("Nieznane partnerstwo „%(value)s” (podaj jego slug)."),
    )


def organisation_column(column_name="organizacja"):
    return imports.related_column(
        "organisation",
        column_name,
        Organisation,
        also=("krs", "name__iexact"),
        unknown=_("Nieznana organizacja „%(value)s” (podaj jej slug, numer KRS albo nazwę)."),
    )


class OrganisationResource(SlugFromNameResource):
    district = district_column()

    related = ("district",)

    class Meta:
        model = Organisation
        name = _("Organizacje")
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "sector",
            "kind",
            "krs",
            "description",
            "street_address",
            "postal_code",
            "district",
            "website",
            "email",
            "phone",
            "is_published",
        )

    def before_import(self, dataset, **kwargs):
        """The KRS numbers written more than once in the file, each with its lines (the column names are line 1,
        as in a spreadsheet and the preview)."""
        super().before_import(dataset, **kwargs)
        column = self.fields["krs"].column_name
        numbers = [imports.cell_text(row.get(column)) for row in dataset.dict] if column in dataset.headers else []
        counts = Counter(number for number in numbers if number)
        self.krs_rows = {
            number: [i for i, other in enumerate(numbers, 2) if other == number]
            for number, count in counts.items()
            if count > 1
        }

    def check_row(self, instance, row):
        """A KRS number twice in the file, or another organisation's."""
        errors = super().check_row(instance, row)
        if not instance.krs:
            return errors
        if instance.krs in self.krs_rows:
            lines = ", ".join(map(str, self.krs_rows[instance.krs]))
            errors["krs"] = [
                gettext("Numer KRS %(krs)s jest w pliku więcej niż raz (wiersze %(rows)s).")
                % {"krs": instance.krs, "rows": lines}
            ]
        elif taken := Organisation.objects.filter(krs=instance.krs).exclude(pk=instance.pk).first():
            errors["krs"] = [
                gettext("Numer KRS %(krs)s ma już w katalogu organizacja „%(name)s”.")
                % {"krs": instance.krs, "name": taken.name}
            ]
        return errors


class MembershipResource(imports.Resource):
    partnership = partnership_column()
    organisation = organisation_column()
    organisation_name = Field(attribute="organisation__name", column_name="nazwa organizacji", readonly=True)

    related = ("partnership", "organisation")

    class Meta:
        model = Membership
        name = _("Członkostwa")
        import_id_fields = ("partnership", "organisation", "since")
        fields = (
            "partnership",
            "organisation",
            "organisation_name",
            "role",
            "since",
            "until",
            "signed_declaration",
            "note",
        )


class PersonResource(SlugFromNameResource):
    """People with their roles (the roles are shown, not imported: PartnershipRoleResource imports them)."""

    roles = Field(column_name="role w partnerstwach", readonly=True)

    prefetch = ("roles__partnership",)

    class Meta:
        model = Person
        name = _("Osoby")
        import_id_fields = ("slug",)
        fields = ("slug", "first_name", "last_name", "bio", "email", "phone", "public_contact", "roles")

    slug_from = "full_name"

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        # Consent is a record (members.ContactConsent, kept by the consent services): a file shows it, never sets it.
        return super().field_from_django_field(field_name, django_field, readonly or field_name == "public_contact")

    def dehydrate_email(self, person):
        return person.public_email

    def dehydrate_phone(self, person):
        return person.public_phone

    def dehydrate_roles(self, person):
        with translation.override("pl"):
            return "; ".join(f"{role.get_role_display()}: {role.partnership.slug}" for role in person.roles.all())

    def import_instance(self, instance, row, **kwargs):
        # Without consent the file never held the contact: an empty cell keeps what is stored.
        kept = {name: getattr(instance, name) for name in CONTACT_FIELDS} if not instance.public_contact else {}
        super().import_instance(instance, row, **kwargs)
        for name, value in kept.items():
            if not getattr(instance, name):
                setattr(instance, name, value)


class PartnershipRoleResource(imports.Resource):
    person = imports.related_column(
        "person", "osoba", Person, unknown=_("Nieznana osoba „%(value)s” (podaj jej slug).")
    )
    person_name = Field(column_name="imię i nazwisko", readonly=True)
    partnership = partnership_column()
    organisation = organisation_column(column_name="z ramienia organizacji")

    related = ("person", "partnership", "organisation")

    class Meta:
        model = PartnershipRole
        name = _("Role w partnerstwach")
        import_id_fields = ("person", "partnership", "role", "since")
        fields = ("person", "person_name", "partnership", "role", "organisation", "since", "until")

    def dehydrate_person_name(self, role):
        return role.person.full_name
