// Calls that need a higher browser module than their member's, by their arguments (docs/design/
// weight.md, "The passkey sign-in"): the rules, pure. A member's module comes from the builds'
// .d.ts (scripts/pkg-entries.mjs); a cargo feature that changes what a method does without
// changing its signature is not in the .d.ts, so the calls that need it are named here by the
// feature, and scripts/pkg-entries.mjs maps each feature to the lowest browser module built with it.

/** The passkey sign-in: a WEB_AUTHN challenge answered with navigator.credentials.get inside the call. */
export const PASSKEY_SIGN_IN = "passkey-sign-in";

/** The choice-based sign-in: `signIn({ flow: "USER_AUTH" })` (SELECT_CHALLENGE, one-time codes first). */
export const USER_AUTH = "user-auth";

/** Every feature `featureOf` can name (the package build fails when a browser module has none of them). */
export const ROUTED = [PASSKEY_SIGN_IN, USER_AUTH];

/**
 * The cargo feature `name.member(...args)` needs beyond its member's module, else undefined:
 * - `CognitoAuth.signIn({ preferredChallenge: "WEB_AUTHN" })`: Cognito answers WEB_AUTHN;
 * - `CognitoAuth.respondToChallenge({ answer: "WEB_AUTHN" })`: SELECT_CHALLENGE answered with the
 *   passkey, or the WEB_AUTHN challenge that a module without the feature returned as the step.
 * - `CognitoAuth.signIn({ flow: "USER_AUTH" })` (any other `preferredChallenge`, or none): the
 *   choice-based sign-in (its SELECT_CHALLENGE and codes are answered where it started).
 * Anything else, including arguments that are not an object or whose getters throw, needs
 * nothing more (the member's module rejects what is unusable).
 */
export function featureOf(name, member, [params]) {
  if (name !== "CognitoAuth") return undefined;
  try {
    const asked = member === "signIn" ? params.preferredChallenge : member === "respondToChallenge" ? params.answer : undefined;
    if (asked === "WEB_AUTHN") return PASSKEY_SIGN_IN;
    if (member === "signIn" && params.flow === "USER_AUTH") return USER_AUTH;
  } catch {
    // not an object, or a throwing getter: the module's own reading reports it
  }
  return undefined;
}

/**
 * The browser module (index, lowest first) that `name.member(...args)` needs by its arguments:
 * `features[featureOf(…)]` (`features`: each cargo feature → the lowest module built with it), or
 * undefined when the call needs nothing beyond its member's module.
 */
export function tierFor(features, name, member, args) {
  const feature = featureOf(name, member, args);
  return feature === undefined ? undefined : features[feature];
}
