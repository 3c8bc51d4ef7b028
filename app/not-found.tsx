import { NotFoundMessage } from "@/components/not-found-message";

export default function NotFound() {
  // Outside the app's layout (no sidebar): a URL that matches no route at all.
  return (
    <main className="px-4">
      <NotFoundMessage what="Page" backHref="/" backLabel="Overview" />
    </main>
  );
}
