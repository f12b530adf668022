"""One figure found in a text: what :func:`summarize.trust.numbers.extract_numbers` returns."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NumberMention"]


@dataclass(frozen=True)
class NumberMention:
    """One figure in a text. ``text == source[start:end]``; ``value`` is comparable.

    ``kind`` is one of ``number``, ``year``, ``percent``, ``date``, ``month``, ``decade``,
    ``time``, ``ordinal``, ``fraction``, ``approximate``. ``weak`` marks a spelled-out one or
    two (see module doc). Values: ``3500000000``, ``3.5``, ``15%``, ``30/10`` (day/month),
    ``30/10/2022``, ``m4`` (April with no day), ``h9`` (Ramadan), ``3/h9``, ``1970s`` or ``70s``
    («السبعينيات», century unsaid), ``23:45``, ``0.5``, ``~1000``.
    """

    text: str
    value: str
    kind: str
    start: int
    end: int
    weak: bool = False

    @property
    def keys(self) -> frozenset[str]:
        """The values under which this figure supports a figure of another text.

        A percentage also offers its bare figure ("15%" and "15"), a date its day, its month
        (``m10``) and, with a year, its day/month and year; a decade its two-digit form
        ("1970s" and "70s"); a time its dotted form ("23:45" and "23.45"); a vague quantity its
        magnitude.
        """
        keys = {self.value}
        if self.kind == "percent":
            keys.add(self.value.rstrip("%"))
        elif self.kind == "date":
            parts = self.value.split("/")
            month = parts[1] if parts[1].startswith("h") else f"m{parts[1]}"
            keys.update({parts[0], month})
            if len(parts) == 3:
                keys.update({f"{parts[0]}/{parts[1]}", parts[2]})
        elif self.kind == "decade":
            keys.add(self.value[-3:])
        elif self.kind == "time":
            keys.add(self.value.replace(":", "."))
        elif self.kind == "approximate":
            keys.add(self.value.lstrip("~"))
        return frozenset(keys)

    def supported_by(self, keys: frozenset[str]) -> bool:
        """Whether another text that offers KEYS (:func:`figure_keys`) has this figure.

        Lenient on the way of writing, strict on the fact: "15%" needs a percentage 15 (a
        bare "15" is a dropped %), a date needs its day and its month, a decade its decade;
        a time may be written "23.45", a vague quantity matches its magnitude.
        """
        if self.kind == "date":
            parts = self.value.split("/")
            day_month = f"{parts[0]}/{parts[1]}"
            month = parts[1] if parts[1].startswith("h") else f"m{parts[1]}"
            found = day_month in keys or {parts[0], month} <= keys
            return found and (len(parts) == 2 or self.value in keys or parts[2] in keys)
        if self.kind == "decade":
            return self.value[-3:] in keys
        if self.kind in ("time", "approximate"):
            return not self.keys.isdisjoint(keys)
        return self.value in keys
