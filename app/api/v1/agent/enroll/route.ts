import { route } from "@/lib/http/route";
import { enrollAgent } from "@/lib/agents/enroll";
import { ZEnrollRequest } from "@/lib/agents/protocol";

// Called by the agent on its first start; the one-time bootstrap token in the body is the credential.
export const POST = route({ name: "/api/v1/agent/enroll", auth: false, body: ZEnrollRequest }, ({ body, meta }) => enrollAgent(body, meta));
