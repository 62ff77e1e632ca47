"""segno's choice of QR mask, the same choice, about ten times faster.

A QR code's data is XORed with the one of eight mask patterns whose result scores the
lowest penalty (ISO/IEC 18004:2015, 7.8.3: runs of one colour, 2x2 blocks, finder-like
patterns, dark proportion). segno tries the eight one module at a time through Python
function calls: about 3 ms of a certificate's render, for a 41x41 symbol. Here the
mask of each pattern is made once per symbol size, a row is XORed as one integer, and
the scores are counted on whole rows (regular expressions for the runs, bit operations
for the blocks); the N3 count is segno's own logic over the same byte strings. The
result, mask number and modules, is segno's, which tests/certificates/test_pdf_speed.py
checks over many addresses against segno's own `find_and_apply_best_mask`.

`segno_make(content, error)` calls segno.make with this chooser in place of segno's for
the time of the call (segno looks the function up as a module global). Revisit when
upgrading segno (1.6): if its encoder no longer has the function, segno's is used.
"""

from __future__ import annotations

import functools
import re
import threading

import segno
from segno import encoder

_ORIGINAL = getattr(encoder, "find_and_apply_best_mask", None)
# Written against segno 1.6's encoder (make_matrix, add_finder_patterns,
# add_alignment_patterns, get_data_mask_functions): another version is left to itself.
_SEGNO_OK = segno.__version__.startswith("1.6.") and _ORIGINAL is not None
_LOCK = threading.Lock()
_RUN = re.compile(rb"\x00{5,}|\x01{5,}")
_N3 = bytes((1, 0, 1, 1, 1, 0, 1))


def segno_make(content: str, *, error: str) -> segno.QRCode:
    """segno.make(content, error=error), its mask chosen by `best_mask` below."""
    if not _SEGNO_OK:
        return segno.make(content, error=error)
    with _LOCK:
        encoder.find_and_apply_best_mask = best_mask
        try:
            return segno.make(content, error=error)
        finally:
            encoder.find_and_apply_best_mask = _ORIGINAL


@functools.lru_cache(maxsize=8)
def _xor_rows(width: int) -> tuple[tuple[int, ...], ...]:
    """Per pattern, each row's XOR mask limited to the encoding region exactly as segno
    decides it: one byte a module (0 or 1), the row read as a big-endian integer, so an
    integer XOR masks every module of the row at once."""
    function = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function, width, width)
    encoder.add_alignment_patterns(function, width, width)
    function[-8][8] = 0x1
    patterns = encoder.get_data_mask_functions(False)
    return tuple(
        tuple(
            int.from_bytes(bytes(
                1 if function[i][j] > 0x1 and pattern(i, j) else 0 for j in range(width)
            ), "big")
            for i in range(width)
        )
        for pattern in patterns
    )


def best_mask(matrix, width, height, proposed_mask=None):
    """Drop-in for segno.encoder.find_and_apply_best_mask (QR Codes; Micro QR to segno)."""
    if (proposed_mask is not None or width != height or width < 21
            or any(row.translate(None, b"\x00\x01") for row in matrix)):
        return _ORIGINAL(matrix, width, height, proposed_mask)
    rows = [int.from_bytes(row, "big") for row in matrix]
    best_score, best_pattern, best_rows = None, None, None
    for number, xor in enumerate(_xor_rows(width)):
        masked = [row ^ x for row, x in zip(rows, xor, strict=True)]
        score = _penalty(masked, width)
        if best_score is None or score < best_score:
            best_score, best_pattern, best_rows = score, number, masked
    return best_pattern, tuple(bytearray(row.to_bytes(width, "big")) for row in best_rows)


def _penalty(rows: list[int], width: int) -> int:
    """segno's evaluate_mask (N1 + N2 + N3 + N4) over rows of one byte a module."""
    lines = [row.to_bytes(width, "big") for row in rows]
    columns = [bytes(column) for column in zip(*lines, strict=True)]
    # N1: each run of five or more modules of one colour, in a row or a column (the
    # lines joined by a byte that is neither colour, so no run crosses from one to the
    # next).
    runs = _RUN.findall(b"\x02".join(lines + columns))
    n1 = sum(map(len, runs)) - 2 * len(runs)
    # N2: each 2x2 block of one colour. Byte j of `across` says module j equals module
    # j - 1; of `down`, that module j equals the one above.
    ones = int.from_bytes(b"\x01" * width, "big")
    n2 = 0
    previous = previous_across = None
    for row in rows:
        across = ~(row ^ (row >> 8)) & (ones >> 8)
        if previous is not None:
            down = ~(row ^ previous) & ones
            n2 += (across & previous_across & down & (down >> 8)).bit_count()
        previous, previous_across = row, across
    # N3: finder-like patterns, row i and column i in turn as segno counts them.
    n3 = 0
    for row, column in zip(lines, columns, strict=True):
        if _N3 in row:
            n3 += _n3(row, width)
        if _N3 in column:
            n3 += _n3(column, width)
    # N4: the proportion of dark modules.
    dark = sum(line.count(1) for line in lines)
    n4 = 10 * int(abs(float(dark) / (width ** 2) * 100 - 50) / 5)
    return n1 + 3 * n2 + n3 + n4


def _n3(seq: bytes, qr_size: int) -> int:
    """segno's n3_pattern_occurrences, as written there (its quirks included)."""
    count = 0
    idx = seq.find(_N3)
    while idx != -1:
        offset = idx + 7
        if idx in (0, qr_size - 7) \
                or not any(seq[max(idx - 4, 0):min(idx, qr_size)]) \
                or not any(seq[max(offset, 0):min(offset + 4, qr_size)]):
            count += 40
        else:
            offset = idx + 4
        idx = seq.find(_N3, offset)
    return count
