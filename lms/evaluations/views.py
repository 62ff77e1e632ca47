"""Evaluation pages (filled in by the evaluations feature)."""

from flask import Blueprint

bp = Blueprint("evaluations", __name__)
