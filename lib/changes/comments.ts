import type { RequestContext } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { assertPermission } from "../rbac/assert.ts";
import { formatChangeNumber } from "./number.ts";
import { type TCommentInput } from "./schemas.ts";
import { type ChangeActor, linkTo, audit, names } from "./shared.ts";

/** `@local-part` of a user's email, not part of an email address itself. */
export function mentionsIn(body: string): string[] {
  const found = new Set<string>();
  for (const m of body.matchAll(/(^|[^A-Za-z0-9._%+-])@([A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])/g)) found.add(m[2]!.toLowerCase());
  return [...found];
}

/** A comment on the change's timeline; people mentioned as @local-part are notified. */
export async function addComment(actor: ChangeActor, input: TCommentInput, context: RequestContext): Promise<{ commentId: string; notified: string[] }> {
  assertPermission(actor, "change.comment");
  return db.$transaction(
    async (tx) => {
      const change = await tx.changeRequest.findUnique({
        where: { id: input.changeId },
        select: { id: true, number: true, title: true, requesterId: true },
      });
      if (!change) throw new AppError("not_found", "That change request does not exist.");
      const locals = mentionsIn(input.body);
      const mentioned = locals.length
        ? (
            await tx.user.findMany({
              where: { active: true, OR: locals.map((l) => ({ email: { startsWith: `${l}@` } })) },
              select: { id: true, email: true },
            })
          ).filter((u) => locals.includes(u.email.slice(0, u.email.indexOf("@")).toLowerCase()) && u.id !== actor.id)
        : [];
      const comment = await tx.changeComment.create({
        data: { changeId: change.id, authorId: actor.id, body: input.body },
        select: { id: true },
      });
      const ref = formatChangeNumber(change.number);
      const excerpt = input.body.length > 300 ? `${input.body.slice(0, 297)}...` : input.body;
      const toMentioned = await notify(tx, mentioned.map((u) => u.id), {
        kind: "change.mentioned",
        title: `${actor.name} mentioned you on ${ref}`,
        body: excerpt,
        link: linkTo(change.number),
      });
      const toRequester =
        change.requesterId !== actor.id && !mentioned.some((u) => u.id === change.requesterId)
          ? await notify(tx, [change.requesterId], {
              kind: "change.commented",
              title: `${actor.name} commented on ${ref}`,
              body: excerpt,
              link: linkTo(change.number),
            })
          : [];
      const notified = names([...toMentioned, ...toRequester]);
      await audit(tx, "change.commented", actor, context, change, {
        commentId: comment.id,
        mentioned: names(toMentioned),
        notified,
      });
      return { commentId: comment.id, notified };
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}
