"""Certificate PDFs in one process: cold, warm, signed, and memory over 1,000 of them.

Renders the real two-page certificate (PDF/A-3b, tagged) from the same plain dict the
app builds, without a database: the PDF is the cost being measured.

- cold: the first certificate in a fresh process (imports done, fonts and stylesheet not
  yet read);
- warm: the median of later renders, against a minimal WeasyPrint document (one
  paragraph) rendered in the same process, the two interleaved, so the ratio compares
  across machines and across moments of a shared machine. Each render is another
  participant of the same cohort (name, NIP, institution, number, verification code,
  scores), as when a coordinator issues a cohort's certificates, so that what
  lms/certificates keeps between renders (styles, broken lines) is measured as it
  serves a real batch, never the same certificate twice;
- signed: the same with the PAdES signature (pyHanko, demo CA made in a temporary folder);
- memory: resident set size (VmRSS from /proc/self/status) after every 100 of 1,000
  signed certificates, each for another participant; it should level off, not climb.

Run: .venv/bin/python bench/certificates.py [--count 1000] [--warm 20]
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def median_ms(function, runs: int) -> float:
    return statistics.median(timed(function) for _ in range(runs))


FIRST = ("Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Putri", "Yusuf", "Lestari",
         "Hendra", "Nur", "Wahyu", "Ayu", "Fajar", "Indah", "Rizky", "Sri", "Bambang")
LAST = ("Nurhaliza", "Fauzi", "Sartika", "Santoso", "Marlina", "Wibowo", "Handayani",
        "Hidayat", "Kusuma", "Saputra", "Rahmawati", "Pratama", "Lubis", "Siregar",
        "Nasution", "Simanjuntak", "Wulandari", "Setiawan", "Gunawan")
PLACES = ("Kabupaten Bantul", "Kota Surabaya", "Provinsi Aceh", "Kota Makassar",
          "Kabupaten Sleman", "Kota Medan", "Provinsi Papua Barat", "Kota Ambon")
CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def participant(sample_data, number: int) -> dict:
    """The sample certificate for the cohort's participant `number` (all different)."""
    first, last = FIRST[number % len(FIRST)], LAST[(number // len(FIRST)) % len(LAST)]
    scrambled = number * 2_654_435_761 % 32 ** 12
    digits = "".join(CODE[scrambled >> (5 * i) & 31] for i in range(12))
    code = "-".join(digits[i:i + 4] for i in range(0, 12, 4))
    data = sample_data(
        number=f"{number:03d}/DIKLAT-PPBD/I/2026",
        holder_name=f"{first} {last} {CODE[number % 24]}., S.I.Pust.",
        holder_nip=f"1990{number % 12 + 1:02d}17 2015{number % 9:02d} 2 {number % 1000:03d}",
        holder_institution=f"Dinas Perpustakaan dan Kearsipan {PLACES[number % len(PLACES)]}",
        verify_url=f"https://diklat.example.id/verify/{code}",
        verification_code=code,
    )
    data["courses"] = [
        {**course, "score": None if course["score"] is None
         else round(60 + (number * 37 + index * 11) % 4000 / 100, 2)}
        for index, course in enumerate(data["courses"])
    ]
    return data


def interleaved(minimal, render, cohort, runs: int) -> tuple[float, float]:
    """Medians of the minimal document and of a certificate for the next participant,
    one of each in turn, so that other work on the machine weighs on both."""
    minimal_runs, warm_runs = [], []
    for _ in range(runs):
        minimal_runs.append(timed(minimal))
        warm_runs.append(timed(functools.partial(render, next(cohort))))
    return statistics.median(minimal_runs), statistics.median(warm_runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--warm", type=int, default=20)
    args = parser.parse_args()

    import weasyprint

    from lms.certificates import pdf_signing
    from lms.certificates.pdf import render_certificate_pdf
    from tests.certificates.test_pdf import sample_data

    cohort = iter(participant(sample_data, number) for number in range(1, 1_000_000))
    data = next(cohort)
    start_rss = rss_mib()
    cold = timed(lambda: render_certificate_pdf(data))

    def minimal() -> bytes:
        return weasyprint.HTML(string="<p>Sertifikat</p>").write_pdf()

    minimal()  # its own first render (fonts) is not what we compare
    for _ in range(3):  # what is kept between renders, as after a cohort's first few
        render_certificate_pdf(next(cohort))
    minimal_ms, warm_ms = interleaved(minimal, render_certificate_pdf, cohort, args.warm)
    data = next(cohort)

    with tempfile.TemporaryDirectory() as folder:
        p12_path, _ = pdf_signing.make_demo_ca(folder, "Bench signer")
        signer = pdf_signing.load_pkcs12(p12_path, pdf_signing.DEMO_PASSWORD)
    pdf = render_certificate_pdf(data)
    sign_ms = median_ms(lambda: pdf_signing.sign_pdf(pdf, signer), args.warm)
    signed_ms = median_ms(
        lambda: pdf_signing.sign_pdf(render_certificate_pdf(next(cohort)), signer), args.warm
    )

    print(f"python {sys.version.split()[0]}, WeasyPrint {weasyprint.__version__}, "
          f"RSS at start {start_rss:.0f} MiB, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"{'what':<34}{'ms':>9}{'ratio':>9}")
    print(f"{'minimal WeasyPrint document':<34}{minimal_ms:>9.1f}{1:>9.1f}")
    print(f"{'certificate, cold (first)':<34}{cold:>9.1f}{cold / minimal_ms:>9.1f}")
    print(f"{'certificate, warm (median)':<34}{warm_ms:>9.1f}{warm_ms / minimal_ms:>9.1f}")
    print(f"{'signing alone (median)':<34}{sign_ms:>9.1f}{sign_ms / minimal_ms:>9.1f}")
    print(f"{'certificate + signing (median)':<34}{signed_ms:>9.1f}"
          f"{signed_ms / minimal_ms:>9.1f}")
    print(f"PDF size: {len(pdf) / 1024:.0f} KiB unsigned")

    print(f"\n{'signed certificates':>20}{'RSS MiB':>10}{'ms each':>10}")
    print(f"{0:>20}{rss_mib():>10.0f}{'':>10}")
    started = time.perf_counter()
    for number in range(1, args.count + 1):
        pdf_signing.sign_pdf(render_certificate_pdf(next(cohort)), signer)
        if number % 100 == 0:
            each = (time.perf_counter() - started) * 1000 / 100
            print(f"{number:>20}{rss_mib():>10.0f}{each:>10.1f}", flush=True)
            started = time.perf_counter()


if __name__ == "__main__":
    main()
