"""Templat tugas mata diklat Blog dan Vlog sebagai Alat Promosi Perpustakaan.

Menulis DOCX (python-docx) dan ODT (odfpy) ke course_content/blog-vlog-promosi/assets/.
Jalankan dari akar repositori:  .venv/bin/python scripts/templates/blog-vlog-promosi.py
"""
from pathlib import Path

from blocks import write_docx, write_odt

ASSETS = Path(__file__).resolve().parents[2] / "course_content" / "blog-vlog-promosi" / "assets"

# Satu spesifikasi, dua format. Blok: ("h1"|"h2"|"p"|"i", teks) atau ("table", kepala, baris).
BLOG = [
    ("h1", "Templat Artikel Blog Perpustakaan"),
    ("i", "Isi templat ini untuk tugas \"Artikel Blog Perpustakaan\". Tugas ini individual: "
          "tulis untuk perpustakaan tempat Anda bekerja. Hapus semua teks miring petunjuk sebelum mengunggah."),
    ("h2", "A. Identitas"),
    ("table", ["Unsur", "Isian"], [
        ["Nama peserta", ""], ["Perpustakaan dan jenisnya (umum, sekolah, perguruan tinggi, khusus, desa)", ""],
        ["Pembaca sasaran", ""], ["Tujuan promosi (satu kalimat)", ""],
        ["Tempat terbit yang direncanakan (blog, rubrik berita situs lembaga)", ""],
    ]),
    ("h2", "B. Rencana SEO"),
    ("i", "Judul halaman sekitar 50-60 karakter; deskripsi meta sekitar 120-160 karakter; slug pendek, huruf kecil, kata dipisah tanda hubung."),
    ("table", ["Unsur", "Isian"], [
        ["Pertanyaan pemustaka yang dijawab artikel", ""], ["Kata kunci utama", ""],
        ["Dua atau tiga kata kunci pendukung", ""], ["Judul halaman", ""], ["Slug", ""],
        ["Deskripsi meta", ""], ["Dua tautan internal (judul halaman tujuan)", ""],
    ]),
    ("h2", "C. Naskah artikel (500-800 kata)"),
    ("i", "Tulis dengan pola piramida terbalik: jawaban terpenting di paragraf pembuka, subjudul setiap tiga sampai lima paragraf, paragraf pendek."),
    ("p", "Judul:"), ("p", "Paragraf pembuka:"), ("p", "Subjudul 1:"), ("p", "Isi:"),
    ("p", "Subjudul 2:"), ("p", "Isi:"), ("p", "Subjudul 3:"), ("p", "Isi:"),
    ("p", "Ajakan bertindak (CTA) dan tautannya:"),
    ("h2", "D. Gambar, sumber, dan teks alternatif"),
    ("i", "Setiap gambar perlu sumber yang sah (milik sendiri, domain publik, berlisensi, atau berizin) dan teks alternatif satu sampai dua kalimat."),
    ("table", ["No.", "Gambar", "Sumber dan lisensi", "Izin orang yang tampak", "Teks alternatif"],
     [[str(n), "", "", "", ""] for n in range(1, 4)]),
    ("h2", "E. Daftar periksa sebelum terbit"),
    ("table", ["Butir", "Sudah (ya/belum)"], [
        ["Fakta (tanggal, jam, nama, judul buku) sudah diperiksa", ""],
        ["Informasi penting tertulis sebagai teks, bukan hanya dalam gambar", ""],
        ["Subjudul bertingkat dan paragraf pendek", ""],
        ["Teks tautan bermakna (bukan \"klik di sini\")", ""],
        ["Kontras dan ukuran huruf nyaman dibaca di ponsel", ""],
        ["Istilah asing dicetak miring; ejaan sesuai EYD V", ""],
        ["Hak cipta dan izin semua gambar tercatat", ""],
    ]),
]

VLOG = [
    ("h1", "Templat Naskah dan Papan Cerita Vlog 60 Detik"),
    ("i", "Isi templat ini untuk tugas \"Naskah dan Papan Cerita Vlog 60 Detik\". Tugas ini individual: "
          "rancang vlog untuk perpustakaan tempat Anda bekerja. Hapus semua teks miring petunjuk sebelum mengunggah."),
    ("h2", "A. Rencana vlog"),
    ("table", ["Unsur", "Isian"], [
        ["Nama peserta", ""], ["Perpustakaan dan jenisnya", ""], ["Judul kerja vlog", ""],
        ["Penonton sasaran", ""], ["Pesan tunggal (satu kalimat)", ""],
        ["Platform dan orientasi layar (9:16 atau 16:9)", ""], ["Ajakan bertindak (CTA)", ""],
    ]),
    ("h2", "B. Naskah narasi"),
    ("i", "Tulis narasi lengkap untuk diucapkan. Sebagai perkiraan, 60 detik memuat sekitar 110-130 kata. Tuliskan jumlah katanya."),
    ("p", "Narasi:"), ("p", "Jumlah kata:"),
    ("h2", "C. Papan cerita (storyboard)"),
    ("i", "Satu baris untuk satu pengambilan gambar. Jumlah durasi semua baris 60 detik. Kolom Visual memuat jenis gambar (lebar, sedang, dekat, pendukung) dan isinya."),
    ("table", ["No.", "Durasi (detik)", "Visual", "Audio/narasi", "Teks di layar"],
     [[str(n), "", "", "", ""] for n in range(1, 9)]),
    ("p", "Jumlah durasi: ... detik"),
    ("h2", "D. Musik, suara, dan aset lain"),
    ("i", "Catat sumber dan lisensi setiap musik, efek suara, ikon, atau cuplikan. Musik populer tanpa izin tidak boleh dipakai."),
    ("table", ["Aset", "Sumber", "Lisensi atau izin", "Bukti (tautan atau tangkapan layar)"],
     [["", "", "", ""] for _ in range(3)]),
    ("h2", "E. Izin dan pelindungan data pribadi"),
    ("table", ["Orang atau kelompok yang tampak", "Bentuk persetujuan", "Catatan (anak, pemustaka, pegawai)"],
     [["", "", ""] for _ in range(3)]),
    ("h2", "F. Rencana takarir dan aksesibilitas"),
    ("table", ["Butir", "Rencana"], [
        ["Jenis takarir (tertutup atau terbuka)", ""],
        ["Keterangan suara penting yang ditulis, misalnya [musik ceria]", ""],
        ["Informasi di layar yang juga diucapkan dalam narasi", ""],
        ["Pemeriksaan ulang takarir otomatis oleh siapa", ""],
        ["Kedipan atau kilatan cahaya dihindari", ""],
    ]),
]


def main():
    ASSETS.mkdir(parents=True, exist_ok=True)
    for name, blocks in (("templat-artikel-blog", BLOG), ("templat-naskah-papan-cerita-vlog", VLOG)):
        write_docx(blocks, ASSETS / f"{name}.docx")
        write_odt(blocks, ASSETS / f"{name}.odt")
        print("ditulis:", name + ".docx", name + ".odt")


if __name__ == "__main__":
    main()
