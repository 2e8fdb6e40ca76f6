import { db } from "../db/client.ts";

export type ServiceRow = {
  id: string;
  name: string;
  environment: "PRODUCTION" | "STAGING";
  ownerTeam: string;
  tier: number;
  description: string;
};

export function listServices(): Promise<ServiceRow[]> {
  return db.service.findMany({
    select: { id: true, name: true, environment: true, ownerTeam: true, tier: true, description: true },
    orderBy: [{ tier: "asc" }, { name: "asc" }, { environment: "asc" }],
  });
}
