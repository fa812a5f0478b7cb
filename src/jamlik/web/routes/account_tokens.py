"""API tokens of one's own account: create (shown once) and revoke."""

from fastapi import APIRouter

router = APIRouter()
