// Which browser module a page fetches first (docs/design/weight.md, "The first module"): the
// rules, pure. scripts/pkg-src/browser.js gathers what they take (what the storage holds, which
// objects were made, whether the options are plain) and starts the module they name.

/** The modules, lowest first (the order of browser.js's `tiers`; then signup 4 and full 5). */
export const RESTORE = 0;
export const SESSION = 1;
export const SIGNIN_PLAIN = 2;
export const SIGNIN = 3;

/** The modules that take plain options only (`isPlain`): an object that is not plain never lives there. */
export const PLAIN_ONLY = [RESTORE, SIGNIN_PLAIN];

/** A storage that could not be read (it threw, or there is no clientId to look under). */
export const UNKNOWN = Symbol("unknown");

/** The CognitoAuth options the plain-only modules refuse (InvalidParameterError) when present and not null/undefined. */
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
 * Whether CognitoAuth `options` are plain: the plain-only modules (`PLAIN_ONLY`) take them. Not plain: any of
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
 * The lowest module at or above `level` an object may live in: `level` for a plain one; for one
 * that is not plain, the lowest whose module is not plain-only (`plainOnly(level)`; the top module
 * never is).
 */
export function fitTier(level, plain, plainOnly) {
  while (!plain && plainOnly(level)) level++;
  return level;
}

/**
 * Whether a collapse may put the module `target` in the place of the lower module `lower` (each:
 * whether it is plain-only): never a plain-only module in the place of one that takes every
 * option, where objects that are not plain live (or will).
 */
export const mayTakePlace = (target, lower) => !target || lower;

/** Whether `index` of the modules as first laid out is plain-only (`PLAIN_ONLY`). */
const plainOnly = (index) => PLAIN_ONLY.includes(index);

/**
 * The module to fetch first, chosen when the first one is needed:
 * - `levels`: the lowest modules of the other objects made so far (storages: 0 or 1, the
 *   verifier: the full module);
 * - `stored`: for the first `CognitoAuth`, what its storage holds under LastAuthUser — or, when
 *   no object is made before `init()` or the end of the task that evaluated the entry, what the
 *   page's storages hold for any client (`findStored`);
 * - `plain`: whether that CognitoAuth's options and the objects made so far are plain (`isPlain`,
 *   a CookieStorage is not; default true).
 * A stored session → restore: restoring needs no more. None → the page will sign in: signin_plain
 * (a superset of restore: `getSession` and the rest run there too), and neither lower module is
 * fetched. Cannot tell → as for a stored session. Neither `stored` nor a level → restore. Never
 * below the highest of `levels`; not plain → the lowest module at or above that takes every option
 * (`fitTier`: session, signin).
 */
export function firstModule({ levels = [], plain = true, ...rest } = {}) {
  const signingIn = "stored" in rest && holdsSession(rest.stored) === false;
  return fitTier(Math.max(RESTORE, ...levels, signingIn ? SIGNIN_PLAIN : RESTORE), plain, plainOnly);
}
