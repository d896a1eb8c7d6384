"""Numbers of a yearly series (BU-2024-0001, PP-2024-0001, K-2024-01, …): one rule for every register that numbers
its entries itself."""

from django.db import models


def next_in_series(model: type[models.Model], field: str, prefix: str, width: int) -> str:
    """The number after the highest "<prefix><digits>" already in `model.field`, zero-padded to `width` digits
    (values with other text after the prefix are not part of the series). Call it inside the writing service's
    transaction."""
    taken = model._default_manager.filter(**{f"{field}__startswith": prefix}).values_list(field, flat=True)
    highest = max((int(n.removeprefix(prefix)) for n in taken if n.removeprefix(prefix).isdigit()), default=0)
    return f"{prefix}{highest + 1:0{width}d}"
