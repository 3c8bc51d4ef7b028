// The pages' Content-Security-Policy, built per request with a fresh nonce by proxy.ts. Next reads the nonce back
// from the request's CSP header and puts it on the inline scripts a production page needs (bootstrap and RSC
// payload), so no inline script without it runs: an injected <script> or on*= handler is refused.
// API routes answer JSON and files, not pages; they get the static headers of next.config.js only.

export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

export function contentSecurityPolicy({ nonce, dev }: { nonce: string; dev: boolean }): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': the chunks Next's nonced scripts load are trusted; 'self' serves browsers without CSP3.
    // `next dev` evaluates modules (React Refresh), production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // style="" attributes rendered on the server (chart sizes, progress bars) need 'unsafe-inline' for styles;
    // scripts never get it.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}
