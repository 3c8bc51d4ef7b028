"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { getProviders, signIn } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { Field, inputClass } from "@/components/ui/field";
import { retryAfterFromError } from "@/lib/auth/login-response";

/** next-auth error codes → what the person should read. Unknown codes get a generic message. */
function errorMessage(code: string): string {
  const wait = retryAfterFromError(code);
  if (wait !== undefined) return `Too many failed sign-in attempts. Try again in ${wait} s.`;
  switch (code) {
    case "CredentialsSignin":
      return "Incorrect email, password or organization. Check them and try again.";
    case "RateLimited":
      return "Too many sign-in attempts. Wait a few minutes before trying again.";
    case "AccessDenied":
      return "Your single sign-on account is not a member of any organization here.";
    case "EmailNotVerified":
      return "Your single sign-on provider has not verified your e-mail address. Verify it there, then try again.";
    case "OAuthSignin":
    case "OAuthCallback":
    case "Callback":
      return "Single sign-on failed. Try again, or sign in with your email and password.";
    case "SessionRequired":
      return "Please sign in to continue.";
    default:
      return "Sign-in failed. Try again.";
  }
}

/** Only same-origin destinations; anything else (or nothing) goes to the overview. */
function safeDestination(raw: string | undefined): string {
  if (!raw) return "/";
  try {
    const url = new URL(raw, window.location.origin);
    if (url.origin !== window.location.origin || url.pathname.startsWith("/login")) return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}

export function LoginForm({ callbackUrl, initialError }: { callbackUrl?: string; initialError?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError ? errorMessage(initialError) : null);
  const [pending, setPending] = useState(false);
  const [sso, setSso] = useState<{ id: string; name: string } | null>(null);

  useEffect(() => {
    let cancelled = false;
    getProviders()
      .then((providers) => {
        const oidc = providers?.oidc;
        if (!cancelled && oidc) setSso({ id: oidc.id, name: oidc.name });
      })
      .catch(() => {
        /* No provider list: show the password form only. */
      });
    return () => {
      cancelled = true;
    };
  }, []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const org = String(fd.get("org") ?? "").trim();
    setPending(true);
    setError(null);
    try {
      const res = await signIn("credentials", {
        redirect: false,
        email: String(fd.get("email") ?? ""),
        password: String(fd.get("password") ?? ""),
        ...(org ? { org } : {}),
      });
      if (!res || res.error || !res.ok) {
        setError(errorMessage(res?.error ?? "CredentialsSignin"));
        setPending(false);
        return;
      }
      router.replace(safeDestination(callbackUrl));
      router.refresh();
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      {error ? (
        <Alert tone="error" role="alert">
          {error}
        </Alert>
      ) : null}
      <form onSubmit={onSubmit} className="space-y-3" noValidate={false}>
        <Field id="email" label="Email">
          <input id="email" name="email" type="email" autoComplete="username" required className={inputClass} />
        </Field>
        <Field id="password" label="Password">
          <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
        </Field>
        <Field id="org" label="Organization (optional)" hint="The organization's slug, e.g. “demo”. Leave empty to use your first one.">
          <input id="org" name="org" type="text" autoComplete="organization" aria-describedby="org-hint" className={inputClass} />
        </Field>
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {sso ? (
        <>
          <div className="flex items-center gap-3 text-xs text-slate-500" aria-hidden="true">
            <span className="h-px flex-1 bg-slate-200" />
            or
            <span className="h-px flex-1 bg-slate-200" />
          </div>
          <Button
            variant="secondary"
            className="w-full"
            disabled={pending}
            onClick={() => {
              setPending(true);
              void signIn(sso.id, { callbackUrl: safeDestination(callbackUrl) });
            }}
          >
            Sign in with single sign-on
          </Button>
        </>
      ) : null}
    </div>
  );
}
