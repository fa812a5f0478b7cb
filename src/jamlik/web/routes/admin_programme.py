"""Administration of the programme tree and its publication (administrators)."""

from fastapi import APIRouter

router = APIRouter()
