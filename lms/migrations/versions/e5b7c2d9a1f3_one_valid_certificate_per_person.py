"""certificates: at most one valid certificate per person and cohort

Revision ID: e5b7c2d9a1f3
Revises: 7c3e5a91d2f4
Create Date: 2026-11-26 06:20:00

A partial unique index (status = 'valid') on SQLite and PostgreSQL. If a database already
holds two valid certificates of one person in one cohort, the upgrade stops and names them:
which one to revoke is a coordinator's decision, not a migration's.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b7c2d9a1f3'
down_revision = '7c3e5a91d2f4'
branch_labels = None
depends_on = None


def upgrade():
    twice = op.get_bind().execute(sa.text(
        "SELECT cohort_id, user_id, COUNT(*) FROM certificates WHERE status = 'valid' "
        "GROUP BY cohort_id, user_id HAVING COUNT(*) > 1")).all()
    if twice:
        listed = ", ".join(f"cohort {c} person {u} ({n})" for c, u, n in twice)
        raise RuntimeError(
            "Two valid certificates for one person and cohort: " + listed
            + ". Revoke the extra ones on the cohort's certificates page "
            "and run the upgrade again.")
    op.create_index('uq_certificates_one_valid', 'certificates', ['cohort_id', 'user_id'],
                    unique=True, sqlite_where=sa.text("status = 'valid'"),
                    postgresql_where=sa.text("status = 'valid'"))


def downgrade():
    op.drop_index('uq_certificates_one_valid', table_name='certificates')
