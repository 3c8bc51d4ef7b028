import type { Metadata } from "next";
import Link from "next/link";
import { getSessionActor } from "@/lib/auth/get-actor";
import { previewInvitation } from "@/lib/users/invitations";
import { AppError } from "@/lib/errors";
import { AcceptForm } from "./accept-form";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: Awaited<ReturnType<typeof previewInvitation>> | null = null;
  let problem: string | null = null;
  try {
    invitation = await previewInvitation(token);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problem = err.message;
  }
  const session = invitation ? await getSessionActor() : null;
  const wrongAccount = session && invitation && session.email.toLowerCase() !== invitation.email;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="mb-4 text-lg font-semibold text-slate-900">Invitation to NeuralOps</h1>
        {problem || !invitation ? (
          <p className="text-sm text-slate-700">
            {problem} <Link href="/login" className="font-medium text-indigo-700 hover:underline">Sign in</Link>
          </p>
        ) : wrongAccount ? (
          <p className="text-sm text-slate-700">
            This invitation is for <strong>{invitation.email}</strong>, and you are signed in as {session.email}. Sign out, then open this link again.
          </p>
        ) : (
          <div className="space-y-4">
            <p className="text-sm text-slate-700">
              <strong>{invitation.email}</strong> is invited to join <strong>{invitation.orgName}</strong> as <strong>{invitation.role}</strong>.
            </p>
            <AcceptForm token={token} email={invitation.email} orgSlug={invitation.orgSlug} signedIn={Boolean(session)} />
          </div>
        )}
      </div>
    </main>
  );
}
