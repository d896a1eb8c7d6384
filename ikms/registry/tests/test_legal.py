"""The legal basis of a register decision follows the instrument in force on the decision's date."""

import datetime as dt

import pytest

from ikms.registry.legal import instruments, legal_basis


@pytest.mark.parametrize(
    ("area", "day", "expected"),
    [
        ("licence", dt.date(2005, 3, 1), "Izglītības likuma 31. pants"),
        ("licence", dt.date(2019, 5, 28), "Izglītības likuma 31. pants; MK 28.05.2019. noteikumi Nr. 218"),
        ("licence", dt.date(2023, 5, 22), "Izglītības likuma 31. pants; MK 28.05.2019. noteikumi Nr. 218"),
        ("licence", dt.date(2024, 9, 2), "Izglītības likuma 31. pants; MK 23.05.2023. noteikumi Nr. 253"),
        ("accreditation", dt.date(2012, 1, 1), "MK 14.09.2010. noteikumi Nr. 852"),
        ("accreditation", dt.date(2020, 10, 9), "MK 20.12.2016. noteikumi Nr. 831"),
        ("accreditation", dt.date(2022, 4, 1), "MK 06.10.2020. noteikumi Nr. 618"),
        ("accreditation", dt.date(2024, 6, 13), "MK 04.06.2024. noteikumi Nr. 325"),
        ("register", dt.date(1995, 1, 1), "Izglītības likuma 24. pants"),
        ("register", dt.date(2020, 1, 1), "Izglītības likuma 24. pants; MK 14.07.2015. noteikumi Nr. 397"),
    ],
)
def test_the_instrument_in_force_on_the_day(area, day, expected):
    assert legal_basis(area, day) == expected


def test_every_area_covers_every_day():
    for spans in instruments().values():
        assert spans[0][0] is None and spans[-1][1] is None

