"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import {
  changeRoleAction,
  deactivateUserAction,
  reactivateUserAction,
  reissueSetupLinkAction,
  resetMfaAction,
  revokeUserSessionsAction,
} from "@/app/(portal)/admin/actions";
import { useGuardedAction } from "@/components/auth/use-guarded-action";
import { ActionStatus } from "@/components/ui/action-status";
import { Button } from "@/components/ui/button";
import { ConfirmForm } from "@/components/ui/confirm-form";
import { SelectField } from "@/components/ui/select-field";
import { ROLE_LABELS, type Role } from "@/lib/rbac/permissions";
import { formatDateTime, timeAgo } from "@/lib/ui/format";
import type { UserDetail } from "@/lib/users/queries";
import { ROLE_DESCRIPTIONS, ROLE_OPTIONS } from "./role-descriptions";
import { SetupLinkPanel } from "./setup-link-panel";

type Props = { user: UserDetail; isSelf: boolean };

function Panel({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  const id = `panel-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section
      aria-labelledby={id}
      className="rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h3 id={id} className="text-sm font-semibold">
          {title}
        </h3>
        {description ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{description}</p> : null}
      </div>
      <div className="space-y-3 p-4">{children}</div>
    </section>
  );
}

function Note({ children }: { children: ReactNode }) {
  return <p className="text-sm text-slate-600 dark:text-slate-400">{children}</p>;
}

export function RolePanel({ user, isSelf }: Props) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(changeRoleAction);
  const [role, setRole] = useState<Role>(user.role);
  const lastAdmin = user.role === "ADMIN" && user.otherActiveAdmins === 0;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    run(new FormData(event.currentTarget));
  }

  return (
    <Panel title="Role" description="Decides what they may see and do. A change applies from their next click.">
      <ActionStatus
        result={result}
        success={
          result?.ok ? `Role changed from ${ROLE_LABELS[result.data.from as Role]} to ${ROLE_LABELS[result.data.to as Role]}.` : undefined
        }
      />
      {lastAdmin ? (
        <Note>
          {isSelf ? "You are" : "This is"} the only active administrator, so this role cannot be changed until someone
          else is made an Administrator.
        </Note>
      ) : null}
      <form aria-label="Change role" onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <input type="hidden" name="userId" value={user.id} />
        <div className="flex-1">
          <SelectField
            id="role"
            name="role"
            label="Role"
            options={ROLE_OPTIONS}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            hint={ROLE_DESCRIPTIONS[role]}
            disabled={lastAdmin || !user.active}
          />
        </div>
        <Button type="submit" disabled={pending || lastAdmin || !user.active || role === user.role} className="disabled:opacity-50 sm:mt-7">
          {pending ? "Saving…" : "Save role"}
        </Button>
      </form>
      {isSelf && user.role === "ADMIN" && !lastAdmin ? (
        <Note>Changing your own role takes effect at once: you would lose access to this page.</Note>
      ) : null}
      {stepUpDialog}
    </Panel>
  );
}

export function SetupPanel({ user, isSelf }: Props) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(reissueSetupLinkAction);
  const pendingSetup = user.pendingSetup;
  return (
    <Panel title="Account setup" description="Password and authenticator app, set by the person through a one-time link.">
      {result?.ok ? (
        <SetupLinkPanel name={user.name} email={user.email} link={result.data.setupLink} expiresAt={result.data.expiresAt} />
      ) : (
        <ActionStatus result={result} />
      )}
      {user.setupComplete ? (
        <Note>
          Finished{user.mfaEnrolledAt ? ` (authenticator enrolled ${formatDateTime(user.mfaEnrolledAt)})` : ""}. To make
          them set up again, reset their MFA.
        </Note>
      ) : (
        <>
          <Note>
            {pendingSetup && !result?.ok
              ? pendingSetup.expired
                ? `The last setup link expired ${formatDateTime(pendingSetup.expiresAt)}.`
                : `Waiting for them to use the link issued ${formatDateTime(pendingSetup.createdAt)}; it expires ${formatDateTime(pendingSetup.expiresAt)}.`
              : result?.ok
                ? "Earlier links no longer work."
                : "No setup link is waiting."}
          </Note>
          {user.active && !isSelf ? (
            <ConfirmForm
              fields={{ userId: user.id }}
              trigger="Issue a new setup link"
              confirm="Issue link"
              question="Any earlier link for this user stops working. The new link is shown once, here."
              danger={false}
              run={run}
              pending={pending}
            />
          ) : null}
        </>
      )}
      {stepUpDialog}
    </Panel>
  );
}

export function SessionsPanel({ user, isSelf }: Props) {
  const { run, result, pending, stepUpDialog } = useGuardedAction(revokeUserSessionsAction);
  const now = new Date();
  return (
    <Panel
      title="Sessions"
      description={`${user.sessions.length} active ${user.sessions.length === 1 ? "session" : "sessions"}. Revoked sessions are signed out on their next click.`}
    >
      <ActionStatus
        result={result}
        success={result?.ok ? `Signed out of ${result.data.count} ${result.data.count === 1 ? "session" : "sessions"}.` : undefined}
      />
      {user.sessions.length ? (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {user.sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-0.5 px-3 py-2 text-sm">
              <span className="font-medium">{s.device}</span>
              <span className="text-xs text-slate-500 dark:text-slate-400">
                <span className="font-mono">{s.ip || "unknown IP"}</span> · active {timeAgo(s.lastSeenAt, now)}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <Note>Not signed in anywhere.</Note>
      )}
      {isSelf ? (
        <Note>Your own sessions are listed under Your account › Sessions.</Note>
      ) : user.sessions.length ? (
        <ConfirmForm
          fields={{ userId: user.id }}
          trigger="Sign out everywhere"
          confirm="Revoke all sessions"
          question={`${user.name} is signed out on every device at their next click. They can sign in again.`}
          run={run}
          pending={pending}
        />
      ) : null}
      {stepUpDialog}
    </Panel>
  );
}

export function AccessPanel({ user, isSelf }: Props) {
  const reset = useGuardedAction(resetMfaAction);
  const deactivate = useGuardedAction(deactivateUserAction);
  const reactivate = useGuardedAction(reactivateUserAction);

  if (isSelf) {
    return (
      <Panel title="Access">
        <Note>
          You cannot deactivate your own account or reset your own MFA here: either would lock you out. Another
          administrator can.
        </Note>
      </Panel>
    );
  }

  return (
    <Panel title="Access" description="For a lost authenticator, a suspected compromise, or someone who has left.">
      {reset.result?.ok ? (
        <SetupLinkPanel name={user.name} email={user.email} link={reset.result.data.setupLink} expiresAt={reset.result.data.expiresAt} />
      ) : (
        <ActionStatus result={reset.result} />
      )}
      <ActionStatus result={deactivate.result} success={deactivate.result?.ok ? `${user.name} is deactivated and signed out everywhere.` : undefined} />
      <ActionStatus result={reactivate.result} success={reactivate.result?.ok ? `${user.name} can sign in again.` : undefined} />
      {user.active ? (
        <>
          <div className="space-y-2">
            <h4 className="text-sm font-medium">Reset MFA</h4>
            <Note>
              Removes their authenticator, recovery codes and password, signs them out everywhere, and gives you a new
              setup link. With it they choose a new password and enrol again.
            </Note>
            <ConfirmForm
              fields={{ userId: user.id }}
              trigger="Reset MFA"
              confirm="Reset MFA and sign out"
              question={`${user.name} cannot sign in again until they use the new setup link.`}
              run={reset.run}
              pending={reset.pending}
            />
          </div>
          <div className="space-y-2 border-t border-slate-200 pt-3 dark:border-slate-800">
            <h4 className="text-sm font-medium">Deactivate</h4>
            <Note>Signs them out everywhere and refuses every sign-in until reactivated. Their history stays.</Note>
            <ConfirmForm
              fields={{ userId: user.id }}
              trigger="Deactivate account"
              confirm="Deactivate"
              question={`${user.name} loses access at their next click.`}
              run={deactivate.run}
              pending={deactivate.pending}
            />
          </div>
        </>
      ) : (
        <div className="space-y-2">
          <Note>This account is deactivated: it cannot sign in.</Note>
          <ConfirmForm
            fields={{ userId: user.id }}
            trigger="Reactivate account"
            confirm="Reactivate"
            question={`${user.name} can sign in again with their existing password and authenticator.`}
            danger={false}
            run={reactivate.run}
            pending={reactivate.pending}
          />
        </div>
      )}
      {reset.stepUpDialog}
      {deactivate.stepUpDialog}
      {reactivate.stepUpDialog}
    </Panel>
  );
}
