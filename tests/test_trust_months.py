"""The month and place tables of the trust checks against the Unicode CLDR (through Babel):
every regional Arabic naming of every Gregorian month is read, and the gazetteer holds CLDR's
places in both languages."""

from __future__ import annotations

import pytest
from babel import Locale

from summarize.trust.gazetteer import places
from summarize.trust.numbers import extract_numbers

REGIONAL = ["ar", "ar_SY", "ar_IQ", "ar_LB", "ar_DZ", "ar_TN", "ar_MA", "ar_EG", "ar_SA"]


@pytest.mark.parametrize("locale", REGIONAL)
def test_every_cldr_month_name_is_read_as_its_month(locale: str) -> None:
    names = Locale.parse(locale).months["format"]["wide"]
    for number, name in names.items():
        found = extract_numbers(f"في 3 {name} 2020")
        assert [m.value for m in found] == [f"3/{number}", "2020"], (locale, name)
        alone = extract_numbers(f"في شهر {name} الماضي")
        assert [m.value for m in alone] == [f"m{number}"], (locale, name)


def test_the_gazetteer_has_countries_and_cities_in_both_languages() -> None:
    by_code = {p.code: p for p in places()}
    assert "France" in by_code["FR"].english and ("فرنسا",) in by_code["FR"].arabic
    assert "Cairo" in by_code["Africa/Cairo"].english
    assert len(by_code) > 600
