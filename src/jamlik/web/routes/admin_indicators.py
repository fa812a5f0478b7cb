"""Administration of indicators and their targets (administrators)."""

from fastapi import APIRouter

router = APIRouter()
