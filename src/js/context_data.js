// The context of one request (src/js/context_data.rs, where its contract is): `[encodedData,
// ipAddress]` (each a string or undefined) of `option(username)` when `option` is given, else of
// globalThis.AmazonCognitoAdvancedSecurityData.getData(username, poolId, clientId) where that is
// a method of an object; undefined when there is none, a call throws or the answer is neither a
// string nor an object. A property read that throws is undefined.
export function contextData(option, username, poolId, clientId) {
  let value;
  try {
    if (option) value = option(username);
    else {
      const script = globalThis.AmazonCognitoAdvancedSecurityData;
      if (typeof script != "object" || script === null) return;
      const getData = script.getData;
      if (typeof getData != "function") return;
      value = getData.call(script, username, poolId, clientId);
    }
  } catch {
    return;
  }
  if (typeof value == "string") return [value];
  if (typeof value != "object" || value === null) return;
  const text = (key) => {
    try {
      const item = value[key];
      return typeof item == "string" ? item : undefined;
    } catch {}
  };
  const ip = text("ipAddress");
  return [text("encodedData"), ip];
}
