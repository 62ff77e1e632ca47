"""W3C Bitstring Status List for revocation: which bit a certificate has, and the list.

Each certificate's position is derived from its id (list `id // LIST_SIZE + 1`, index
`id % LIST_SIZE`), so no column is needed and a position is never given twice. A bit is
set when the certificate is no longer valid (revoked, or replaced by a corrected one):
for a verifier both mean "do not accept this credential any more". Pure except
`revoked_indexes`, which reads the certificates of one list.
"""

from __future__ import annotations

import base64
import gzip

from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.extensions import db

# The specification's minimum (16 KiB), so a list gives away little about how many
# certificates one list holds and who was revoked.
LIST_SIZE = 131_072


def position(certificate_id: int) -> tuple[int, int]:
    """(status list number, bit index) of a certificate."""
    return certificate_id // LIST_SIZE + 1, certificate_id % LIST_SIZE


def encoded_list(indexes: set[int]) -> str:
    """The `encodedList`: a multibase ('u', base64url without padding) GZIP of the bits,
    index 0 being the most significant bit of the first byte. Refuses an index out of
    range with ValueError."""
    bits = bytearray(LIST_SIZE // 8)
    for index in indexes:
        if not 0 <= index < LIST_SIZE:
            raise ValueError(f"status list index {index} out of range")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same list always compresses to the same bytes.
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decoded_bit(encoded: str, index: int) -> bool:
    """The bit at `index` of an encodedList (used by tests and the verify endpoint)."""
    data = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    return bool(data[index // 8] & (0x80 >> (index % 8)))


def revoked_indexes(list_number: int) -> set[int]:
    """Bit indexes set in list `list_number`: certificates revoked or replaced."""
    low = (list_number - 1) * LIST_SIZE
    ids = db.session.scalars(select(Certificate.id).where(
        Certificate.id >= low, Certificate.id < low + LIST_SIZE,
        Certificate.status != "valid"))
    return {certificate_id - low for certificate_id in ids}


def list_count() -> int:
    """How many lists exist: enough for the highest certificate id (at least one)."""
    highest = db.session.scalar(select(db.func.max(Certificate.id))) or 0
    return position(highest)[0]
