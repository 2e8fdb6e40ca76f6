import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { CreateUserForm } from "@/components/admin/create-user-form";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "Add user" };

export default async function NewUserPage() {
  await requirePermission("user.manage");
  return (
    <div className="max-w-3xl space-y-4">
      <Link href="/admin" className="inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        <ArrowLeft aria-hidden="true" className="h-4 w-4" />
        All users
      </Link>
      <Card title="Add a user">
        <CreateUserForm />
      </Card>
    </div>
  );
}
