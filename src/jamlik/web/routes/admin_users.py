"""Administration of accounts: list, create, change role and organisations, deactivate, reset password (administrators)."""

from fastapi import APIRouter

router = APIRouter()
