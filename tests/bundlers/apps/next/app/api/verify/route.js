// A route handler (Node runtime) verifying the access token the page sends.
import { CognitoJwtVerifier } from "cognito-wasm";

const verifier = new CognitoJwtVerifier({
  userPoolId: process.env.COGNITO_POOL ?? "us-east-1_Unset",
  clientId: process.env.COGNITO_CLIENT ?? "unset",
  endpoint: process.env.COGNITO_ENDPOINT,
  tokenUse: "access",
});

export async function GET(request) {
  const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
  try {
    const claims = await verifier.verify(token);
    return Response.json({ route: claims.username, middleware: request.headers.get("x-middleware-user") });
  } catch (e) {
    return Response.json({ error: e.name, code: e.code }, { status: 401 });
  }
}
