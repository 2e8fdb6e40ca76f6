import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { authSecret } from "../config/secrets.ts";
import { contextFromHeaders } from "../http/request-context.ts";
import { redeemHandoff } from "./handoff.ts";
import { completeRecoverySignIn, completeSignIn } from "./sign-in.ts";

const secureCookies = (process.env.PORTAL_URL ?? "").startsWith("https://");

/** `__Host-` pins the cookie to this host over HTTPS (no Domain, Path=/, Secure). */
export const SESSION_COOKIE = secureCookies ? "__Host-ops-portal.session" : "ops-portal.session";

/**
 * next-auth carries only our session token in its encrypted JWT; everything else (user, role,
 * expiry, revocation) is read from the Session table on each request (lib/auth/sessions.ts).
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    // The cookie may outlive the session; the Session row's idle and absolute limits decide.
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    useSecureCookies: secureCookies,
    cookies: {
      sessionToken: {
        name: SESSION_COOKIE,
        options: { httpOnly: true, sameSite: "lax", path: "/", secure: secureCookies },
      },
    },
    providers: [
      CredentialsProvider({
        id: "totp",
        name: "Password and authenticator code",
        // Either an authenticator code or a one-time recovery code completes the ticket's sign-in.
        credentials: { ticket: { type: "hidden" }, code: { type: "text" }, recoveryCode: { type: "text" } },
        async authorize(credentials, req) {
          if (!credentials?.ticket || !(credentials.code || credentials.recoveryCode)) return null;
          const context = contextFromHeaders(req.headers ?? {});
          const result = credentials.recoveryCode
            ? await completeRecoverySignIn(credentials.ticket, credentials.recoveryCode, context)
            : await completeSignIn(credentials.ticket, credentials.code, context);
          if (!result.ok) throw new Error(result.message);
          return { id: result.userId, sessionToken: result.token };
        },
      }),
      CredentialsProvider({
        id: "handoff",
        name: "Finish enrolment",
        // After enrolment: the person has saved their recovery codes; the handoff becomes the session.
        credentials: { handoff: { type: "hidden" } },
        async authorize(credentials, req) {
          if (!credentials?.handoff) return null;
          const result = await redeemHandoff(credentials.handoff, contextFromHeaders(req.headers ?? {}));
          if (!result.ok) throw new Error(result.message);
          return { id: result.userId, sessionToken: result.token };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user && "sessionToken" in user) return { sid: user.sessionToken as string };
        return { sid: token.sid };
      },
      session({ session }) {
        return { expires: session.expires };
      },
    },
  };
}
