"""Synthetic national data generator of the IKMS lake (no Django).

``generate_lake`` writes every dataset of ``analytics.lake.schemas`` for the given school years, calibrated
so that the 2024 published figures hold in the records; ``check_calibration`` recounts them with DuckDB.
"""

from analytics.synth.calibration import calibration_report, check_calibration
from analytics.synth.generator import generate_lake
from analytics.synth.institutions import example_institutions

__all__ = ["calibration_report", "check_calibration", "example_institutions", "generate_lake"]
