import { redirect } from "next/navigation";

// Who is on call is the first thing people come here for.
export default function OncallPage() {
  redirect("/oncall/schedules");
}
