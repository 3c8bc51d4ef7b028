import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { AppError } from "@/lib/errors";
import { previewSlackLink } from "@/lib/oncall/slack-link";
import { LinkSlackForm } from "./link-slack-form";

export const metadata: Metadata = { title: "Link your Slack account", referrer: "no-referrer" };

// Opened from the private Slack reply a member gets when they press a notification's button before
// linking. Signed in (the proxy sends others to the login page and back here); confirming links.
export default async function LinkSlackPage({ params }: { params: Promise<{ token: string }> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  const { token } = await params;
  let link: Awaited<ReturnType<typeof previewSlackLink>> | null = null;
  let problem: string | null = null;
  try {
    link = await previewSlackLink({ actor, token });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problem = err.message;
  }
  const slackName = link ? (link.slack.userName ? `@${link.slack.userName} (${link.slack.userId})` : link.slack.userId) : "";
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-lg font-semibold text-slate-900">Link your Slack account</h1>
      {!link ? (
        <p className="text-sm text-slate-700">{problem}</p>
      ) : !link.sameOrg ? (
        <p className="text-sm text-slate-700">
          This link is for the organization <strong>{link.org.name}</strong>. Sign in to it (choose {link.org.slug} at sign-in), then open the link again.
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-700">
            The Slack member <strong>{slackName}</strong> of workspace {link.slack.teamId} asked to act in NeuralOps
            {link.channel ? ` from the notifications of channel ${link.channel}` : ""}.
          </p>
          <p className="text-sm text-slate-700">
            If you confirm, their buttons in Slack (acknowledge, resolve, silence, approve, reject) act as <strong>{actor.email}</strong> in {link.org.name}, with your
            role. Confirm only if that Slack member is you.
          </p>
          <LinkSlackForm token={token} />
        </>
      )}
    </div>
  );
}
