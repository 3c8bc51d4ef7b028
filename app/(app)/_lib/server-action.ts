// The one way app/(app)/**/actions.ts are written: the session decides who acts, the listed form fields are
// read once, the handler does the work, and whatever it throws becomes an ActionError the form can show.
// Next's own control-flow throws (redirect, notFound) pass through untouched.
import { unstable_rethrow } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { formValues, notSignedIn, toActionError, type ActionError, type ActionResult } from "./action-result";

export type FormValues = Record<string, string | undefined>;
export type SessionActor = NonNullable<Awaited<ReturnType<typeof getSessionActor>>>;
export type ActionContext = { actor: SessionActor; formData: FormData; values: FormValues };

export type ServerActionOptions = {
  /** Field names read into `values` (blank → undefined), or a reader for forms whose names vary. */
  fields?: readonly string[] | ((formData: FormData) => FormValues);
  /**
   * What an error sends back so the form can show it again: `true` for all of `values`, or a pick.
   * Nothing by default, so a credential is echoed only if someone writes it here.
   */
  echo?: true | ((values: FormValues) => FormValues | undefined);
  /** Replaces toActionError, e.g. for forms whose errors sit on nested inputs. Gets what `echo` chose. */
  onError?: (err: unknown, echo: FormValues | undefined) => ActionError;
};

/**
 * A form action for useActionState: `{ ok: true, ...what the handler returned }`, or an ActionError.
 * Written as `export const xAction = serverAction(...)` in a "use server" file: the value is an async function.
 */
export function serverAction<T extends object = object>(
  handler: (ctx: ActionContext) => Promise<T | void>,
  opts: ServerActionOptions = {},
): (prev: ActionResult<T>, formData: FormData) => Promise<ActionResult<T>> {
  return async (_prev, formData) => {
    const actor = await getSessionActor();
    if (!actor) return notSignedIn;
    const values = typeof opts.fields === "function" ? opts.fields(formData) : formValues(formData, opts.fields ?? []);
    try {
      const result = await handler({ actor, formData, values });
      return { ok: true, ...result } as { ok: true } & T;
    } catch (err) {
      unstable_rethrow(err);
      const echo = opts.echo === true ? values : opts.echo?.(values);
      return (opts.onError ?? toActionError)(err, echo);
    }
  };
}
