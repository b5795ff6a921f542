// Middleware (the edge runtime): refuses /api requests without a valid access token and passes
// the verified username on to the route.
import { NextResponse } from "next/server";
import { CognitoJwtVerifier } from "cognito-wasm";

const verifier = new CognitoJwtVerifier({
  userPoolId: process.env.COGNITO_POOL ?? "us-east-1_Unset",
  clientId: process.env.COGNITO_CLIENT ?? "unset",
  endpoint: process.env.COGNITO_ENDPOINT,
  tokenUse: "access",
});

export async function middleware(request) {
  const token = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
  try {
    const claims = await verifier.verify(token);
    const headers = new Headers(request.headers);
    headers.set("x-middleware-user", String(claims.username));
    return NextResponse.next({ request: { headers } });
  } catch (e) {
    return Response.json({ error: e.name, code: e.code, message: e.message }, { status: 401 });
  }
}

export const config = { matcher: "/api/:path*" };
