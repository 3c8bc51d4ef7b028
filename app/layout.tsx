import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

// Every page renders per request: its inline scripts carry that request's CSP nonce (proxy.ts). A page
// prerendered at build time would have scripts without it, which the browser refuses.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "NeuralOps", template: "%s · NeuralOps" },
  description: "NeuralOps operations console",
  manifest: "/site.webmanifest",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
