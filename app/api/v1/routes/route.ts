import { json, route } from "@/lib/http/route";
import { createRoute, listRoutes } from "@/lib/oncall/manage-routes";
import { ZRouteInput } from "@/lib/oncall/schemas";

export const GET = route({ name: "/api/v1/routes", permission: "oncall.read" }, async ({ actor }) => ({ routes: await listRoutes({ actor }) }));

export const POST = route({ name: "/api/v1/routes", permission: "oncall.manage", body: ZRouteInput }, async ({ actor, body }) => json(await createRoute({ actor, input: body }), 201));
