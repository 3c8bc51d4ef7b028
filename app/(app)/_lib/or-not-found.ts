// lib answers a record this actor cannot see with AppError("not_found"); pages show Next's 404 for it
// and let every other error reach the error boundary.
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

export async function orNotFound<T>(loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}
