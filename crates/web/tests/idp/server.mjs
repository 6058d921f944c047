// The OpenID provider of the single sign-on tests: oidc-provider (OpenID Certified), on
// 127.0.0.1 and a free port, with the clients and accounts the test gives.
//
//   node server.mjs '{"clients": [...], "accounts": [...], "tamper": {...}}'
//
// It prints `listening http://127.0.0.1:PORT` once ready (the issuer). Logins go through
// a minimal interaction a test drives over HTTP: GET /interaction/UID shows the form,
// POST /interaction/UID/login with `login` and `password` signs in; consent is granted
// at once (first-party clients).
//
// To play a provider that misbehaves, `tamper` names clients whose ID tokens are altered
// on their way out of the token endpoint and signed again with the provider's own key (so
// only the claim is wrong): "audience" (issued for another client) or "expired" (expired
// an hour ago). POST /__test/jwks/down (and /up) makes the key set answer 503.

import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

// Its notices go to a pipe the test may have stopped reading: never a reason to stop.
process.stdout.on('error', () => {});

const config = JSON.parse(process.argv[2] ?? '{}');
const accounts = new Map((config.accounts ?? []).map((a) => [a.login, a]));
const tamper = config.tamper ?? {};
let jwksDown = false;

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: (config.clients ?? []).map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['replique-test-idp-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = [...accounts.values()].find((a) => a.sub === sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: account.email, email_verified: account.email_verified ?? true, name: account.name };
      },
    };
  },
  // First-party clients: the consent is given with the login.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

// ID tokens of the clients named in `tamper`, altered and signed again.
provider.use(async (ctx, next) => {
  await next();
  const idToken = ctx.path === '/token' && ctx.body && ctx.body.id_token;
  if (!idToken) return;
  const claims = jose.decodeJwt(idToken);
  const mode = tamper[claims.aud];
  if (!mode) return;
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'audience') claims.aud = 'un-autre-client';
  if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  ctx.body = { ...ctx.body, id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signingJwk.kid }).sign(privateKey) };
});

const page = (res, status, html) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><meta charset="utf-8"><title>IdP de test</title>${html}`);
};

const form = (req) =>
  new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10000) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
  });

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    if (url.pathname === '/__test/jwks/down' || url.pathname === '/__test/jwks/up') {
      jwksDown = url.pathname.endsWith('down');
      res.writeHead(204).end();
      return;
    }
    if (jwksDown && url.pathname === '/jwks') {
      res.writeHead(503).end();
      return;
    }
    const interaction = url.pathname.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!interaction) {
      callback(req, res);
      return;
    }
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      page(res, 200, `<form method="post" action="/interaction/${details.uid}/login">
        <input name="login"><input name="password" type="password"><button>Se connecter</button></form>`);
      return;
    }
    const fields = await form(req);
    const account = accounts.get(fields.get('login'));
    if (!account || account.password !== fields.get('password')) {
      page(res, 401, '<p>Identifiants incorrects.</p>');
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  } catch (error) {
    page(res, 400, `<p>${String(error.message).replace(/[<&>]/g, '')}</p>`);
  }
});

process.stdout.write(`listening ${issuer}\n`);
