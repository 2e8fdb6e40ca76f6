import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { authSecret } from "../config/secrets.ts";
import { SESSION_COOKIE } from "./next-auth.ts";
import { resolveSession, type CurrentUser } from "./sessions.ts";

/** The signed-in user for this request, or null (`touch: false`: not counted as activity). */
export async function currentUser(options: { touch?: boolean } = {}): Promise<CurrentUser | null> {
  const raw = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!raw) return null;
  const jwt = await decode({ token: raw, secret: authSecret() }).catch(() => null);
  return typeof jwt?.sid === "string" ? resolveSession(jwt.sid, new Date(), options) : null;
}

/** For pages behind sign-in: the user, or a redirect to the sign-in page. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect("/sign-in");
  return user;
}
