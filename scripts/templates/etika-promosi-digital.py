"""Lembar kerja mata diklat Etika Promosi Perpustakaan Berbasis Digital.

Menulis DOCX (python-docx) dan ODT (odfpy) ke course_content/etika-promosi-digital/assets/:
formulir persetujuan dokumentasi dan lembar Daftar Aset Konten (latihan Modul 1 dan Modul 2).
Jalankan dari akar repositori:  .venv/bin/python scripts/templates/etika-promosi-digital.py
"""
from pathlib import Path

from blocks import write_docx, write_odt

ASSETS = Path(__file__).resolve().parents[2] / "course_content" / "etika-promosi-digital" / "assets"

PERSETUJUAN = [
    ("h1", "Formulir Persetujuan Dokumentasi Kegiatan Perpustakaan"),
    ("i", "Sesuaikan isian bertanda [...] dengan kegiatan Anda. Formulir ini terpisah dari formulir "
          "pendaftaran, memakai bahasa yang sederhana, dan disimpan sebagai bukti persetujuan "
          "(UU Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi). Untuk anak, yang "
          "menandatangani adalah orang tua atau wali."),
    ("h2", "A. Kegiatan"),
    ("table", ["Unsur", "Isian"], [
        ["Nama kegiatan", ""], ["Tanggal dan tempat", ""], ["Penyelenggara (perpustakaan)", ""],
    ]),
    ("h2", "B. Untuk apa foto dan video dipakai"),
    ("table", ["Unsur", "Isian"], [
        ["Tujuan dokumentasi", "[laporan kegiatan dan promosi layanan perpustakaan]"],
        ["Kanal publikasi", "[situs resmi, Instagram, Facebook, YouTube perpustakaan]"],
        ["Lama penyimpanan", ""],
        ["Yang tidak akan dicantumkan", "[nama lengkap, sekolah, dan kelas anak secara bersamaan; nomor telepon; alamat]"],
    ]),
    ("h2", "C. Pilihan Anda"),
    ("i", "Beri tanda pada satu pilihan. Menolak tidak mengurangi hak mengikuti kegiatan."),
    ("table", ["Pilihan", "Tanda"], [
        ["Saya setuju foto dan video yang menampilkan saya/anak saya diunggah di kanal di atas.", ""],
        ["Saya setuju hanya untuk foto suasana tanpa wajah yang jelas.", ""],
        ["Saya tidak setuju.", ""],
    ]),
    ("h2", "D. Menarik persetujuan"),
    ("p", "Anda dapat menarik persetujuan kapan saja dengan menghubungi petugas di bawah ini. "
          "Foto atau video akan diturunkan dari kanal perpustakaan."),
    ("table", ["Unsur", "Isian"], [["Nama petugas", ""], ["Kontak petugas", ""]]),
    ("h2", "E. Tanda tangan"),
    ("table", ["Unsur", "Isian"], [
        ["Nama peserta", ""], ["Nama orang tua atau wali (untuk anak)", ""],
        ["Tanggal", ""], ["Tanda tangan", ""],
    ]),
]

ASET = [
    ("h1", "Daftar Aset Konten"),
    ("i", "Isi satu baris untuk setiap foto, ilustrasi, ikon, huruf, musik, atau cuplikan video yang "
          "dipakai dalam satu unggahan. Status: milik sendiri, domain publik, berlisensi, berizin, atau "
          "tidak jelas. Aset berstatus tidak jelas tidak boleh dipakai sebelum ada tindakan."),
    ("table", ["Unsur", "Isian"], [["Judul unggahan", ""], ["Kanal dan tanggal terbit", ""], ["Penyusun", ""]]),
    ("table", ["No.", "Aset", "Jenis", "Asal (tautan atau pembuat)", "Status", "Lisensi dan atribusi (JPSL)", "Bukti", "Tindakan"],
     [[str(n), "", "", "", "", "", "", ""] for n in range(1, 9)]),
    ("h2", "Persetujuan orang yang tampak"),
    ("table", ["Orang atau kelompok", "Bentuk persetujuan", "Tempat bukti disimpan"],
     [["", "", ""] for _ in range(3)]),
]


def main():
    ASSETS.mkdir(parents=True, exist_ok=True)
    for name, blocks in (("formulir-persetujuan-dokumentasi", PERSETUJUAN), ("daftar-aset-konten", ASET)):
        write_docx(blocks, ASSETS / f"{name}.docx")
        write_odt(blocks, ASSETS / f"{name}.odt")
        print("ditulis:", name + ".docx", name + ".odt")


if __name__ == "__main__":
    main()
