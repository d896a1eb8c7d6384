"""The demo gives a "Jāpilnveido" to the institutions whose hidden latent quality is lowest (with noise)."""

import random
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.parquet as pq

from ikms.accreditation.demo import Ctx, _latent, _pick


def test_low_levels_follow_the_latent_quality(tmp_path):
    path = tmp_path / "latent.parquet"
    regs = [f"{4000000000 + i}" for i in range(40)]
    quality = [-3.0 if i < 5 else 3.0 for i in range(40)]  # five clearly weak schools
    pq.write_table(pa.table({"institution": regs, "latent_quality": quality, "latent_trend": [0.0] * 40}), path)
    ctx = Ctx(rng=random.Random(1), scale=1, ikvd=None, latent=_latent(path))
    pool = [SimpleNamespace(pk=i, registration_number=r) for i, r in enumerate(regs)]
    picked = _pick(ctx, pool, 40, 5)
    assert {inst.pk for inst, low in picked if low} == {0, 1, 2, 3, 4}
    assert _latent(tmp_path / "missing.parquet") == {}
