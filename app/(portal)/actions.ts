"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { SESSION_COOKIE } from "@/lib/auth/next-auth";
import { endSession } from "@/lib/auth/sign-out";
import { requestContext } from "@/lib/http/request-context";

export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await endSession(user, await requestContext());
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/sign-in");
}
