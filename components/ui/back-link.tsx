import Link from "next/link";

/** The way up from a detail page to its list, above the page header. */
export function BackLink({ href, children }: { href: string; children: string }) {
  return (
    <p className="mb-2 text-sm">
      <Link href={href} className="font-medium text-indigo-700 hover:underline">
        {`← ${children}`}
      </Link>
    </p>
  );
}
