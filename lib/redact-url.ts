/** A URL safe to print: its password replaced by ***. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return raw.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
  }
}
