import { NotFoundMessage } from "@/components/not-found-message";

export default function NotFound() {
  return <NotFoundMessage what="Monitor" backHref="/monitors" backLabel="All monitors" />;
}
