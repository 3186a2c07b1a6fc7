"""The decision on a proposed change of a shared organisation: the same form for staff (in the admin) and for the
coordinators of its other partnerships (coordinator area)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import polish_messages

from . import services
from .models import Organisation

DECISION_MESSAGE = gettext_lazy("Wybierz, czy przyjąć, czy odrzucić propozycję: użyj jednego z przycisków.")
OVERWRITE_MESSAGE = gettext_lazy("Zaznacz tylko pola z listy zmienionych w międzyczasie.")


class ProposalDecisionForm(forms.Form):
    """ "Przyjmij" or "Odrzuć" (the submit buttons carry `decision`), an optional reason, and for each field someone
    changed since the proposal was made, whether the proposed value replaces the current one."""

    ACCEPT, REJECT = "accept", "reject"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, gettext_lazy("Przyjmij")), (REJECT, gettext_lazy("Odrzuć"))],
        error_messages={"required": DECISION_MESSAGE, "invalid_choice": DECISION_MESSAGE},
    )
    overwrite = forms.MultipleChoiceField(
        label=gettext_lazy("Pola zmienione po złożeniu propozycji: zastąp obecną wartość proponowaną"),
        help_text=gettext_lazy("Niezaznaczone pola zostaną bez zmian (zostaną pominięte)."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": OVERWRITE_MESSAGE, "invalid_list": OVERWRITE_MESSAGE},
    )
    note = forms.CharField(
        label=gettext_lazy("Uzasadnienie (nieobowiązkowe)"),
        help_text=gettext_lazy("Zobaczy je osoba, która zaproponowała zmianę."),
        max_length=500,
        required=False,
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        conflicts = proposal.changed_since() if proposal.is_pending else []
        self.fields["overwrite"].choices = [
            (name, Organisation._meta.get_field(name).verbose_name) for name in proposal.FIELDS if name in conflicts
        ]
        if not conflicts:
            del self.fields["overwrite"]
        polish_messages(self)

    def decide(self, *, by):
        """Accept or reject the proposal as `by`; returns what to tell them ([(level, text)], level "success" or
        "warning"). A refusal (decided meanwhile, a rule of the organisation's data) is added to the form's errors
        and returns None."""
        proposal, note = self.proposal, self.cleaned_data["note"].strip()
        try:
            if self.cleaned_data["decision"] == self.REJECT:
                services.reject_proposal(proposal=proposal, by=by, note=note)
                rejected = _("Odrzucono propozycję. Osoba, która ją wysłała, zobaczy decyzję w swoim panelu.")
                return [("success", rejected)]
            decided = services.accept_proposal(
                proposal=proposal, by=by, overwrite=self.cleaned_data.get("overwrite", []), note=note
            )
        except ValidationError as error:
            self.add_error(None, error.messages)
            return None
        applied = [name for name in decided.changes if name not in decided.skipped]
        said = []
        if applied:
            changed = _("Przyjęto propozycję. Zmienione: %(fields)s.") % {"fields": labels(decided, applied)}
            said.append(("success", changed))
        else:
            said.append(("warning", _("Przyjęto propozycję, ale żadne pole się nie zmieniło.")))
        if decided.skipped:
            said.append(
                (
                    "warning",
                    _("Pominięte, bo ktoś je zmienił po złożeniu propozycji: %(fields)s.")
                    % {"fields": labels(decided, decided.skipped)},
                )
            )
        return said


def labels(proposal, names):
    return ", ".join(proposal.field_labels(names))
