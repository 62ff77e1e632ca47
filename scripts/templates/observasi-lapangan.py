"""Templates for the course observasi-lapangan (DOCX and ODT).

Run from the project root with the project's Python:

    .venv/bin/python scripts/templates/observasi-lapangan.py

It writes into course_content/observasi-lapangan/assets/, using the document writer of
scripts/templates/perancangan-program-promosi.py (loaded by path).
"""
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("ppp_templates", HERE / "perancangan-program-promosi.py")
_ppp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_ppp)
write_both = _ppp.write_both

OBSERVASI = [
    ("title", "Panduan Observasi dan Laporan Observasi Lapangan"),
    ("i", "Templat ini terdiri atas dua bagian: Bagian A dipakai di lapangan (rencana, lembar "
          "observasi, catatan lapangan, panduan wawancara), Bagian B adalah kerangka laporan yang "
          "dikumpulkan. Observasi boleh dilakukan bersama tim, tetapi laporan disusun dan "
          "dikumpulkan secara INDIVIDUAL. Teks bercetak miring adalah petunjuk; hapus setelah diisi."),
    ("h1", "Bagian A. Panduan Observasi"),
    ("h2", "A1. Rencana Observasi"),
    ("field", "Nama peserta"),
    ("field", "Perpustakaan asal"),
    ("field", "Lokus observasi (nama dan jenis perpustakaan)"),
    ("field", "Jenis observasi (luring/daring; terstruktur/tidak terstruktur)"),
    ("field", "Tanggal dan waktu"),
    ("field", "Anggota tim dan perannya (bila berkelompok)"),
    ("field", "Surat izin/konfirmasi lokus (nomor dan tanggal)"),
    ("h2", "A2. Tujuan dan Pertanyaan Panduan"),
    ("i", "Tuliskan satu tujuan observasi dan tiga sampai lima pertanyaan panduan yang berkaitan "
          "dengan kebutuhan perpustakaan Anda sendiri."),
    ("table", ["No.", "Pertanyaan panduan", "Sumber data (amati/wawancara/dokumen/kanal daring)"], 5),
    ("h2", "A3. Lembar Observasi Terstruktur"),
    ("i", "Skor 1 = belum ada; 2 = ada tetapi tidak konsisten; 3 = ada dan cukup konsisten; "
          "4 = konsisten dan terdokumentasi. Tulis bukti untuk setiap skor."),
    ("table", ["Aspek", "Indikator", "Skor (1-4)", "Bukti/catatan"], [
        ["Perencanaan konten", "Ada kalender konten tertulis", "", ""],
        ["Perencanaan konten", "Unggahan sesuai jadwal", "", ""],
        ["Produksi", "Video bertakarir", "", ""],
        ["Produksi", "Teks alternatif pada gambar", "", ""],
        ["Interaksi", "Komentar dan pesan dijawab", "", ""],
        ["Interaksi pustakawan-pemustaka", "Pustakawan menyapa dan mendengarkan kebutuhan pemustaka", "", ""],
        ["Etika", "Izin foto dan pelindungan data pribadi", "", ""],
        ["Evaluasi", "Statistik direkap dan dibahas", "", ""],
        ["SDM", "Pembagian peran dan pengembangan kompetensi staf promosi", "", ""],
        ["", "", "", ""],
    ]),
    ("h2", "A4. Catatan Lapangan"),
    ("i", "Pisahkan catatan deskriptif (apa yang dilihat/didengar, dengan waktu dan tempat) dari "
          "refleksi (tafsiran Anda), beri tanda [Refleksi]."),
    ("table", ["Waktu", "Tempat", "Catatan deskriptif", "Refleksi"], 6),
    ("h2", "A5. Panduan Wawancara Singkat"),
    ("i", "Mintalah izin sebelum merekam. Jangan mencatat data pribadi pemustaka."),
    ("table", ["No.", "Pertanyaan", "Jawaban narasumber (ringkas)"], [
        ["1", "Bagaimana promosi digital di perpustakaan ini dimulai?", ""],
        ["2", "Siapa yang terlibat dan bagaimana perannya dibagi?", ""],
        ["3", "Bagaimana konten direncanakan dan disetujui?", ""],
        ["4", "Bagaimana pustakawan dikembangkan kompetensinya (pelatihan, jabatan fungsional)?", ""],
        ["5", "Kendala terbesar dan cara mengatasinya?", ""],
        ["6", "Saran bagi perpustakaan dengan sumber daya terbatas?", ""],
    ]),
    ("h2", "A6. Observasi Daring (30 hari)"),
    ("table", ["Kanal", "Jumlah unggahan", "Jenis terbanyak", "Rata-rata interaksi", "Catatan"], 4),
    ("h1", "Bagian B. Kerangka Laporan Observasi"),
    ("h2", "BAB I Pendahuluan"),
    ("i", "Latar belakang, tujuan observasi, pertanyaan panduan, dan manfaat bagi perpustakaan Anda."),
    ("h2", "BAB II Metode"),
    ("i", "Jenis observasi, waktu dan tempat, instrumen, narasumber (jabatan, bukan nama pemustaka), "
          "dan cara mengolah data (reduksi, penyajian, penarikan kesimpulan, triangulasi)."),
    ("h2", "BAB III Profil Lokus"),
    ("i", "Jenis perpustakaan, layanan, SDM, kanal digital, dan program promosi yang diamati. "
          "Cantumkan sumber setiap data."),
    ("h2", "BAB IV Hasil dan Pembahasan"),
    ("i", "Tulis setiap temuan dengan pola temuan, bukti, makna, dan implikasi."),
    ("table", ["Temuan", "Bukti (lembar/catatan/wawancara/dokumen)", "Makna", "Implikasi bagi perpustakaan saya"], 4),
    ("h2", "Analisis Kesenjangan"),
    ("table", ["Aspek", "Praktik di lokus", "Kondisi perpustakaan saya", "Kesenjangan", "Dapat diadopsi? Alasan"], 5),
    ("h2", "BAB V Simpulan dan Rekomendasi"),
    ("i", "Simpulan menjawab pertanyaan panduan; rekomendasi menjadi bahan RTL."),
    ("h2", "Lampiran"),
    ("i", "Lembar observasi yang sudah diisi, catatan lapangan, foto (hanya dengan izin; wajah anak "
          "tidak diunggah), dan tangkapan layar (nama akun pemustaka disamarkan)."),
]

RTL = [
    ("title", "Rencana Tindak Lanjut (RTL) Pascapelatihan"),
    ("i", "RTL disusun secara INDIVIDUAL untuk perpustakaan Anda sendiri, untuk tiga bulan setelah "
          "diklat. Diskusikan dengan atasan langsung sebelum dikumpulkan. Teks bercetak miring "
          "adalah petunjuk."),
    ("field", "Nama peserta"),
    ("field", "NIP (bila ada) dan jabatan"),
    ("field", "Perpustakaan dan jenisnya"),
    ("field", "Atasan langsung (jabatan)"),
    ("field", "Masa RTL (bulan dan tahun mulai sampai selesai)"),
    ("h1", "1. Dasar RTL"),
    ("i", "Sebutkan kesenjangan utama dari laporan observasi dan bagian kertas kerja yang akan Anda "
          "mulai terapkan."),
    ("table", ["Kesenjangan/gagasan", "Dampak (besar/kecil)", "Usaha (besar/kecil)", "Keputusan (segera/bertahap/tunda)"], 5),
    ("h1", "2. Tabel RTL"),
    ("table", ["No.", "Kegiatan", "Tujuan", "Sasaran", "Waktu", "Penanggung jawab", "Sumber daya", "Indikator keberhasilan"], 5),
    ("h1", "3. Pengembangan Diri"),
    ("i", "Kompetensi yang akan Anda kembangkan dan kaitannya dengan tugas jabatan (misalnya "
          "Jabatan Fungsional Pustakawan atau tugas pengelola perpustakaan)."),
    ("table", ["Kompetensi", "Cara mengembangkan", "Waktu", "Bukti hasil"], 3),
    ("h1", "4. Rencana Pemantauan"),
    ("table", ["Kegiatan", "Status (belum/berjalan/selesai)", "Capaian indikator", "Kendala", "Penyesuaian", "Tanggal tinjauan"], 5),
    ("h1", "5. Persetujuan"),
    ("p", "Mengetahui/menyetujui atasan langsung:"),
    ("field", "Nama dan jabatan"),
    ("field", "Tanggal"),
    ("field", "Tanda tangan"),
]


def main():
    assets = HERE.parents[1] / "course_content" / "observasi-lapangan" / "assets"
    write_both(OBSERVASI, assets, "templat-panduan-dan-laporan-observasi")
    write_both(RTL, assets, "templat-rencana-tindak-lanjut")


if __name__ == "__main__":
    main()
