"""A real SAML 2.0 identity provider for the SSO tests: pysaml2's own IdP
(`saml2.server.Server`), run in the test process with a key and certificate made for the
session. `SamlIdp.answer(...)` reads the AuthnRequest the site sent (from the redirect it
answered) and builds the IdP's Response, signed or not, for any audience, as the tests ask.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

IDP_ENTITY = "https://idp.test.example/saml"
SSO_URL = "https://idp.test.example/sso"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"


def key_and_cert(folder: Path, name: str) -> tuple[Path, Path]:
    """A fresh RSA key and self-signed certificate (PEM files) for `name`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def _config(folder: Path, sp_metadata: Path | None, lifetime_minutes: int) -> IdPConfig:
    key_file, cert_file = folder / "idp.key", folder / "idp.crt"
    settings = {
        "entityid": IDP_ENTITY,
        "service": {
            "idp": {
                "endpoints": {"single_sign_on_service": [(SSO_URL, BINDING_HTTP_REDIRECT)]},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": lifetime_minutes},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
        "key_file": str(key_file),
        "cert_file": str(cert_file),
        "xmlsec_binary": shutil.which("xmlsec1"),
        "metadata": {"local": [str(sp_metadata)]} if sp_metadata else {},
    }
    config = IdPConfig()
    config.load(settings)
    return config


@dataclass
class SamlIdp:
    folder: Path
    metadata_file: Path

    @classmethod
    def make(cls, folder: Path) -> SamlIdp:
        """Keys and metadata of the IdP (the site's SP metadata is added by `trust`)."""
        folder.mkdir(parents=True, exist_ok=True)
        key_and_cert(folder, "idp")
        metadata = folder / "idp-metadata.xml"
        metadata.write_text(create_metadata_string(None, config=_config(folder, None, 15)).decode())
        return cls(folder, metadata)

    def trust(self, sp_metadata_xml: str) -> None:
        (self.folder / "sp-metadata.xml").write_text(sp_metadata_xml, "utf-8")

    def server(self, lifetime_minutes: int = 15) -> Server:
        return Server(
            config=_config(self.folder, self.folder / "sp-metadata.xml", lifetime_minutes)
        )

    def answer(
        self,
        redirect_location: str,
        *,
        subject: str,
        attributes: dict[str, list[str]],
        sign: bool = True,
        audience: str | None = None,
        recipient: str | None = None,
        lifetime_minutes: int = 15,
        assurance: str = LOA3,
    ) -> str:
        """The base64 SAMLResponse to the AuthnRequest carried by `redirect_location`."""
        server = self.server(lifetime_minutes)
        query = parse_qs(urlsplit(redirect_location).query)
        request = server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        acs = recipient or message.assertion_consumer_service_url
        response = server.create_authn_response(
            identity=attributes,
            in_response_to=message.id,
            destination=acs,
            sp_entity_id=audience or message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=subject),
            authn={"class_ref": assurance, "authn_auth": IDP_ENTITY},
            sign_assertion=sign,
            sign_response=False,
        )
        return base64.b64encode(str(response).encode()).decode()


__all__ = ["BINDING_HTTP_POST", "IDP_ENTITY", "LOA3", "SamlIdp", "key_and_cert"]
