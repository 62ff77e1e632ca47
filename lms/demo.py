"""Demo data for `make run`: one account per role, the participant enrolled everywhere."""

from lms.auth import services as accounts
from lms.auth.models import Role
from lms.courses import services as courses

DEMO_ACCOUNTS = [
    (Role.PARTICIPANT, "peserta@example.org", "demo-peserta-2026", "Sari Wulandari, S.IP.",
     "Dinas Perpustakaan dan Kearsipan Kabupaten Contoh", "Pustakawan Ahli Pertama"),
    (Role.INSTRUCTOR, "pengajar@example.org", "demo-pengajar-2026", "Instruktur Demo",
     "Pusat Pendidikan dan Pelatihan Perpustakaan", "Widyaiswara Ahli Madya"),
    (Role.COORDINATOR, "koordinator@example.org", "demo-koordinator-2026", "Koordinator Demo",
     "Pusat Pendidikan dan Pelatihan Perpustakaan", "Penyelenggara Diklat"),
    (Role.ADMIN, "admin@example.org", "demo-admin-2026", "Admin Demo",
     "Pusat Pendidikan dan Pelatihan Perpustakaan", "Administrator"),
]


def create_demo() -> list[str]:
    """Create missing demo accounts, enroll the participant, return the login lines."""
    lines = ["Demo logins (development only):"]
    for role, email, password, name, institution, position in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(email=email, password=password, full_name=name,
                                        institution=institution, position=position, role=role)
        if role is Role.PARTICIPANT:
            for course in courses.published_courses():
                courses.enroll(user, course)
        lines.append(f"  {role.value:<12} {email:<26} {password}")
    return lines
