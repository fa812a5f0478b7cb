"""SAML 2.0 sign-in as a service provider, with pysaml2 (which verifies signatures with the
xmlsec1 program: scripts/ensure-xmlsec.sh installs it).

An answer is trusted only when its assertion is signed by the IdP's key from the metadata
(`want_assertions_signed`), it answers a request this site sent and has not seen answered
(`InResponseTo`, used once; unsolicited answers are refused), its audience is this service
provider's entity id, its recipient is this site's assertion consumer service, and it is
within its validity period. The assertion's id is kept until it expires, so the same
assertion is never accepted twice (replay), even by another process of the site.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jamlik.accounts.model import AccountError, utcnow
from jamlik.accounts.sso import pending
from jamlik.accounts.sso.config import SamlProvider, url_join
from jamlik.accounts.sso.mapping import Identity
from jamlik.accounts.tables import SamlAssertionRow

LEEWAY_SECONDS = 60


class SamlError(AccountError):
    """The IdP's answer cannot be trusted or used; the message says why."""


def _refused(why: str, why_en: str) -> SamlError:
    return SamlError(
        f"Inloggningen via organisationskontot godtogs inte: {why}. / "
        f"Sign-in with the organisation account was refused: {why_en}."
    )


def xmlsec_binary() -> str:
    found = shutil.which("xmlsec1")
    if found is None:
        raise SamlError(
            "Programmet xmlsec1 saknas; kör scripts/ensure-xmlsec.sh (apt-get install xmlsec1) / "
            "the xmlsec1 program is missing: run scripts/ensure-xmlsec.sh"
        )
    return found


class _Outstanding(Mapping[str, str]):
    """pysaml2's table of requests awaiting an answer, read from `sso_request`."""

    def __init__(self, session: Session, provider: str):
        self.session, self.provider = session, provider

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and pending.is_pending(self.session, key, self.provider)

    def __getitem__(self, key: str) -> str:
        if key not in self:
            raise KeyError(key)
        return "/"

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 1  # never "empty": pysaml2 must always look a request up


class SamlClient:
    """One configured IdP, as seen from `base_url` (the site's public address)."""

    def __init__(self, provider: SamlProvider, base_url: str):
        self.provider = provider
        self.base_url = base_url
        self._lock = threading.Lock()
        self._client: Saml2Client | None = None

    @property
    def acs_url(self) -> str:
        return url_join(self.base_url, f"/sign-in/saml/{self.provider.id}/acs")

    @property
    def metadata_url(self) -> str:
        return url_join(self.base_url, f"/saml/{self.provider.id}/metadata.xml")

    @property
    def entity_id(self) -> str:
        return self.provider.entity_id or self.metadata_url

    def config(self) -> SPConfig:
        p = self.provider
        sp: dict[str, Any] = {
            "endpoints": {"assertion_consumer_service": [(self.acs_url, BINDING_HTTP_POST)]},
            "want_assertions_signed": True,
            "want_response_signed": False,
            "allow_unsolicited": False,
            "authn_requests_signed": p.key_file is not None,
            "name_id_format_allow_create": True,
        }
        if p.idp_entity_id:
            sp["idp"] = [p.idp_entity_id]
        settings: dict[str, Any] = {
            "entityid": self.entity_id,
            "metadata": {"local": [str(p.idp_metadata_file)]},
            "service": {"sp": sp},
            "xmlsec_binary": xmlsec_binary(),
            "accepted_time_diff": LEEWAY_SECONDS,
            "allow_unknown_attributes": True,
        }
        if p.key_file is not None and p.cert_file is not None:
            settings |= {"key_file": str(p.key_file), "cert_file": str(p.cert_file)}
            settings["encryption_keypairs"] = [
                {"key_file": str(p.key_file), "cert_file": str(p.cert_file)}
            ]
        config = SPConfig()
        try:
            config.load(settings)
        except Exception as exc:  # pysaml2 raises many kinds for a bad metadata file
            raise SamlError(
                f"SAML-inställningarna för {p.id} kan inte läsas / the SAML settings of {p.id} "
                f"cannot be used ({p.idp_metadata_file}): {exc}"
            ) from None
        return config

    def client(self) -> Saml2Client:
        with self._lock:
            if self._client is None:
                self._client = Saml2Client(config=self.config())
            return self._client

    def _idp(self) -> str:
        if self.provider.idp_entity_id:
            return self.provider.idp_entity_id
        idps = list(self.client().metadata.identity_providers())
        if len(idps) != 1:
            raise SamlError(
                f"Metadata för {self.provider.id} innehåller {len(idps)} identitetsleverantörer; "
                f"ange idp_entity_id / the metadata holds {len(idps)} IdPs: set idp_entity_id"
            )
        return idps[0]

    def begin(self, session: Session, next_path: str) -> str:
        """Store a new sign-in and return the IdP's address carrying the AuthnRequest."""
        request_id, info = self.client().prepare_for_authenticate(
            entityid=self._idp(), binding=BINDING_HTTP_REDIRECT
        )
        pending.remember(session, request_id, self.provider.key, next_path)
        return dict(info["headers"])["Location"]

    def finish(self, session: Session, saml_response: str) -> tuple[Identity, str]:
        """Check the IdP's answer (the posted SAMLResponse) and return the person and where
        to go next."""
        if not saml_response:
            raise _refused("svaret saknas", "no SAMLResponse was posted")
        try:
            answer = self.client().parse_authn_request_response(
                saml_response,
                BINDING_HTTP_POST,
                outstanding=_Outstanding(session, self.provider.key),
            )
        except Exception as exc:  # pysaml2 signals each failed check with its own class
            raise _refused(
                "svaret från identitetsleverantören kunde inte verifieras",
                f"the IdP's answer does not pass the checks ({type(exc).__name__}: {exc})",
            ) from None
        if answer is None or answer.assertion is None:
            raise _refused("svaret saknar intyg", "the answer holds no assertion")
        started = pending.take(session, answer.in_response_to or "", self.provider.key)
        if started is None:
            raise _refused(
                "svaret hör inte till en inloggning som väntar (redan använt eller för gammalt)",
                "the answer does not belong to a pending sign-in (already used or too old)",
            )
        issuer = answer.issuer()
        self._remember_assertion(session, issuer, answer.assertion.id, answer.not_on_or_after)
        return self._identity(answer, issuer), started.next_path

    def _remember_assertion(
        self, session: Session, issuer: str, assertion_id: str, not_on_or_after: int
    ) -> None:
        now = utcnow()
        session.execute(delete(SamlAssertionRow).where(SamlAssertionRow.expires_at < now))
        if session.get(SamlAssertionRow, (issuer, assertion_id)) is not None:
            raise _refused("intyget har redan använts", "the assertion was already used (replay)")
        until = (
            datetime.fromtimestamp(not_on_or_after, UTC)
            if not_on_or_after
            else now + timedelta(hours=1)
        ) + timedelta(seconds=LEEWAY_SECONDS)
        try:
            with session.begin_nested():
                session.add(
                    SamlAssertionRow(issuer=issuer, assertion_id=assertion_id, expires_at=until)
                )
        except IntegrityError:  # another process took it a moment ago
            raise _refused(
                "intyget har redan använts", "the assertion was already used (replay)"
            ) from None

    def _identity(self, answer: Any, issuer: str) -> Identity:
        names = self.provider.claims
        attributes: dict[str, list[str]] = answer.get_identity() or {}

        def first(attribute: str | None) -> str | None:
            values = attributes.get(attribute) if attribute else None
            return str(values[0]) if values else None

        subject = answer.name_id.text if answer.name_id is not None else None
        if not subject:
            raise _refused("intyget saknar NameID", "the assertion has no NameID")
        contexts = answer.authn_info() or []
        return Identity(
            provider=self.provider.key,
            issuer=issuer,
            subject=subject,
            name=first(names.name) or "",
            display_name=first(names.display_name),
            organisation=first(names.organisation),
            groups=tuple(str(g) for g in attributes.get(names.groups, [])) if names.groups else (),
            assurance=contexts[0][0] if contexts else None,
            claims=attributes,
        )

    def metadata(self) -> str:
        """This service provider's metadata (XML), for the federation or the IdP."""
        found = create_metadata_string(None, config=self.config(), valid=24 * 14)
        return found.decode() if isinstance(found, bytes) else found
