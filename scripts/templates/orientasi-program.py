# ruff: noqa: E501  (the entries are written one per line, as they appear in the list)
"""Daftar Pustaka Program Diklat Promosi Perpustakaan Berbasis Digital (APA edisi ke-7).

Menulis DOCX (python-docx) dan ODT (odfpy) ke course_content/orientasi-program/assets/:
daftar-pustaka-program.docx dan daftar-pustaka-program.odt, yang ditautkan dari modul
Orientasi Program. Daftar ini menghimpun sumber Indonesia yang diminta isu 18 dan sumber yang
dirujuk bagian Referensi/Daftar Pustaka semua mata pelatihan (dikumpulkan dengan grep pada
course_content/*/modules/*.md). Tambahkan sumber baru di GROUPS, lalu jalankan dari akar repositori:
    .venv/bin/python scripts/templates/orientasi-program.py
Teks di antara *bintang* dicetak miring (judul buku, nama jurnal, volume).
"""
import re
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style, TextProperties
from odf.text import H, P, Span

ASSETS = Path(__file__).resolve().parents[2] / "course_content" / "orientasi-program" / "assets"

TITLE = "Daftar Pustaka Program Diklat Promosi Perpustakaan Berbasis Digital"
INTRO = ("Daftar ini menghimpun sumber yang dirujuk dalam seluruh mata pelatihan diklat, "
         "ditulis dengan gaya APA edisi ke-7. Sumber Indonesia didahulukan, kemudian sumber "
         "internasional. Setiap mata pelatihan juga mencantumkan daftar pustakanya sendiri "
         "pada modulnya.")
GROUPS = [
    ("Peraturan perundang-undangan dan putusan pengadilan Indonesia", [
        "Republik Indonesia. (1998). *Undang-Undang Nomor 13 Tahun 1998 tentang Kesejahteraan Lanjut Usia*.",
        "Republik Indonesia. (2007). *Undang-Undang Nomor 43 Tahun 2007 tentang Perpustakaan*.",
        "Republik Indonesia. (2008). *Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik*, sebagaimana telah diubah dengan Undang-Undang Nomor 19 Tahun 2016 dan Undang-Undang Nomor 1 Tahun 2024.",
        "Republik Indonesia. (2009). *Undang-Undang Nomor 24 Tahun 2009 tentang Bendera, Bahasa, dan Lambang Negara, serta Lagu Kebangsaan*.",
        "Republik Indonesia. (2009). *Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik*.",
        "Republik Indonesia. (2014). *Peraturan Pemerintah Nomor 24 Tahun 2014 tentang Pelaksanaan Undang-Undang Nomor 43 Tahun 2007 tentang Perpustakaan*.",
        "Republik Indonesia. (2014). *Undang-Undang Nomor 28 Tahun 2014 tentang Hak Cipta*.",
        "Republik Indonesia. (2014). *Undang-Undang Nomor 35 Tahun 2014 tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2002 tentang Perlindungan Anak*.",
        "Republik Indonesia. (2016). *Undang-Undang Nomor 8 Tahun 2016 tentang Penyandang Disabilitas*.",
        "Republik Indonesia. (2021). *Peraturan Pemerintah Nomor 56 Tahun 2021 tentang Pengelolaan Royalti Hak Cipta Lagu dan/atau Musik*.",
        "Republik Indonesia. (2022). *Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi*.",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi. (2014). *Peraturan Menteri PANRB Nomor 15 Tahun 2014 tentang Pedoman Standar Pelayanan*.",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi. (2017). *Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik*.",
        "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi. (2022). *Peraturan Menteri PANRB Nomor 55 Tahun 2022 tentang Jabatan Fungsional Pustakawan*.",
        "Mahkamah Konstitusi Republik Indonesia. (2025). *Putusan Nomor 105/PUU-XXII/2024*.",
    ]),
    ("Buku, pedoman, dan rujukan Indonesia", [
        "A'yunnina, Q., & Rofifah, L. (2024). Systematic literature review: Promosi perpustakaan di era digital melalui media sosial. *LIBRARIA: Jurnal Ilmu Perpustakaan dan Informasi*, *13*(1), 11–24. http://libraria.fppti-jateng.or.id/index.php/lib/article/view/299",
        "Badan Pengembangan dan Pembinaan Bahasa. (2022). *Ejaan Bahasa Indonesia yang Disempurnakan Edisi V (EYD V)*. Badan Pengembangan dan Pembinaan Bahasa, Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi.",
        "Badan Pengembangan dan Pembinaan Bahasa. (t.t.). Promosi. Dalam *Kamus Besar Bahasa Indonesia Daring*. https://kbbi.kemdikbud.go.id/entri/promosi",
        "Diskominfo MC Kalimantan Selatan. (2022, 15 September). *Tingkatkan mutu pelayanan, Dispersip Balangan kunjungi Perpustakaan Palnam*. https://diskominfomc.kalselprov.go.id/2022/09/15/tingkatkan-mutu-pelayanan-dispersip-balangan-kunjungi-perpustakaan-palnam",
        "Headline9.com. (2022, April). *Dispersip Balangan sebagai penggerak program transformasi layanan perpustakaan*. https://headline9.com/19431/dispersip-balangan-sebagai-penggerak-program-transformasi-layanan-perpustakaan",
        "Ikatan Pustakawan Indonesia. (2015). *Anggaran dasar dan anggaran rumah tangga serta kode etik Ikatan Pustakawan Indonesia 2015–2018*. Pengurus Pusat IPI.",
        "Ikatan Pustakawan Indonesia. (t.t.). *Kode Etik Pustakawan Indonesia*.",
        "Jurnal Ilmu Perpustakaan dan Informasi Islam. (t.t.). *Konsep P3FLU: Inovasi pustakawan perpustakaan sekolah*. UIN Mahmud Yunus Batusangkar. https://juris.id/pdf-6012-konsep-p3flu-inovasi-pustakawan-perpustakaan-sekol",
        "Kanal Kalimantan. (2021, 27 September). *Dinas Perpustakaan dan Kearsipan fokus kembangkan minat baca dengan empat indikator*.",
        "LintasGayo.co. (2017, 24 Januari). *Sujatna: Layanan ujung tombak aktivitas perpustakaan*. https://lintasgayo.co/2017/01/24/sujatna-layanan-ujung-tombak-aktivitas-perpustakaan",
        "Mabruri, Y. O., & Triyanto, A. (t.t.). Kajian pengembangan konten digital perpustakaan untuk media sosial: Perspektif perpustakaan nasional di Asia. *Media Pustakawan*. https://ejournal.perpusnas.go.id/mp/article/view/3454",
        "Mustafa, B. (t.t.). *Promosi jasa perpustakaan*.",
        "Nursupian, J. (t.t.). A follow-up study on the promotion of the Governance Institute of Home Affairs library through Instagram media. *IJOLIB*. https://ejournal.ipdn.ac.id/IJOLIB/article/view/2852",
        "Perpustakaan Nasional Republik Indonesia. (t.t.). *Standar Nasional Perpustakaan (SNP)*.",
        "Pusat Pendidikan dan Pelatihan Perpustakaan Nasional RI. (t.t.). *Diklat Promosi Perpustakaan Berbasis Digital: Sebuah usaha untuk menjawab tantangan zaman*. https://pusdiklat.perpusnas.go.id/berita/read/63/diklat-promosi-perpustakaan-berbasis-digital---sebuah-usaha-untuk-menjawab-tantangan-zaman",
        "Salafudin, M. (2019). *Pemanfaatan media sosial Instagram sebagai sarana promosi pada Taman Baca Widya Pustaka Kabupaten Pemalang* [Skripsi, Universitas Islam Negeri Syarif Hidayatullah Jakarta].",
        "Sugiyono. (2013). *Metode penelitian kuantitatif, kualitatif, dan R&D*. Alfabeta.",
        "Suharso, P., & Pramesti, A. N. (t.t.). Promosi perpustakaan melalui Instagram: Studi di Perpustakaan Universitas Airlangga.",
        "Sujatna. (2016). *Promosi perpustakaan* (Y. Hereyah, Peny.).",
        "UPT Perpustakaan Universitas Semarang. (2024). *Studi banding Perpustakaan USM*. https://library.usm.ac.id/studi-banding-perpustakaan-usm",
        "Wardani, F. A. K., & Harisanty, D. (t.t.). *Penerapan promosi melalui Instagram di Perpustakaan Umum Mastrip Kabupaten Kediri*. Program Studi Perpustakaan, Fakultas Vokasi, Universitas Airlangga.",
        "Wiratningsih, R. (2013). Mempopulerkan perpustakaan: Upaya membangun *positioning* perpustakaan UNS-Solo. *Prosiding Call for Papers FPPTI Jawa Timur*.",
        "Zen, Z. (2014). Pustakawan dan kode etiknya. *Jurnal Ikatan Pustakawan Indonesia*.",
    ]),
    ("Sumber internasional", [
        "Aaker, D. A., & Joachimsthaler, E. (2000). *Brand leadership*. The Free Press.",
        "Aaker, D. A. (1996). *Building strong brands*. The Free Press.",
        "Aaker, J. L. (1997). Dimensions of brand personality. *Journal of Marketing Research*, *34*(3).",
        "Barlow, J., & Møller, C. (1996). *A complaint is a gift: Using customer feedback as a strategic tool*. Berrett-Koehler.",
        "Benne, K. D., & Sheats, P. (1948). Functional roles of group members. *Journal of Social Issues*, *4*(2).",
        "Bitner, M. J. (1992). Servicescapes: The impact of physical surroundings on customers and employees. *Journal of Marketing*, *56*(2).",
        "Block, B. (2008). *The visual story: Creating the visual structure of film, TV and digital media* (edisi ke-2). Focal Press.",
        "Booms, B. H., & Bitner, M. J. (1981). Marketing strategies and organization structures for service firms. Dalam J. H. Donnelly & W. R. George (Eds.), *Marketing of services*. American Marketing Association.",
        "Buttle, F., & Maklan, S. (2019). *Customer relationship management: Concepts and technologies* (edisi ke-4). Routledge.",
        "Christopher, M., Payne, A., & Ballantyne, D. (1991). *Relationship marketing: Bringing quality, customer service and marketing together*. Butterworth-Heinemann.",
        "Cooper, A. (1999). *The inmates are running the asylum*. Sams.",
        "Creative Commons. (t.t.). *Lisensi Creative Commons versi 4.0*. https://creativecommons.org/licenses/",
        "Creswell, J. W., & Creswell, J. D. (2018). *Research design: Qualitative, quantitative, and mixed methods approaches* (edisi ke-5). SAGE.",
        "Dempsey, K. (2009). *The accidental library marketer*. Information Today.",
        "Dervin, B., & Dewdney, P. (1986). Neutral questioning: A new approach to the reference interview. *RQ*, *25*(4), 506–513.",
        "Dick, A. S., & Basu, K. (1994). Customer loyalty: Toward an integrated conceptual framework. *Journal of the Academy of Marketing Science*, *22*(2).",
        "Dietrich, G. (2014). *Spin sucks: Communication and reputation management in the digital age*. Que Publishing.",
        "Doran, G. T. (1981). There's a S.M.A.R.T. way to write management's goals and objectives. *Management Review*, *70*(11).",
        "Doucett, E. (2008). *Creating your library brand: Communicating your relevance and value to your patrons*. ALA Editions.",
        "Edmondson, A. (1999). Psychological safety and learning behavior in work teams. *Administrative Science Quarterly*, *44*(2).",
        "Emerson, R. M., Fretz, R. I., & Shaw, L. L. (2011). *Writing ethnographic fieldnotes* (edisi ke-2). University of Chicago Press.",
        "Forsyth, D. R. (2019). *Group dynamics* (edisi ke-7). Cengage Learning.",
        "Godin, S. (1999). *Permission marketing: Turning strangers into friends, and friends into customers*. Simon & Schuster.",
        "Google. (t.t.). *SEO starter guide*. Google Search Central.",
        "Gupta, D. K., Koontz, C., Massísimo, À., & Savard, R. (Eds.). (2006). *Marketing library and information services: International perspectives*. K. G. Saur.",
        "Handley, A., & Chapman, C. C. (2010). *Content rules*. John Wiley & Sons.",
        "Handley, A. (2014). *Everybody writes: Your go-to guide to creating ridiculously good content*. Wiley.",
        "IFLA & UNESCO. (2022). *IFLA-UNESCO public library manifesto 2022*. IFLA.",
        "IFLA. (2012). *IFLA code of ethics for librarians and other information workers*. International Federation of Library Associations and Institutions.",
        "Kaplan, A. M., & Haenlein, M. (2010). Users of the world, unite! The challenges and opportunities of social media. *Business Horizons*, *53*(1).",
        "Keller, K. L. (2013). *Strategic brand management: Building, measuring, and managing brand equity* (edisi ke-4). Pearson.",
        "Kietzmann, J. H., Hermkens, K., McCarthy, I. P., & Silvestre, B. S. (2011). Social media? Get serious! Understanding the functional building blocks of social media. *Business Horizons*, *54*(3).",
        "Knaflic, C. N. (2015). *Storytelling with data*. John Wiley & Sons.",
        "Knowles, M. S. (1986). *Using learning contracts*. Jossey-Bass.",
        "Kolb, D. A. (1984). *Experiential learning: Experience as the source of learning and development*. Prentice Hall.",
        "Kotler, P., & Keller, K. L. (2016). *Marketing management* (edisi ke-15). Pearson.",
        "Kotler, P., Kartajaya, H., & Setiawan, I. (2017). *Marketing 4.0: Moving from traditional to digital*. Wiley.",
        "Krejcie, R. V., & Morgan, D. W. (1970). Determining sample size for research activities. *Educational and Psychological Measurement*, *30*(3).",
        "Krug, S. (2014). *Don't make me think, revisited: A common sense approach to web usability* (edisi ke-3). New Riders.",
        "Lankow, J., Ritchie, J., & Crooks, R. (2012). *Infographics: The power of visual storytelling*. John Wiley & Sons.",
        "Latané, B., Williams, K., & Harkins, S. (1979). Many hands make light the work: The causes and consequences of social loafing. *Journal of Personality and Social Psychology*, *37*(6).",
        "Lupton, E. (2010). *Thinking with type* (edisi ke-2). Princeton Architectural Press.",
        "Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. *Journal of Marketing*, *41*(1).",
        "Miles, M. B., & Huberman, A. M. (1994). *Qualitative data analysis: An expanded sourcebook* (edisi ke-2). SAGE.",
        "Moran, K. (2016). *The four dimensions of tone of voice*. Nielsen Norman Group.",
        "Ogilvy, D. (1983). *Ogilvy on advertising*. Crown.",
        "Parasuraman, A., Zeithaml, V. A., & Berry, L. L. (1988). SERVQUAL: A multiple-item scale for measuring consumer perceptions of service quality. *Journal of Retailing*, *64*(1).",
        "Patton, M. Q. (2015). *Qualitative research & evaluation methods* (edisi ke-4). SAGE.",
        "Pine, B. J., & Gilmore, J. H. (1999). *The experience economy*. Harvard Business School Press.",
        "Potter, N. (2012). *The library marketing toolkit*. Facet Publishing.",
        "Pulizzi, J. (2014). *Epic content marketing*. McGraw-Hill Education.",
        "Ranganathan, S. R. (1931). *The five laws of library science*. Madras Library Association.",
        "Reference and User Services Association. (2023). *Guidelines for behavioral performance of reference and information service providers*. American Library Association.",
        "Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*, *81*(12).",
        "Ries, A., & Trout, J. (1981). *Positioning: The battle for your mind*. McGraw-Hill.",
        "Rogers, C. R., & Farson, R. E. (1957). *Active listening*. Industrial Relations Center, University of Chicago.",
        "Rowley, J. (2001). *Information marketing*. Ashgate.",
        "Salmon, G. (2000). *E-moderating: The key to teaching and learning online*. Kogan Page.",
        "Smith, P. R., & Zook, Z. (2016). *Marketing communications: Integrating offline and online with social media* (edisi ke-6). Kogan Page.",
        "Spradley, J. P. (1980). *Participant observation*. Holt, Rinehart and Winston.",
        "Taylor, R. S. (1968). Question-negotiation and information seeking in libraries. *College & Research Libraries*, *29*(3), 178–194.",
        "Tuckman, B. W., & Jensen, M. A. C. (1977). Stages of small-group development revisited. *Group & Organization Studies*, *2*(4).",
        "Tuckman, B. W. (1965). Developmental sequence in small groups. *Psychological Bulletin*, *63*(6).",
        "Tufte, E. R. (2001). *The visual display of quantitative information* (edisi ke-2). Graphics Press.",
        "Tuten, T. L., & Solomon, M. R. (2018). *Social media marketing* (edisi ke-3). SAGE Publications.",
        "Weihrich, H. (1982). The TOWS matrix: A tool for situational analysis. *Long Range Planning*, *15*(2).",
        "Williams, R. (2015). *The non-designer's design book* (edisi ke-4). Peachpit Press.",
        "World Wide Web Consortium. (2018). *Web content accessibility guidelines (WCAG) 2.1*. https://www.w3.org/TR/WCAG21/",
        "World Wide Web Consortium. (2023). *Understanding SC 1.4.3: Contrast (minimum) (Level AA)*. Web Content Accessibility Guidelines 2.2. https://www.w3.org/WAI/WCAG22/Understanding/contrast-minimum.html",
        "Young, S. W. H., & Rossmann, D. (2015). Building library community through social media. *Information Technology and Libraries*, *34*(1).",
        "Zeithaml, V. A., Bitner, M. J., & Gremler, D. D. (2018). *Services marketing: Integrating customer focus across the firm* (edisi ke-7). McGraw-Hill Education.",
    ]),
]

_SPANS = re.compile(r"\*([^*]+)\*")


def _parts(entry: str):
    """(text, italic) pieces of one entry; *text* is italic."""
    at = 0
    for match in _SPANS.finditer(entry):
        if match.start() > at:
            yield entry[at:match.start()], False
        yield match.group(1), True
        at = match.end()
    if at < len(entry):
        yield entry[at:], False


def write_docx(path: Path) -> None:
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(TITLE, level=1)
    document.add_paragraph(INTRO)
    for name, entries in GROUPS:
        document.add_heading(name, level=2)
        for entry in entries:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(1.27)
            paragraph.paragraph_format.first_line_indent = Cm(-1.27)  # APA: hanging indent
            for text, italic in _parts(entry):
                paragraph.add_run(text).italic = italic
    document.save(str(path))


def write_odt(path: Path) -> None:
    document = OpenDocumentText()
    hanging = Style(name="Pustaka", family="paragraph")
    hanging.addElement(ParagraphProperties(marginleft="1.27cm", textindent="-1.27cm",
                                           marginbottom="0.2cm"))
    italic = Style(name="Miring", family="text")
    italic.addElement(TextProperties(fontstyle="italic"))
    h1 = Style(name="Judul1", family="paragraph")
    h1.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    h2 = Style(name="Judul2", family="paragraph")
    h2.addElement(TextProperties(fontsize="13pt", fontweight="bold"))
    for style in (hanging, h1, h2):
        document.styles.addElement(style)
    document.automaticstyles.addElement(italic)
    document.text.addElement(H(outlinelevel=1, stylename=h1, text=TITLE))
    document.text.addElement(P(text=INTRO))
    for name, entries in GROUPS:
        document.text.addElement(H(outlinelevel=2, stylename=h2, text=name))
        for entry in entries:
            paragraph = P(stylename=hanging)
            for text, is_italic in _parts(entry):
                paragraph.addElement(Span(stylename=italic, text=text) if is_italic
                                     else Span(text=text))
            document.text.addElement(paragraph)
    document.save(str(path))


def main() -> None:
    ASSETS.mkdir(parents=True, exist_ok=True)
    write_docx(ASSETS / "daftar-pustaka-program.docx")
    write_odt(ASSETS / "daftar-pustaka-program.odt")


if __name__ == "__main__":
    main()
