import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";

type Context = { params: Promise<{ nextauth: string[] }> };

// Built per request rather than at import: the options read secrets, which a build must not need.
async function handler(request: Request, context: Context) {
  return NextAuth(authOptions())(request, { params: await context.params });
}

export { handler as GET, handler as POST };
