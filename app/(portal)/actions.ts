"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { SESSION_COOKIE } from "@/lib/auth/next-auth";
import { ZStepUpInput } from "@/lib/auth/schemas";
import { endSession } from "@/lib/auth/sign-out";
import { performStepUp, type StepUpResult } from "@/lib/auth/step-up";
import { requestContext } from "@/lib/http/request-context";
import { parseInput } from "@/lib/validation/parse";

export async function signOutAction(): Promise<void> {
  const user = await currentUser();
  if (user) await endSession(user, await requestContext());
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/sign-in");
}

export type { StepUpResult };

/** Re-entering a TOTP code refreshes this session's step-up window (throttled: lib/auth/step-up.ts). */
export async function stepUpAction(code: string): Promise<StepUpResult> {
  const user = await currentUser();
  if (!user) return { ok: false, message: "Your session has ended. Sign in again." };
  const parsed = parseInput(ZStepUpInput, { code });
  if (!parsed.ok) return { ok: false, message: parsed.message };
  return performStepUp(user, parsed.data.code, await requestContext());
}
