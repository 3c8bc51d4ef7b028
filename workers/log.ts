export { log } from "@/lib/log";
