import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  // Already signed in (with a live membership): nothing to do here.
  if (await getSessionActor()) redirect("/");
  const sp = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-lg font-semibold tracking-tight text-slate-900">
          <span className="text-indigo-600" aria-hidden="true">
            ◆{" "}
          </span>
          NeuralOps
        </p>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-4 text-lg font-semibold text-slate-900">Sign in</h1>
          <LoginForm callbackUrl={first(sp.callbackUrl)} initialError={first(sp.error)} />
        </div>
      </div>
    </main>
  );
}
