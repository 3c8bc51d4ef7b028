import { NotFoundMessage } from "@/components/not-found-message";

export default function NotFound() {
  return <NotFoundMessage what="Run" backHref="/runs" backLabel="All runs" />;
}
