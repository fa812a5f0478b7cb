"""The audit log reader and its export (administrators)."""

from fastapi import APIRouter

router = APIRouter()
