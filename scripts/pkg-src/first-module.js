// Which browser module a page fetches first (docs/design/weight.md, "The first module"): the
// rules, pure. scripts/pkg-src/browser.js gathers what they take (what the storage holds, which
// objects were made) and starts the module they name.

/** The modules, lowest first (the order of browser.js's `tiers`). */
export const SESSION = 0;
export const SIGNIN = 1;

/** A storage that could not be read (it threw, or there is no clientId to look under). */
export const UNKNOWN = Symbol("unknown");

/** amazon-cognito-identity-js's key of the signed-in user: `CognitoIdentityServiceProvider.<clientId>.LastAuthUser`. */
export const lastAuthUserKey = (clientId) => `CognitoIdentityServiceProvider.${clientId}.LastAuthUser`;
const LAST_AUTH_USER = /^CognitoIdentityServiceProvider\.[^.]+\.LastAuthUser$/;

/**
 * What a storage's `getItem(LastAuthUser)` result says: `true` (a non-empty string: a session is
 * stored), `false` (null, undefined or "": none) or `undefined` (anything else — a Promise from an
 * asynchronous storage, `UNKNOWN`: cannot tell without the module).
 */
export function holdsSession(value) {
  if (typeof value === "string") return value !== "";
  if (value === null || value === undefined) return false;
  return undefined;
}

/**
 * The first stored user among `entries` ([key, value] of a Web Storage or the cookies, any
 * client): the first non-empty value under a `…LastAuthUser` key, else null.
 */
export function findStored(entries) {
  for (const [key, value] of entries) {
    if (LAST_AUTH_USER.test(key) && holdsSession(value)) return value;
  }
  return null;
}

/**
 * The module to fetch first, chosen when the first one is needed:
 * - `levels`: the lowest modules of the other objects made so far (storages: 0, the verifier: 3,
 *   the full module);
 * - `stored`: for the first `CognitoAuth`, what its storage holds under LastAuthUser — or, when
 *   no object is made before `init()` or the end of the task that evaluated the entry, what the
 *   page's storages hold for any client (`findStored`).
 * A stored session → the session module (restoring needs no more). None → the page will sign in:
 * the signin module (a superset: `getSession` and the rest run there too), and the session module
 * is never fetched. Cannot tell → the session module. Neither `stored` nor a level → session.
 * Never below the highest of `levels`.
 */
export function firstModule({ levels = [], ...rest } = {}) {
  const floor = Math.max(SESSION, ...levels);
  if (!("stored" in rest)) return floor;
  return Math.max(floor, holdsSession(rest.stored) === false ? SIGNIN : SESSION);
}
