import Link from "next/link";

/**
 * A 404 that says what was looked for and where to go instead. A record of another organization reads the
 * same as one that does not exist (lib answers not_found for both), so this never says which it was.
 */
export function NotFoundMessage({ what, backHref, backLabel }: { what: string; backHref: string; backLabel: string }) {
  return (
    <div className="mx-auto max-w-xl py-10" data-testid="not-found">
      <p className="text-sm font-semibold text-slate-500">404</p>
      <h1 className="mt-1 text-xl font-semibold tracking-tight text-slate-900">{what} not found</h1>
      <p className="mt-2 text-sm text-slate-600">It does not exist, was deleted, or belongs to another organization.</p>
      <p className="mt-4 text-sm">
        <Link href={backHref} className="font-medium text-indigo-700 hover:underline">
          {`← ${backLabel}`}
        </Link>
      </p>
    </div>
  );
}
