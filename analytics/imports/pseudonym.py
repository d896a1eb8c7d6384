"""Pseudonymous ids: HMAC-SHA256 of the normalised personal code (11 digits, no hyphen), keyed by the caller.

The HMAC is computed inside DuckDB (RFC 2104 built from DuckDB's sha256(): the key is padded to the
SHA-256 block, XOR-ed with ipad/opad in Python, and passed as BLOB parameters), so the clear code
never leaves the database engine's memory. Measured on 1 M distinct codes (2 cores): DuckDB SQL
2.1 s, a vectorised Python UDF over Arrow (hmac.copy per value) 2.8 s and single-threaded — the
SQL form is used. Imports hash each distinct code of a file once, not each row.

The id is the lower-case hex digest truncated to 32 characters (128 bits)."""

from __future__ import annotations

import hashlib
import hmac

BLOCK = 64
ID_LENGTH = 32


def pads(key: bytes) -> tuple[bytes, bytes]:
    """(K ⊕ ipad, K ⊕ opad) for HMAC-SHA256; keys longer than the block are hashed first."""
    if not key:
        raise ValueError("the pseudonymisation key must not be empty")
    if len(key) > BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def sql_hmac(expr: str, ipad_param: str = "$ipad", opad_param: str = "$opad") -> str:
    """SQL: the pseudonymous id of the VARCHAR expression `expr` (named parameters hold the pads)."""
    inner = f"unhex(sha256({ipad_param}::BLOB || encode({expr})))"
    return f"left(sha256({opad_param}::BLOB || {inner}), {ID_LENGTH})"


def pseudonymise(code: str, key: bytes) -> str:
    """Reference implementation: the id of one code (normalised first: whitespace and hyphen removed)."""
    digits = code.strip().replace("-", "")
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()[:ID_LENGTH]
