"""What a web worker holds: the forecast line without numpy, and no spreadsheet library until a workbook is made."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from duo_zaak.figures.ibt_report import fitted_line

from ..conftest import REPO

DAY = date(2026, 3, 2)


def test_fitted_line_through_points_on_a_line() -> None:
    # 10, 8, 6 on days 0, 1, 2: slope -2 per day, intercept 10; drawn to the zero date, day 5 (10 - 2 * 5 = 0)
    points = [(DAY, 10), (DAY + timedelta(days=1), 8), (DAY + timedelta(days=2), 6)]
    line = fitted_line(points, DAY + timedelta(days=5), DAY + timedelta(days=365))
    assert line == [(DAY, 10.0), (DAY + timedelta(days=5), 0.0)]


def test_fitted_line_least_squares_without_a_zero_date() -> None:
    # 3, 1, 2 on days 0, 1, 2: mean x 1, mean y 2; slope = ((-1)(1) + (0)(-1) + (1)(0)) / ((-1)² + 0² + 1²) = -0,5;
    # intercept = 2 - (-0,5)(1) = 2,5; no zero date: drawn to the last day, 2,5 - 0,5 * 2 = 1,5
    points = [(DAY, 3), (DAY + timedelta(days=1), 1), (DAY + timedelta(days=2), 2)]
    assert fitted_line(points, None, DAY + timedelta(days=365)) == [(DAY, 2.5), (DAY + timedelta(days=2), 1.5)]


def test_fitted_line_zero_date_capped() -> None:
    # the same falling line, its zero date beyond the cap (day 4): drawn to the cap, 10 - 2 * 4 = 2
    points = [(DAY, 10), (DAY + timedelta(days=1), 8), (DAY + timedelta(days=2), 6)]
    line = fitted_line(points, DAY + timedelta(days=5), DAY + timedelta(days=4))
    assert line == [(DAY, 10.0), (DAY + timedelta(days=4), 2.0)]


def test_app_start_loads_neither_numpy_nor_openpyxl() -> None:
    """Every web worker would hold them (some 17 MB); they are loaded when a workbook or export is made."""
    code = ("import sys; from duo_zaak import create_app; create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
            "print(sorted(m for m in ('numpy', 'openpyxl', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                         env={"DUO_ZAAK_MODE": "development", "PATH": "/usr/bin:/bin"}).stdout
    assert out.strip().splitlines()[-1] == "[]"
