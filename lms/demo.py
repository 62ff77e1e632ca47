"""Demo data for `make run`: one account per role, a running cohort with weekly live
sessions, an open one, and a finished one whose graduates hold certificates and whose
evaluation has enough answers for its report."""

from datetime import date, datetime, time, timedelta

from lms import clock
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
FINISHED = "diklat-ppbd-demo-selesai"
GRADUATES = [("lulusan1@example.org", "Budi Santoso, S.Sos.", "Perpustakaan SMA Negeri Contoh"),
             ("lulusan2@example.org", "Rina Marlina, A.Md.", "Perpustakaan Universitas Contoh")]
GRADUATE_PASSWORD = "demo-lulusan-2026"  # noqa: S105 - printed by `lms demo`, like the others
# Took part and evaluated, but did not finish: the evaluation report needs three answers
# (EVALUATION_MIN_RESPONSES) and the certificate page shows what is missing.
DROPOUT = ("peserta3@example.org", "Dewi Anggraini", "Perpustakaan Desa Sukamaju")
APPLICANT = ("pendaftar@example.org", "Maria Goreti Lena, S.Hum.",
             "Dinas Perpustakaan Kabupaten Contoh")
# The smallest PDF the upload check accepts; stands for a scanned letter in the demo.
DEMO_LETTER = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAILY_TOPIC = "Sesi sinkron: tanya jawab dan diskusi"
DAILY_START = time(13, 0)  # WIB, each working day, as the welcome announcement promises


def create_demo(today: date | None = None) -> list[str]:
    """Create what is missing (running it again changes nothing); return the login lines."""
    today = today or clock.today()
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
            "name": "Angkatan II (demo, sedang berjalan)", "number": 2, "year": today.year,
            "description": "Angkatan contoh untuk mencoba platform.",
            "registration_opens_on": today - timedelta(days=30),
            "registration_closes_on": today - timedelta(days=10),
            "starts_on": today - timedelta(days=5), "ends_on": today + timedelta(days=6),
            "capacity": 40, "enrollment_mode": "invitation"}, coordinator)
        cohorts.enroll_user(running, users[Role.PARTICIPANT], coordinator)
        for course in cohorts.program_courses(program):
            cohorts.assign_instructor(running, course, users[Role.INSTRUCTOR], coordinator)
        cohorts.post_announcement(
            running, coordinator, "Selamat datang di Angkatan II",
            "Selamat bergabung! Mulailah dengan **pre-test** setiap mata pelatihan, lalu "
            "pelajari modulnya secara berurutan. Sesi sinkron daring diadakan setiap hari "
            "kerja pukul 13.00 WIB.")
    _weekly_sessions(running, coordinator, users[Role.INSTRUCTOR].id)
    if cohorts.get_cohort(FINISHED) is None:
        _finished_cohort(program, coordinator, today)
    _dropout(cohorts.get_cohort(FINISHED), coordinator, today)
    for email, *_ in GRADUATES:
        lines.append(_login_line("graduate", email, GRADUATE_PASSWORD))
    lines.append(_login_line("unfinished", DROPOUT[0], GRADUATE_PASSWORD))
    if cohorts.get_cohort(OPEN) is None:
        cohorts.create_cohort(program, OPEN, {
            "name": "Angkatan III (demo, pendaftaran dibuka)", "number": 3, "year": today.year,
            "description": "Pendaftaran dengan seleksi; kuota 40 peserta.",
            "registration_opens_on": today - timedelta(days=3),
            "registration_closes_on": today + timedelta(days=21),
            "starts_on": today + timedelta(days=30), "ends_on": today + timedelta(days=41),
            "capacity": 40, "enrollment_mode": "application"}, coordinator)
    lines.append(_login_line("applicant", _applicant(cohorts.get_cohort(OPEN), today),
                             GRADUATE_PASSWORD))
    finished = cohorts.get_cohort(FINISHED)
    if finished is not None:
        from lms.certificates.documents import verify_url
        from lms.certificates.services import cohort_certificates

        for certificate in cohort_certificates(finished)[:1]:
            lines.append(f"Sample certificate: {verify_url(certificate)}")
    return lines


def _finished_cohort(program, coordinator: int, today: date) -> None:
    """Two graduates who studied everything and passed every test, with certificates."""
    from lms.assignments import services as assignment_services
    from lms.certificates.services import issue_all
    from lms.courses.models import Module, ModuleProgress
    from lms.extensions import db
    from lms.quizzes import services as quizzes
    from lms.quizzes import types as quiz_types
    from lms.quizzes.models import Quiz

    cohort = cohorts.create_cohort(program, FINISHED, {
        "name": "Angkatan I (demo, sudah selesai)", "number": 1,
        "year": today.year, "description": "Angkatan contoh yang sudah lulus.",
        "registration_opens_on": today - timedelta(days=120),
        "registration_closes_on": today - timedelta(days=100),
        "starts_on": today - timedelta(days=90), "ends_on": today - timedelta(days=79),
        "capacity": 40, "enrollment_mode": "invitation"}, coordinator)
    instructor = accounts.find_user_by_email("pengajar@example.org")
    for course in cohorts.program_courses(program):
        cohorts.assign_instructor(cohort, course, instructor, coordinator)
    course_ids = [c.id for c in cohorts.program_courses(program)]
    modules = list(db.session.scalars(db.select(Module).where(Module.course_id.in_(course_ids),
                                                                Module.is_active.is_(True))))
    quiz_rows = list(db.session.scalars(db.select(Quiz).where(Quiz.course_id.in_(course_ids),
                                                               Quiz.is_active.is_(True))))
    for email, name, institution in GRADUATES:
        user = accounts.find_user_by_email(email) or accounts.create_user(
            email=email, password=GRADUATE_PASSWORD, full_name=name,
            institution=institution, position="Pustakawan", role=Role.PARTICIPANT)
        cohorts.enroll_user(cohort, user, coordinator)
        for module in modules:
            db.session.add(ModuleProgress(user_id=user.id, module_id=module.id,
                                          completed_at=db.func.now()))
        for quiz in quiz_rows:
            attempt = quizzes.start_attempt(quiz, user.id)
            answers = {}
            for item in attempt.items:
                question = item.version.question
                value = quiz_types.get(question.type).full_marks(question)
                if value is not None:
                    answers[item.position] = value
            quizzes.submit_attempt(attempt, answers)
            for item in attempt.items:
                question = item.version.question
                if question.type in quiz_types.ANSWERABLE - quiz_types.AUTO_GRADED:
                    quizzes.grade_essay(item, question.points, "Sangat baik.", coordinator)
        for course in cohorts.program_courses(program):
            for task in assignment_services.assignments_of(course):
                submission = assignment_services.submit(
                    task, cohort, user, "Laporan dan rencana kami (contoh demo).", [],
                    now=datetime.combine(cohort.starts_on, datetime.min.time()))
                best = {c["id"]: max(c["levels"], key=lambda lv: lv["points"])["key"]
                        for c in task.rubric}
                assignment_services.grade(submission, best, "Sangat baik.", coordinator,
                                          "grade", None if task.rubric else task.max_score)
        _evaluate(cohort, user.id, today - timedelta(days=78))
    db.session.flush()
    issue_all(cohort, coordinator, today=today - timedelta(days=75))


def _applicant(cohort, today: date) -> str:
    """Someone who applied to the open cohort, filled in the details the program asks for
    and uploaded the letter from their head of institution, but not the diploma yet: the
    application page lists what is missing, the selection page shows the letter."""
    import io

    from lms.applications import services as applications
    from lms.cohorts.models import MemberStatus

    email, name, institution = APPLICANT
    if accounts.find_user_by_email(email) is not None:
        return email
    user = accounts.create_user(email=email, password=GRADUATE_PASSWORD, full_name=name,
                                institution=institution, position="Pustakawan Ahli Pertama",
                                role=Role.PARTICIPANT, nip="199003152015032001")
    member = cohorts.apply(cohort, user, cohorts.ApplicationForm(
        motivation="Perpustakaan kami ingin menjangkau pemustaka muda lewat media sosial.",
        institution=institution, position="Pustakawan Ahli Pertama"), today)
    if member.status != MemberStatus.APPLIED or applications.requirements_of(cohort) is None:
        return email
    applications.save_values(cohort, member, {
        "nip": "199003152015032001", "pangkat-golongan": "Penata Muda Tk. I (III/b)",
        "jabatan": "Pustakawan Ahli Pertama", "jenis-perpustakaan": "Perpustakaan Umum",
        "provinsi": "Nusa Tenggara Timur"}, today)
    applications.upload_document(cohort, member, "surat-tugas", io.BytesIO(DEMO_LETTER),
                                 "surat-tugas.pdf", today)
    return email


def _login_line(label: str, email: str, password: str) -> str:
    """A login line, once the account surely has that password. Accounts made by an older
    demo got a random password nobody knows; one never used is given the demo password."""
    user = accounts.find_user_by_email(email)
    if user is None:
        return f"  {label:<12} {email:<26} (not created)"
    if not accounts.password_matches(user, password):
        if user.last_login_at is not None:
            return f"  {label:<12} {email:<26} (password changed by its owner)"
        accounts.set_password(user, password)
    return f"  {label:<12} {email:<26} {password}"


def _weekly_sessions(cohort, coordinator_id: int, instructor_id: int) -> None:
    """Every Thursday at 13.00 WIB from the cohort's start to its end, as its welcome
    announcement promises; nothing when the cohort already has sessions."""
    from lms.cohorts.access import CohortAccess
    from lms.live import services as live
    from lms.live.zones import to_utc

    if live.sessions_of(cohort):
        return
    who = CohortAccess(cohort, coordinator_id, manager=True, participant=False,
                       taught=frozenset())
    day = cohort.starts_on
    while day <= cohort.ends_on:
        if day.weekday() < 5:  # Monday to Friday
            starts = to_utc(datetime.combine(day, DAILY_START), "Asia/Jakarta")
            live.create_session(cohort, live.SessionFields(
                topic=DAILY_TOPIC, starts_at=starts, ends_at=starts + timedelta(minutes=90),
                instructor_id=instructor_id,
                meeting_url="https://meet.example.org/diklat-ppbd-demo"), who)
        day += timedelta(days=1)


def _dropout(cohort, coordinator: int, today: date) -> None:
    """A third participant of the finished cohort who read the first modules and sent the
    evaluation, so that the evaluation report has the three answers it needs."""
    from lms.courses.models import Module, ModuleProgress
    from lms.extensions import db

    if cohort is None or accounts.find_user_by_email(DROPOUT[0]) is not None:
        return
    email, name, institution = DROPOUT
    user = accounts.create_user(email=email, password=GRADUATE_PASSWORD, full_name=name,
                                institution=institution, position="Pengelola Perpustakaan",
                                role=Role.PARTICIPANT)
    cohorts.enroll_user(cohort, user, coordinator)
    first = cohorts.program_courses(cohort.program)[0]
    for module in db.session.scalars(db.select(Module).where(
            Module.course_id == first.id, Module.is_active.is_(True))
            .order_by(Module.position).limit(2)):
        db.session.add(ModuleProgress(user_id=user.id, module_id=module.id,
                                      completed_at=db.func.now()))
    _evaluate(cohort, user.id, today - timedelta(days=78))
    db.session.flush()


def _evaluate(cohort, user_id: int, day: date) -> None:
    """The graduates' training evaluation: good marks and a short suggestion."""
    from flask import current_app

    from lms.evaluations import services as evaluations

    version = evaluations.current_version(current_app.config["EVALUATION_SURVEY"])
    if version is None:
        return
    survey = version.data
    best = max(point["value"] for point in survey["scale"])
    answers = {
        "organiser": {item["id"]: best for item in survey["organiser_items"]},
        "instructors": [{"instructor_id": t.instructor_id, "course_id": t.course_id,
                         "ratings": {item["id"]: best for item in survey["instructor_items"]}}
                        for t in evaluations.targets(cohort, user_id)],
        "open": {q["id"]: "Pelatihan sangat bermanfaat bagi perpustakaan kami."
                 for q in survey["open_questions"]},
    }
    evaluations.submit(cohort, user_id, version, answers, day)
