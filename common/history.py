"""Who made a change, for the history django-simple-history keeps of every edited model."""


def authored(instance, by):
    """Record `by` as the author of the change in the instance's history (simple-history's documented hook)."""
    if by is not None and by.is_authenticated:
        instance._history_user = by
    return instance
