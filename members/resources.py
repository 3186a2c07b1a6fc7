"""Organisations, memberships, people and their roles as files for BORIS staff (CSV or XLSX, see common/imports.py).

A person's e-mail and phone are exported only with their consent (`public_contact`), and a file cannot clear the
contact of a person without it: an empty cell there means "not in the file", not "remove".
"""

from collections import Counter

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from common import imports
from partnerships.models import District, Partnership
from partnerships.resources import SlugFromNameResource

from .models import Membership, Organisation, PartnershipRole, Person

CONTACT_FIELDS = ("email", "phone")


def partnership_column():
    return Field(
        attribute="partnership",
        column_name="partnerstwo",
        widget=imports.LookupWidget(
            Partnership, also=("name__iexact",), unknown=_("Nieznane partnerstwo „%(value)s” (podaj jego slug).")
        ),
    )


def organisation_column(attribute="organisation", column_name="organizacja"):
    return Field(
        attribute=attribute,
        column_name=column_name,
        widget=imports.LookupWidget(
            Organisation,
            also=("krs", "name__iexact"),
            unknown=_("Nieznana organizacja „%(value)s” (podaj jej slug, numer KRS albo nazwę)."),
        ),
    )


class OrganisationResource(SlugFromNameResource):
    district = Field(
        attribute="district",
        column_name="dzielnica",
        widget=imports.LookupWidget(
            District,
            "name",
            also=("slug_of",),
            unknown=_("Nieznana dzielnica: %(value)s."),
        ),
    )

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

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.krs and "krs" not in errors:
            if instance.krs in self.krs_rows:
                errors["krs"] = [
                    gettext("Numer KRS %(krs)s jest w pliku więcej niż raz (wiersze %(rows)s).")
                    % {"krs": instance.krs, "rows": ", ".join(map(str, self.krs_rows[instance.krs]))}
                ]
            else:
                taken = Organisation.objects.filter(krs=instance.krs).exclude(pk=instance.pk).first()
                if taken is not None:
                    errors["krs"] = [
                        gettext("Numer KRS %(krs)s ma już w katalogu organizacja „%(name)s”.")
                        % {"krs": instance.krs, "name": taken.name}
                    ]
        if errors:
            raise ValidationError(errors)


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
    person = Field(
        attribute="person",
        column_name="osoba",
        widget=imports.LookupWidget(Person, unknown=_("Nieznana osoba „%(value)s” (podaj jej slug).")),
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
