import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { loginRefusalStatus } from "@/lib/auth/login-response";

const handler = NextAuth(authOptions);

type Context = { params: Promise<{ nextauth: string[] }> };
// A throttled sign-in answers 429 with Retry-After instead of next-auth's generic 401.
const POST = async (req: Request, ctx: Context) => loginRefusalStatus(await handler(req, ctx));

export { handler as GET, POST };
