// Silta's local OpenID provider for `make demo` and the tests: panva/oidc-provider (an
// OpenID Certified implementation) on loopback, with test accounts read from a JSON file
// at every sign-in (so a test can change a role and see it at the next sign-in).
// Not for production: the signing key is made at start and the accounts are plain JSON.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

const here = dirname(fileURLToPath(import.meta.url));
const host = process.env.DEVIDP_HOST || '127.0.0.1';
const port = Number(process.env.DEVIDP_PORT || 8010);
const issuer = process.env.DEVIDP_ISSUER || `http://${host}:${port}`;
const accountsFile = process.env.DEVIDP_ACCOUNTS || join(here, 'accounts.json');
// Where Silta runs (its callbacks): comma-separated base addresses.
const bases = (process.env.DEVIDP_REDIRECT_BASES || 'http://127.0.0.1:8000,http://localhost:8000')
  .split(',').map((b) => b.trim().replace(/\/$/, '')).filter(Boolean);
// Suomi.fi e-Identification's claim for the personal identity code (nationalIdentificationNumber).
const identityClaim = process.env.DEVIDP_IDENTITY_CLAIM || 'urn:oid:1.2.246.21';

const load = () => JSON.parse(readFileSync(accountsFile, 'utf8'));
const secret = (id) => process.env[`DEVIDP_SECRET_${id.toUpperCase().replace(/-/g, '_')}`] || `${id}-secret`;
const client = (id, path) => ({
  client_id: id,
  client_secret: secret(id),
  redirect_uris: bases.map((b) => `${b}${path}`),
  // RP-Initiated Logout returns to Silta's front page or the client's sign-in page.
  post_logout_redirect_uris: bases.flatMap((b) => [`${b}/`, `${b}/oma/kirjaudu/`]),
  grant_types: ['authorization_code'],
  response_types: ['code'],
});

const provider = new Provider(issuer, {
  clients: [
    client('silta-client', '/oidc/client/callback/'),
    client('silta-staff', '/oidc/staff/callback/'),
    client('silta-staff-psavo', '/oidc/staff/callback/'),
    // Another relying party of the same provider: its ID tokens have the wrong audience for Silta.
    client('other-app', '/callback/'),
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'personal_identity_code', 'groups', 'silta'],
  claims: {
    // How the user was authenticated (RFC 8176 amr; acr) in every ID token.
    openid: ['sub', 'amr', 'acr'],
    profile: ['name', 'given_name', 'family_name'],
    email: ['email', 'email_verified'],
    personal_identity_code: [identityClaim],
    groups: ['groups'],
    silta: ['silta_active'],
  },
  features: {
    devInteractions: { enabled: false },
    // RP-Initiated Logout 1.0 (end_session_endpoint in discovery), with plain local pages.
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => { ctx.body = logoutPage(form); },
      postLogoutSuccessSource: async (ctx) => { ctx.body = signedOutPage(); },
    },
  },
  // The scopes' claims go into the ID token too (as Suomi.fi's do), not only to userinfo.
  conformIdTokenClaims: false,
  cookies: { keys: [randomBytes(32).toString('hex')] },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  async findAccount(ctx, sub) {
    const account = load().accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
  // First-party clients: the user is not asked to consent (the organisation decided).
  async loadExistingGrant(ctx) {
    const { Grant } = ctx.oidc.provider;
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return Grant.find(grantId);
    const grant = new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

const shell = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Silta test identification</title></head>
<body><main>${body}</main></body></html>`;
// The provider's own question before ending its session (the form posts to /session/end/confirm).
const logoutPage = (form) => shell(`<h1>Sign out of the test identification?</h1>${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></p>`);
const signedOutPage = () => shell('<h1>You are signed out of the test identification.</h1>');

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (uid, message) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Silta test identification</title></head>
<body><main><h1>Test identification (local provider)</h1>
<p>Only test identities. ${message ? `<strong role="alert">${escape(message)}</strong>` : ''}</p>
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label for="login">User name</label><br><input id="login" name="login" autocomplete="username" autofocus required></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p></form>
<p><a href="/interaction/${escape(uid)}/abort">Cancel</a></p></main></body></html>`;

const same = (a, b) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const readForm = (req) => new Promise((resolve, reject) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; if (body.length > 10000) req.destroy(); });
  req.on('end', () => resolve(new URLSearchParams(body)));
  req.on('error', reject);
});

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (action === 'abort') {
    const result = { error: 'access_denied', error_description: 'The user cancelled' };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const login = form.get('login') || '';
    const account = load().accounts[login];
    if (!account || !same(String(account.password), form.get('password') || '')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return res.end(page(uid, 'Wrong user name or password.'));
    }
    const result = { login: { accountId: login, amr: account.amr || ['pwd'], acr: account.acr } };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  return res.end(page(uid, ''));
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(req.url.split('?')[0]);
  if (!match) return callback(req, res);
  try {
    return await interaction(req, res, match[1], match[2]);
  } catch (err) {
    res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
    return res.end(`Sign-in failed: ${err.message}`);
  }
});
server.listen(port, host, () => {
  console.log(`devidp: OpenID provider ${issuer} (accounts: ${accountsFile})`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
