// Runs the Digital Credentials Consortium verifier (@digitalcredentials/verifier-core)
// on one credential and prints a JSON summary on stdout.
//
//   node tests/verifier/verify.mjs credential.json http://127.0.0.1:PORT result.json
//
// The verifier's own document loader serves the W3C, Data Integrity and Open Badges
// contexts from the copies bundled in its npm packages and resolves did:key locally;
// everything else it fetches over HTTP (the issuer's key and controller document, the
// status list, the Multikey context). globalThis.fetch is replaced so that only the app
// under test (the origin given) and the contexts pinned in lms/certificates/contexts/ are
// reachable: any other address is refused and reported, so the test fails rather than
// use the network.
import { readFileSync, writeFileSync } from 'node:fs';

const contexts = new URL('../../lms/certificates/contexts/', import.meta.url);
const pinned = JSON.parse(readFileSync(new URL('index.json', contexts), 'utf8'));
// The official 1EdTech JSON Schema the verifier checks Open Badges against (a copy, see
// tests/verifier/README.md), served from here rather than from purl.imsglobal.org.
const schemas = new URL('schemas/', import.meta.url);
const pinnedSchemas = {
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json':
    'ob_v3p0_achievementcredential_schema.json',
};

const [, , credentialPath, allowedOrigin, outputPath] = process.argv;
const refused = [];
const fetched = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : (input.url ?? String(input));
  if (pinned[url] || pinnedSchemas[url]) {
    fetched.push(url);
    const file = pinned[url] ? new URL(pinned[url], contexts) : new URL(pinnedSchemas[url], schemas);
    return new Response(readFileSync(file),
      { status: 200, headers: { 'Content-Type': 'application/json' } });
  }
  if (!url.startsWith(allowedOrigin + '/')) {
    refused.push(url);
    throw new TypeError(`network access refused in tests: ${url}`);
  }
  fetched.push(url);
  return realFetch(input, init);
};

const { verifyCredential } = await import('@digitalcredentials/verifier-core');
const credential = JSON.parse(readFileSync(credentialPath, 'utf8'));
const result = await verifyCredential({ credential, knownDIDRegistries: [] });
const log = (result.log ?? []).map(({ id, valid, error }) => ({
  id, valid, error: error ? (error.message ?? String(error)) : undefined }));
const errors = (result.errors ?? []).map(({ name, message, stackTrace }) => ({
  name, message, detail: stackTrace ? String(stackTrace.message ?? stackTrace) : undefined }));
// verifier-core reports a failed signature without its cause; ask the library under it
// (the same suites and loader) for the cause, so a failing test says why.
const causes = [];
if (errors.length && process.env.VERIFY_CAUSES) {
  const vc = await import('@digitalcredentials/vc');
  const { DataIntegrityProof } = await import('@digitalcredentials/data-integrity');
  const { cryptosuite } = await import('@digitalcredentials/eddsa-rdfc-2022-cryptosuite');
  const { securityLoader } = await import('@digitalcredentials/security-document-loader');
  const raw = await vc.verifyCredential({
    credential, suite: [new DataIntegrityProof({ cryptosuite })],
    documentLoader: securityLoader({ fetchRemoteContexts: true }).build(),
    checkStatus: async () => ({ verified: true }), verifyMatchingIssuers: false });
  for (const error of raw.error?.errors ?? (raw.error ? [raw.error] : [])) {
    causes.push(String(error.message ?? error));
  }
}
const schema = (result.additionalInformation ?? []).find(({ id }) => id === 'schema_check');
const out = { log, errors, causes, schema: schema?.results ?? null, fetched, refused };
// Written to a file: the verifier itself prints to stdout.
writeFileSync(outputPath, JSON.stringify(out, null, 2) + '\n');
