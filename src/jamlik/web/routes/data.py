"""The data page: upload with a validation preview, confirm, the import list with provenance, saved source refreshes (analysts)."""

from fastapi import APIRouter

router = APIRouter()
