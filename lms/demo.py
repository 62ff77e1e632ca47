"""Demo data for `make run`: one account per role, a running cohort, an open one."""

from datetime import date, timedelta

from lms.auth import services as accounts
from lms.auth.models import Role
from lms.cohorts import services as cohorts

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
RUNNING = "diklat-ppbd-demo-berjalan"
OPEN = "diklat-ppbd-demo-terbuka"


def create_demo(today: date | None = None) -> list[str]:
    """Create what is missing (running it again changes nothing); return the login lines."""
    today = today or date.today()
    lines = ["Demo logins (development only):"]
    users = {}
    for role, email, password, name, institution, position in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(email=email, password=password, full_name=name,
                                        institution=institution, position=position, role=role)
        users[role] = user
        lines.append(f"  {role.value:<12} {email:<26} {password}")
    program = next(iter(cohorts.programs()), None)
    if program is None:
        return lines
    coordinator = users[Role.COORDINATOR].id
    running = cohorts.get_cohort(RUNNING)
    if running is None:
        running = cohorts.create_cohort(program, RUNNING, {
            "name": "Angkatan I (demo, sedang berjalan)", "number": 1, "year": today.year,
            "description": "Angkatan contoh untuk mencoba platform.",
            "registration_opens_on": today - timedelta(days=30),
            "registration_closes_on": today - timedelta(days=10),
            "starts_on": today - timedelta(days=7), "ends_on": today + timedelta(days=30),
            "capacity": 40, "enrollment_mode": "invitation"}, coordinator)
        cohorts.enroll_user(running, users[Role.PARTICIPANT], coordinator)
        for course in cohorts.program_courses(program):
            cohorts.assign_instructor(running, course, users[Role.INSTRUCTOR], coordinator)
        cohorts.post_announcement(
            running, coordinator, "Selamat datang di Angkatan I",
            "Selamat bergabung! Mulailah dengan **pre-test** setiap mata pelatihan, lalu "
            "pelajari modulnya secara berurutan. Sesi tanya jawab daring diadakan setiap "
            "Kamis pukul 13.00 WIB.")
    if cohorts.get_cohort(OPEN) is None:
        cohorts.create_cohort(program, OPEN, {
            "name": "Angkatan II (demo, pendaftaran dibuka)", "number": 2, "year": today.year,
            "description": "Pendaftaran dengan seleksi; kuota 40 peserta.",
            "registration_opens_on": today - timedelta(days=3),
            "registration_closes_on": today + timedelta(days=21),
            "starts_on": today + timedelta(days=30), "ends_on": today + timedelta(days=60),
            "capacity": 40, "enrollment_mode": "application"}, coordinator)
    return lines
