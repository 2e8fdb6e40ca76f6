import { defineHandler } from "@/lib/api/define-handler";
import { listServices } from "@/lib/services/queries";

export const GET = defineHandler({ name: "api.services.list", permission: "service.read" }, async () => ({
  services: await listServices(),
}));
