"""Templat tugas mata pelatihan Branding untuk Perpustakaan: kerangka pedoman merek.

Menulis DOCX (python-docx) dan ODT (odfpy) ke course_content/branding-perpustakaan/assets/.
Jalankan dari akar repositori:  .venv/bin/python scripts/templates/branding-perpustakaan.py
"""
from pathlib import Path

from blocks import write_docx, write_odt

ASSETS = Path(__file__).resolve().parents[2] / "course_content" / "branding-perpustakaan" / "assets"

# Satu spesifikasi, dua format. Blok: ("h1"|"h2"|"p"|"i", teks) atau ("table", kepala, baris).
PEDOMAN = [
    ("h1", "Templat Kerangka Pedoman Merek Perpustakaan"),
    ("i", "Isi templat ini untuk tugas \"Kerangka Pedoman Merek Perpustakaan\". Tugas ini individu: "
          "susun untuk perpustakaan tempat Anda bekerja. Panjang yang disarankan 4-8 halaman. "
          "Hapus semua teks miring petunjuk sebelum mengunggah."),
    ("h2", "Identitas"),
    ("table", ["Unsur", "Isian"], [
        ["Nama peserta", ""],
        ["Nama perpustakaan dan jenisnya (umum, sekolah/madrasah, perguruan tinggi, khusus, desa)", ""],
        ["Lembaga induk dan aturan identitas visual lembaga induk yang berlaku", ""],
        ["Segmen pemustaka prioritas", ""],
    ]),
    ("h2", "1. Tentang merek kami"),
    ("i", "Tuliskan janji merek dalam satu kalimat yang dapat dibuktikan staf besok pagi, pernyataan positioning "
          "dengan pola Bagi [sasaran] yang [kebutuhan], [nama] adalah [kerangka acuan] yang [manfaat], karena "
          "[alasan untuk percaya], tiga nilai, dan kepribadian merek."),
    ("table", ["Unsur", "Isian", "Dasar atau bukti (hasil survei, data, kegiatan)"], [
        ["Janji merek", "", ""], ["Pernyataan positioning", "", ""],
        ["Nilai (tiga kata)", "", ""], ["Kepribadian merek (tiga sifat)", "", ""],
    ]),
    ("h2", "2. Logo"),
    ("i", "Jelaskan versi utama dan alternatif, ruang kosong minimal di sekeliling logo, ukuran minimal, dan contoh "
          "penggunaan yang salah. Nilai logo dengan enam kriteria Keller."),
    ("table", ["Aturan", "Ketentuan"], [
        ["Versi utama dan versi alternatif (horizontal, vertikal, satu warna)", ""],
        ["Ruang kosong minimal", ""], ["Ukuran minimal (cetak dan layar)", ""],
        ["Penggunaan yang dilarang (minimal tiga)", ""],
    ]),
    ("table", ["Kriteria Keller", "Skor (1-5)", "Alasan"], [
        ["Mudah diingat", "", ""], ["Bermakna", "", ""], ["Disukai", "", ""],
        ["Dapat dialihkan", "", ""], ["Mudah disesuaikan", "", ""], ["Dapat dilindungi", "", ""],
    ]),
    ("h2", "3. Warna"),
    ("i", "Maksimal dua warna utama dan dua warna pendukung. Periksa kontras setiap kombinasi teks dan latar; "
          "untuk teks isi gunakan rasio minimal 4,5:1."),
    ("table", ["Warna", "Peran (utama/pendukung)", "Kode HEX", "Kode CMYK", "Kombinasi teks-latar dan rasio kontras"],
     [["", "", "", "", ""] for _ in range(4)]),
    ("h2", "4. Tipografi"),
    ("table", ["Penggunaan", "Jenis huruf dan lisensinya", "Ukuran minimal"], [
        ["Judul", "", ""], ["Isi", "", ""], ["Keterangan dan takarir", "", ""],
    ]),
    ("h2", "5. Foto dan ikon"),
    ("i", "Tentukan gaya foto (pemustaka nyata dan beragam), aturan izin foto, terutama foto anak, dan gaya ikon."),
    ("table", ["Aturan", "Ketentuan"], [
        ["Gaya foto", ""], ["Cara meminta dan mencatat izin foto", ""],
        ["Keragaman yang ditampilkan (usia, penyandang disabilitas, latar)", ""], ["Gaya ikon", ""],
    ]),
    ("h2", "6. Tone of voice"),
    ("i", "Tentukan posisi pada empat dimensi, lalu beri contoh kalimat begini dan bukan begini."),
    ("table", ["Dimensi", "Posisi kami"], [
        ["Lucu - serius", ""], ["Santai - formal", ""], ["Sopan - tidak sopan", ""], ["Antusias - datar", ""],
    ]),
    ("table", ["Situasi", "Begini", "Bukan begini"], [["", "", ""] for _ in range(3)]),
    ("table", ["Kata yang kami pakai", "Kata yang kami hindari"], [["", ""] for _ in range(4)]),
    ("h2", "7. Templat"),
    ("i", "Daftar templat yang disediakan dan tempat menyimpannya. Lampirkan satu contoh (gambar atau tautan)."),
    ("table", ["Templat", "Ukuran atau format", "Tempat penyimpanan", "Penanggung jawab"], [
        ["Poster", "", "", ""], ["Unggahan media sosial", "", "", ""], ["Spanduk", "", "", ""],
        ["Presentasi", "", "", ""], ["Sertifikat atau kop surat", "", "", ""],
    ]),
    ("h2", "8. Kemitraan"),
    ("table", ["Situasi", "Aturan menampilkan logo dan nama"], [
        ["Penyelenggara bersama", ""], ["Mitra pendukung", ""], ["Sponsor", ""],
    ]),
    ("h2", "Tata kelola dan rencana penerapan"),
    ("table", ["Peran", "Nama jabatan", "Tugas"], [
        ["Penanggung jawab merek", "", ""], ["Penjaga merek", "", ""], ["Tim konten", "", ""],
    ]),
    ("table", ["Langkah penerapan (tiga bulan)", "Waktu", "Indikator keberhasilan"],
     [["", "", ""] for _ in range(3)]),
]


def main():
    ASSETS.mkdir(parents=True, exist_ok=True)
    name = "templat-pedoman-merek"
    write_docx(PEDOMAN, ASSETS / f"{name}.docx")
    write_odt(PEDOMAN, ASSETS / f"{name}.odt")
    print("ditulis:", name + ".docx", name + ".odt")


if __name__ == "__main__":
    main()
