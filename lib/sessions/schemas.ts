import { z } from "zod";

export const ZRevokeSessionInput = z.object({
  sessionId: z.string().trim().min(1, "Choose a session to revoke.").max(64, "That is not a session id."),
});
export type TRevokeSessionInput = z.infer<typeof ZRevokeSessionInput>;
