"use client";

import { useFormStatus } from "react-dom";
import type { ReactNode } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";

/** A submit button that disables itself while its form's action is running. */
export function SubmitButton({
  children,
  pendingText,
  variant,
  size,
  className,
  "aria-label": ariaLabel,
  "aria-describedby": ariaDescribedBy,
}: {
  children: ReactNode;
  pendingText?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
  "aria-label"?: string;
  "aria-describedby"?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} size={size} className={className} disabled={pending} aria-disabled={pending} aria-label={ariaLabel} aria-describedby={ariaDescribedBy}>
      {pending && pendingText ? pendingText : children}
    </Button>
  );
}
