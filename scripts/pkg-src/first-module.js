// Which browser module a page fetches first (docs/design/weight.md, "The first module"): the
// rules, pure. scripts/pkg-src/browser.js gathers what they take (what the storage holds, which
// objects were made, whether the options are plain) and starts the module they name.

/** The modules, lowest first (the order of browser.js's `tiers`). */
export const RESTORE = 0;
export const SESSION = 1;
export const SIGNIN = 2;

/** A storage that could not be read (it threw, or there is no clientId to look under). */
export const UNKNOWN = Symbol("unknown");

/** The CognitoAuth options the restore module refuses (InvalidParameterError) when present and not null/undefined. */
export const REFUSED_BY_RESTORE = ["clientSecret", "oauth", "userContextData"];

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
 * Whether CognitoAuth `options` are plain: the restore module takes them. Not plain: any of
 * `REFUSED_BY_RESTORE` present and not null/undefined, a `storage` for which `isCookieStorage` is
 * true (the package's CookieStorage), or a getter that throws. Options that are not an object are
 * plain (every module's constructor rejects them alike).
 */
export function isPlain(options, isCookieStorage) {
  if (options == null || typeof options !== "object") return true;
  try {
    if (REFUSED_BY_RESTORE.some((key) => options[key] != null)) return false;
    return !isCookieStorage(options.storage);
  } catch {
    return false;
  }
}

/**
 * The lowest module an object of class `name` constructed with `args` can live in, beyond its
 * class's: `SESSION` for a CognitoAuth whose options are not plain (`isPlain`), else undefined.
 */
export function floorFor(name, [options], isCookieStorage) {
  if (name === "CognitoAuth" && !isPlain(options, isCookieStorage)) return SESSION;
}

/**
 * The module to fetch first, chosen when the first one is needed:
 * - `levels`: the lowest modules of the other objects made so far (storages: 0 or 1, the
 *   verifier: the full module);
 * - `stored`: for the first `CognitoAuth`, what its storage holds under LastAuthUser — or, when
 *   no object is made before `init()` or the end of the task that evaluated the entry, what the
 *   page's storages hold for any client (`findStored`);
 * - `plain`: whether that CognitoAuth's options are plain (`isPlain`; default true).
 * A stored session → the restore module (plain options) or the session module (others): restoring
 * needs no more. None → the page will sign in: the signin module (a superset: `getSession` and the
 * rest run there too), and neither lower module is fetched. Cannot tell → as for a stored session.
 * Neither `stored` nor a level → restore (plain) or session. Never below the highest of `levels`.
 */
export function firstModule({ levels = [], plain = true, ...rest } = {}) {
  const floor = Math.max(RESTORE, ...levels);
  const restoring = plain ? RESTORE : SESSION;
  if (!("stored" in rest)) return Math.max(floor, restoring);
  return Math.max(floor, holdsSession(rest.stored) === false ? SIGNIN : restoring);
}
