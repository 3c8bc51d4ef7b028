import { NotFoundMessage } from "@/components/not-found-message";

export default function NotFound() {
  return <NotFoundMessage what="Escalation policy" backHref="/oncall/policies" backLabel="All escalation policies" />;
}
