"""Random streams, vectorised sampling helpers and pseudonymous ids for the generator."""

from __future__ import annotations

import zlib

import numpy as np
import pyarrow as pa

IntArray = np.ndarray
FloatArray = np.ndarray


def stream(seed: int, *keys: str | int) -> np.random.Generator:
    """An independent PCG64 stream for a seed and a purpose (e.g. "marks", year, chunk).

    Every part of the generator draws from its own stream so that the output for a seed does not
    depend on the order in which the parts run."""
    words = [int(seed) & 0xFFFFFFFF, (int(seed) >> 32) & 0xFFFFFFFF]
    for key in keys:
        words.append(zlib.crc32(key.encode()) if isinstance(key, str) else int(key) & 0xFFFFFFFF)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))


def weighted_sample(rng: np.random.Generator, weights: FloatArray, k: int) -> IntArray:
    """Indices of exactly k items drawn without replacement with probability ∝ weight (Efraimidis–Spirakis)."""
    n = len(weights)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k > n:
        raise ValueError(f"cannot draw {k} of {n}")
    w = np.asarray(weights, dtype=np.float64)
    with np.errstate(divide="ignore"):
        keys = np.log(rng.random(n)) / np.where(w > 0, w, np.nan)
    keys = np.nan_to_num(keys, nan=-np.inf)
    if k == n:
        return np.arange(n)
    idx = np.argpartition(-keys, k - 1)[:k]
    return np.sort(idx)


def top_k(score: FloatArray, k: int) -> IntArray:
    """Indices of the k largest scores (sorted by index)."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k >= len(score):
        return np.arange(len(score))
    return np.sort(np.argpartition(-np.asarray(score), k - 1)[:k])


def choose_in_groups(rng: np.random.Generator, item_group: IntArray, option_group: IntArray,
                     option_weight: FloatArray) -> IntArray:
    """For each item, one option of the same group drawn ∝ weight; -1 where the group has none.

    Groups are non-negative integers. Fully vectorised: cumulative weights per group are laid out on
    the real line as group + share, and each item searches for group + uniform."""
    item_group = np.asarray(item_group, dtype=np.int64)
    out = np.full(len(item_group), -1, dtype=np.int64)
    keep = np.asarray(option_weight) > 0
    opt_idx = np.nonzero(keep)[0]
    if len(opt_idx) == 0 or len(item_group) == 0:
        return out
    g = np.asarray(option_group, dtype=np.int64)[opt_idx]
    w = np.asarray(option_weight, dtype=np.float64)[opt_idx]
    order = np.lexsort((opt_idx, g))
    g, w, opt_idx = g[order], w[order], opt_idx[order]
    cum = np.cumsum(w)
    starts = np.r_[0, np.nonzero(np.diff(g))[0] + 1]
    group_total = np.add.reduceat(w, starts)
    before = np.repeat(cum[starts] - w[starts], np.diff(np.r_[starts, len(g)]))
    share = (cum - before) / np.repeat(group_total, np.diff(np.r_[starts, len(g)]))
    share[np.r_[starts[1:] - 1, len(g) - 1]] = 1.0  # exact 1 at each group's end
    line = g + share
    pos = np.searchsorted(line, item_group + rng.random(len(item_group)), side="right")
    pos = np.minimum(pos, len(g) - 1)
    ok = g[pos] == item_group
    out[ok] = opt_idx[pos[ok]]
    return out


def group_rank(groups: IntArray, rng: np.random.Generator | None = None) -> IntArray:
    """Rank of each item within its group (0, 1, ...), in random order when rng is given."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    tiebreak = rng.random(n) if rng is not None else np.arange(n)
    order = np.lexsort((tiebreak, groups))
    sg = np.asarray(groups)[order]
    starts = np.r_[0, np.nonzero(sg[1:] != sg[:-1])[0] + 1]
    lens = np.diff(np.r_[starts, n])
    rank_sorted = np.arange(n) - np.repeat(starts, lens)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = rank_sorted
    return rank


def segment_positions(lengths: IntArray) -> tuple[IntArray, IntArray]:
    """For segments of the given lengths laid end to end: (segment index, position within segment) per row."""
    lengths = np.asarray(lengths, dtype=np.int64)
    seg = np.repeat(np.arange(len(lengths)), lengths)
    starts = np.cumsum(lengths) - lengths
    pos = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(starts, lengths)
    return seg, pos


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a bijection on 64-bit integers with good avalanche."""
    x = x.astype(np.uint64) + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def pseudonym_hashes(serials: IntArray, seed: int, domain: str) -> np.ndarray:
    """Keyed 64-bit hashes of serial numbers (distinct serials give distinct hashes)."""
    key = _mix64(np.array([(int(seed) << 32) ^ zlib.crc32(domain.encode())], dtype=np.uint64))[0]
    return _mix64(np.asarray(serials).astype(np.uint64) ^ key)


def hex_strings(hashes: np.ndarray) -> pa.StringArray:
    """16-character lower-case hex strings of 64-bit values, built without a Python loop."""
    n = len(hashes)
    raw = np.asarray(hashes, dtype=np.uint64).astype(">u8").view(np.uint8).reshape(n, 8)
    out = np.empty((n, 16), dtype=np.uint8)
    out[:, 0::2] = _HEX[raw >> 4]
    out[:, 1::2] = _HEX[raw & 15]
    offsets = np.arange(0, 16 * n + 1, 16, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(out.tobytes()))


def pseudonyms(serials: IntArray, seed: int, domain: str) -> pa.StringArray:
    """Pseudonymous ids (hex of a keyed hash) for serial numbers in a domain such as "learner"."""
    return hex_strings(pseudonym_hashes(serials, seed, domain))


def take_strings(values: pa.Array, indices: IntArray) -> pa.Array:
    """values[indices] as a plain string array."""
    idx = pa.array(np.asarray(indices, dtype=np.int32))
    return pa.DictionaryArray.from_arrays(idx, values).cast(pa.string())
