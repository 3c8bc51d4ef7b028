import { NotFoundMessage } from "@/components/not-found-message";

export default function NotFound() {
  return <NotFoundMessage what="Notification channel" backHref="/oncall/channels" backLabel="All channels" />;
}
