import type { Metadata } from "next";
import { previewActionLink } from "@/lib/oncall/action-links";
import { AppError } from "@/lib/errors";
import { Time } from "@/components/time";
import { ActForm } from "./act-form";

// No referrer: the link's token must not travel to the incident page or anywhere else.
export const metadata: Metadata = { title: "Acknowledge incident", referrer: "no-referrer", robots: { index: false, follow: false } };

// Opened from an email, Teams or webhook notification, without a session. Showing the page changes
// nothing (mail scanners and link previews fetch it); only the button's POST acknowledges.
export default async function ActPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let link: Awaited<ReturnType<typeof previewActionLink>> | null = null;
  let problem: string | null = null;
  try {
    link = await previewActionLink(token);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problem = err.message;
  }
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="mb-4 text-lg font-semibold text-slate-900">Acknowledge incident</h1>
        {!link ? (
          <p className="text-sm text-slate-700">{problem}</p>
        ) : (
          <div className="space-y-4">
            <p className="text-sm text-slate-700">
              <strong>{link.incident.title}</strong> ({link.incident.severity}, {link.incident.status}
              {link.incident.acknowledgedBy ? ` by ${link.incident.acknowledgedBy}` : ""}) in {link.org}.
            </p>
            {link.incident.status === "open" ? (
              <>
                <p className="text-sm text-slate-700">
                  Acknowledging stops its escalation and is recorded as <strong>{link.as.email}</strong> (from the {link.via} notification). This link works once, until{" "}
                  <Time value={link.expiresAt} />.
                </p>
                <ActForm token={token} incidentUrl={link.incident.url} />
              </>
            ) : (
              <p className="text-sm text-slate-700">There is nothing to acknowledge any more.</p>
            )}
            <p className="text-xs text-slate-600">
              <a className="font-medium text-indigo-700 hover:underline" href={link.incident.url} rel="noreferrer">
                Open the incident in NeuralOps
              </a>{" "}
              (sign-in required).
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
