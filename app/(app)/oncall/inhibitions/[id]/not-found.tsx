import { NotFoundMessage } from "@/components/not-found-message";

export default function NotFound() {
  return <NotFoundMessage what="Inhibition rule" backHref="/oncall/inhibitions" backLabel="All inhibition rules" />;
}
