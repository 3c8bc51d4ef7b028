// Dark mode follows the system; the sidebar folds behind a Menu button on a narrow screen.
import { expect, test, type Page } from "@playwright/test";
import { login } from "../fixtures";

/** Relative luminance (0 black .. 1 white) of an element's computed background colour. */
async function backgroundLuminance(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    // Resolve whatever the browser computed (oklch, rgb) to sRGB through a 1×1 canvas.
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.fillStyle = getComputedStyle(el).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = [...ctx.getImageData(0, 0, 1, 1).data].map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  }, selector);
}

test("dark mode follows the system colour scheme", async ({ page }) => {
  // The sign-in page: same stylesheet as the app, and no sign-in needed (the first one on a cold server is slow).
  await page.goto("/login");
  await page.emulateMedia({ colorScheme: "light" });
  expect(await backgroundLuminance(page, "body")).toBeGreaterThan(0.8);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await backgroundLuminance(page, "body")).toBeLessThan(0.05);
  // Cards turn dark too, and text stays readable: light on dark.
  expect(await backgroundLuminance(page, "main .rounded-lg")).toBeLessThan(0.05);
  const heading = await page.evaluate(() => getComputedStyle(document.querySelector("h1")!).color);
  expect(heading).not.toBe("rgb(15, 23, 42)");
  // The primary button keeps white text on its accent colour.
  expect(await page.getByRole("button", { name: "Sign in" }).evaluate((b) => getComputedStyle(b).color)).toBe("rgb(255, 255, 255)");
});

test("on a narrow screen the sidebar folds behind a Menu button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await login(page, "viewer");
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = nav.getByRole("button", { name: "Menu" });
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Incidents" })).toBeHidden();
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await nav.getByRole("link", { name: "Incidents" }).click();
  await expect(page).toHaveURL(/\/incidents$/);
  // Folded again after navigating.
  await expect(nav.getByRole("link", { name: "Incidents" })).toBeHidden();

  // Wide again: the links are simply there, no Menu button.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(menu).toBeHidden();
  await expect(nav.getByRole("link", { name: "Incidents" })).toBeVisible();
});
