// A real OpenID Provider (panva/oidc-provider, OpenID Certified) for jamlik's SSO tests,
// started by tests/web/oidc_op.py on 127.0.0.1. Not for production: accounts come from a
// JSON file the test rewrites between sign-ins, and /test/* lets the test play an attacker
// who forges the next ID token the token endpoint hands out.
//
//   PORT=5001 ACCOUNTS_FILE=/tmp/accounts.json node provider.mjs
//
// ACCOUNTS_FILE: {"anna": {"preferred_username": "anna", "name": "Anna A", "groups": [...],
//                 "organisation": "..."}, ...}; read again at every sign-in.
// Clients register themselves (OpenID Connect Dynamic Client Registration, /reg).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Provider } from 'oidc-provider';
import { SignJWT, exportJWK, generateKeyPair, importJWK, decodeProtectedHeader, decodeJwt } from 'jose';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accountsFile = process.env.ACCOUNTS_FILE;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: 'op-key-1', alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(signingJwk, 'RS256');
// The attacker's key: same key id as the provider's, but not the provider's.
const { privateKey: foreignKey } = await generateKeyPair('RS256', { extractable: true });

function readAccounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf-8'));
}

const provider = new Provider(issuer, {
  jwks: { keys: [signingJwk] },
  async findAccount(ctx, id) {
    const found = readAccounts()[id];
    if (!found) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...readAccounts()[id] }; } };
  },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
    organisation: ['organisation'],
  },
  acrValues: ['loa2', 'loa3'],
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // The default pages load a web font from the internet; tests never leave 127.0.0.1.
      async logoutSource(ctx, form) {
        ctx.body = page('Test-IdP: logga ut', `${form}
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, logga ut hos IdP</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Test-IdP: utloggad', '<p id="op-signed-out">Utloggad</p>');
      },
    },
  },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['jamlik-test-op-cookies'] },
  ttl: {
    AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600,
    Grant: 3600, RegistrationAccessToken: 3600,
  },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><title>OP error</title><pre id="op-error">${JSON.stringify(out)}</pre>`;
  },
});

// The attack the test asks for, applied to the next ID token the token endpoint returns.
let forge = null;

async function forged(idToken, mode) {
  const header = decodeProtectedHeader(idToken);
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  const sign = (payload, key = signingKey) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: header.kid, typ: header.typ }).sign(key);
  switch (mode) {
    case 'tampered': {
      // Another subject, the provider's own signature kept: the signature no longer matches.
      const [h, , s] = idToken.split('.');
      const body = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
      return `${h}.${body}.${s}`;
    }
    case 'expired':
      return sign({ ...claims, iat: now - 7200, exp: now - 3600 });
    case 'wrong-issuer':
      return sign({ ...claims, iss: 'https://idp.attacker.example' });
    case 'wrong-audience':
      return sign({ ...claims, aud: 'another-client' });
    case 'wrong-nonce':
      return sign({ ...claims, nonce: 'not-the-nonce-jamlik-sent' });
    case 'foreign-key':
      return sign(claims, foreignKey);
    case 'alg-none': {
      const h = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    }
    default:
      throw new Error(`unknown forge mode ${mode}`);
  }
}

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && forge && ctx.status === 200 && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await forged(ctx.body.id_token, forge) };
    forge = null;
  }
});

function page(title, body) {
  return `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return Object.fromEntries(new URLSearchParams(raw));
}

// A minimal login: pick the account and the assurance level; consent is given at once.
async function interaction(req, res, uid, post) {
  const details = await provider.interactionDetails(req, res);
  if (post) {
    const form = await readForm(req);
    return provider.interactionFinished(req, res, {
      login: { accountId: form.login, acr: form.acr || 'loa2' },
    }, { mergeWithLastSubmission: false });
  }
  if (details.prompt.name === 'login') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    return res.end(page('Test-IdP: logga in', `
      <h1>Test-IdP</h1>
      <form method="post" action="/interaction/${uid}">
        <label for="login">Konto</label> <input id="login" name="login" autofocus>
        <label for="acr">Tillitsnivå</label>
        <select id="acr" name="acr"><option value="loa2">LoA 2</option><option value="loa3">LoA 3</option></select>
        <button type="submit">Logga in hos IdP</button>
      </form>`));
  }
  const { details: missing, name } = details.prompt;
  if (name !== 'consent') throw new Error(`prompt ${name} not handled`);
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const handle = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([\w-]+)$/);
    if (match) return await interaction(req, res, match[1], req.method === 'POST');
    if (url.pathname === '/favicon.ico') {
      res.statusCode = 204;
      return res.end();
    }
    if (url.pathname === '/test/forge' && req.method === 'POST') {
      forge = (await readForm(req)).mode;
      res.statusCode = 204;
      return res.end();
    }
    return handle(req, res);
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err?.stack || err));
  }
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`READY ${issuer}\n`);
});
