"""The label of a model field's choice, read the cheap way."""

from django.utils.encoding import force_str


def choice_label(choices, value):
    """The label of `value` in `choices` (a TextChoices class), as the field's get_FOO_display() gives it.

    Django's own get_FOO_display() builds a dictionary of all the field's choices on every call, translating
    each label to hash it: on a page listing a hundred members that was a tenth of the page's time. The models
    define get_FOO_display() with this for the fields lists show. A value no longer among the choices shows as
    it is, as Django shows it.
    """
    try:
        return force_str(choices(value).label)
    except ValueError:
        return value
