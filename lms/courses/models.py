"""Programs, courses, modules, their assets, enrollment and progress."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db


class Program(db.Model):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    # The certificate section of the program file, defaults filled in (certificates.settings).
    certificate: Mapped[dict] = mapped_column(JSON, default=dict)
    # The final_grade section of the program file (lms.records.programfile).
    records: Mapped[dict | None] = mapped_column(JSON, default=dict)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    courses: Mapped[list["ProgramCourse"]] = relationship(
        back_populates="program", order_by="ProgramCourse.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Program {self.slug}>"


class ProgramCourse(db.Model):
    __tablename__ = "program_courses"
    __table_args__ = (UniqueConstraint("program_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    program: Mapped[Program] = relationship(back_populates="courses")
    course: Mapped["Course"] = relationship()

    def __repr__(self) -> str:
        return f"<ProgramCourse {self.program_id}:{self.course_id}@{self.position}>"


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The stable id from course.yml: never changes, never reused.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    hours_jp: Mapped[int] = mapped_column(default=0)
    instructors: Mapped[list] = mapped_column(JSON, default=list)
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    source_dir: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # False until a version loads without error, and after the folder disappears.
    is_published: Mapped[bool] = mapped_column(default=False)
    # The problems of the last refused sync, one `path:line: message` per line.
    sync_error: Mapped[str | None] = mapped_column(Text)
    sync_error_at: Mapped[datetime | None]
    synced_at: Mapped[datetime | None]
    # glossary.yml: [{"term", "anchor", "html"}], in the file's order.
    glossary: Mapped[list | None] = mapped_column(JSON, default=list)
    # The files to download among the assets: [{"name", "size"}], by name, so the course
    # page lists them without reading the assets table.
    downloads: Mapped[list | None] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position"
    )

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(default=0)
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    # Rendered and sanitized once, at sync.
    html: Mapped[str] = mapped_column(Text, default="")
    source_path: Mapped[str] = mapped_column(String(300), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # Removed from the content: hidden, but learners' progress on it is kept.
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    course: Mapped[Course] = relationship(back_populates="modules")

    def __repr__(self) -> str:
        return f"<Module {self.course_id}/{self.slug}>"


class CourseAsset(db.Model):
    """An image of a course, stored so the served version never depends on the disk."""

    __tablename__ = "course_assets"
    __table_args__ = (UniqueConstraint("course_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))  # Office types are long
    data: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    def __repr__(self) -> str:
        return f"<CourseAsset {self.course_id}/{self.name}>"


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    course: Mapped[Course] = relationship()

    def __repr__(self) -> str:
        return f"<Enrollment user={self.user_id} course={self.course_id}>"


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    first_viewed_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_viewed_at: Mapped[datetime] = mapped_column(server_default=func.now())
    completed_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<ModuleProgress user={self.user_id} module={self.module_id}>"
