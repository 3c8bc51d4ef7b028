import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { notFound, redirect } from "next/navigation";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import { AppError } from "@/lib/errors";
import { InvalidFields, toActionError } from "./action-result";
import { serverAction, type SessionActor } from "./server-action";

// The session is the one outside input the wrapper reads; everything else is the code under test.
const session = vi.hoisted(() => ({ actor: null as SessionActor | null }));
vi.mock("@/lib/auth/get-actor", () => ({ getSessionActor: async () => session.actor }));

const alice: SessionActor = {
  type: "user",
  id: "00000000-0000-4000-8000-000000000001",
  userId: "00000000-0000-4000-8000-000000000001",
  orgId: "00000000-0000-4000-8000-0000000000aa",
  role: "admin",
  label: "alice@example.com",
  email: "alice@example.com",
  name: "Alice",
  orgSlug: "acme",
};

function form(entries: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(entries)) fd.append(k, v);
  return fd;
}

const ZName = z.object({ name: z.string().min(3, "at least 3 characters") });

describe("serverAction", () => {
  let errorLog: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    session.actor = alice;
    errorLog = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => errorLog.mockRestore());

  it("refuses without a session and never runs the handler", async () => {
    session.actor = null;
    const handler = vi.fn(async () => ({ done: true }));
    const result = await serverAction(handler)(null, form({}));
    expect(result).toEqual({ ok: false, error: "Not signed in" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("gives the handler the actor, the form and the listed fields (blank ones undefined), and spreads its result after ok", async () => {
    const action = serverAction(async ({ actor, values, formData }) => ({ who: actor.email, values, raw: formData.get("other") }), { fields: ["name", "note"] });
    const result = await action(null, form({ name: "db-1", note: "  ", other: "x" }));
    expect(result).toEqual({ ok: true, who: "alice@example.com", values: { name: "db-1", note: undefined }, raw: "x" });
  });

  it("returns { ok: true } when the handler returns nothing", async () => {
    expect(await serverAction(async () => {})(null, form({}))).toEqual({ ok: true });
  });

  it("reads fields with a custom reader when names vary", async () => {
    const action = serverAction(async ({ values }) => ({ values }), { fields: (fd) => ({ count: String([...fd.keys()].length) }) });
    expect(await action(null, form({ a: "1", b: "2" }))).toEqual({ ok: true, values: { count: "2" } });
  });

  it("turns a zod error into field errors and echoes the values only when asked", async () => {
    const handler = async ({ values }: { values: Record<string, string | undefined> }) => {
      ZName.parse(values);
    };
    const quiet = await serverAction(handler, { fields: ["name"] })(null, form({ name: "ab" }));
    expect(quiet).toEqual({ ok: false, error: "Check the highlighted fields.", fieldErrors: { name: ["at least 3 characters"] } });
    const echoed = await serverAction(handler, { fields: ["name"], echo: true })(null, form({ name: "ab" }));
    expect(echoed).toEqual({ ok: false, error: "Check the highlighted fields.", fieldErrors: { name: ["at least 3 characters"] }, values: { name: "ab" } });
  });

  it("echoes only what the echo function picks (a secret typed into the form stays on the server)", async () => {
    const action = serverAction(
      async () => {
        throw new AppError("conflict", "name already taken");
      },
      { fields: ["name", "secret"], echo: (v) => ({ name: v.name }) },
    );
    const result = await action(null, form({ name: "db-1", secret: "hunter2" }));
    expect(result).toEqual({ ok: false, error: "Name already taken", values: { name: "db-1" } });
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });

  it("shows an AppError's message and its detail paths as field errors", async () => {
    const action = serverAction(async () => {
      throw new AppError("validation_failed", "invalid start", [{ path: ["startsAt"], message: "not a date" }]);
    });
    expect(await action(null, form({}))).toEqual({ ok: false, error: "Invalid start", fieldErrors: { startsAt: ["not a date"] } });
  });

  it("maps InvalidFields (a form's own checks) like a zod error", async () => {
    const action = serverAction(
      async () => {
        throw new InvalidFields({ detector: ["Enter a JSON object."] });
      },
      { fields: ["detector"], echo: true },
    );
    expect(await action(null, form({ detector: "[]" }))).toEqual({ ok: false, error: "Check the highlighted fields.", fieldErrors: { detector: ["Enter a JSON object."] }, values: { detector: "[]" } });
  });

  it("hides an unexpected error behind a generic message and logs it", async () => {
    const action = serverAction(async () => {
      throw new Error("connection reset by peer");
    });
    const result = await action(null, form({}));
    expect(result).toEqual({ ok: false, error: "Something went wrong. Try again." });
    expect(errorLog).toHaveBeenCalledTimes(1);
    expect(String(errorLog.mock.calls[0]![0])).toContain("connection reset by peer");
  });

  it("uses a custom onError with the echoed values", async () => {
    const onError = vi.fn((err: unknown, echo: Record<string, string | undefined> | undefined) => ({ ...toActionError(err, echo), error: "custom" }));
    const action = serverAction(
      async () => {
        throw new AppError("conflict", "nope");
      },
      { fields: ["reason", "token"], echo: (v) => ({ reason: v.reason }), onError },
    );
    expect(await action(null, form({ reason: "why", token: "t" }))).toEqual({ ok: false, error: "custom", values: { reason: "why" } });
    expect(onError).toHaveBeenCalledWith(expect.any(AppError), { reason: "why" });
  });

  it("rethrows Next's redirect and notFound instead of reporting them as errors", async () => {
    const redirecting = serverAction(async () => {
      redirect("/runs/42");
    });
    const thrown = await redirecting(null, form({})).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isRedirectError(thrown)).toBe(true);
    expect((thrown as { digest: string }).digest).toContain("/runs/42");

    const missing = serverAction(async () => {
      notFound();
    });
    await expect(missing(null, form({}))).rejects.toMatchObject({ digest: expect.stringContaining("NEXT_HTTP_ERROR_FALLBACK;404") });
    expect(errorLog).not.toHaveBeenCalled();
  });
});
