import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/get-actor";
import { can } from "@/lib/authz/assert-can";
import { listChannelNames, listChannels } from "@/lib/oncall/manage-channels";
import { PageHeader, Section } from "@/components/page-header";
import { DataTable, EmptyState, TBody, THead, Td, Th, Tr } from "@/components/data-table";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { ActionButton } from "../_components/action-button";
import { ReadOnlyNote } from "../_components/read-only-note";
import { ChannelForm } from "./_components/channel-form";
import { CHANNEL_TYPE_NAMES, destinationText } from "./_lib/channel-input";
import { deleteChannelAction, setChannelEnabledAction } from "./actions";

export const metadata: Metadata = { title: "Notification channels" };

export default async function ChannelsPage() {
  const actor = await getSessionActor();
  if (!actor) redirect("/login");
  if (!can(actor, "oncall.manage")) {
    const names = await listChannelNames({ actor });
    return (
      <>
        <PageHeader title="Notification channels" description="Where escalation steps send notifications." />
        <ReadOnlyNote>Only admins see a channel&apos;s settings or change channels: they hold credentials (bot tokens, webhook URLs, signing secrets). Here are their names, as escalation policies show them.</ReadOnlyNote>
        {names.length === 0 ? (
          <EmptyState>No channels.</EmptyState>
        ) : (
          <DataTable caption="Notification channels">
            <THead>
              <Th>Name</Th>
              <Th>Type</Th>
              <Th>State</Th>
            </THead>
            <TBody>
              {names.map((c) => (
                <Tr key={c.id}>
                  <Td className="font-medium">{c.name}</Td>
                  <Td>{CHANNEL_TYPE_NAMES[c.type]}</Td>
                  <Td>{c.enabled ? <Badge tone="good">Enabled</Badge> : <Badge>Disabled</Badge>}</Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </>
    );
  }
  const channels = await listChannels({ actor });
  return (
    <>
      <PageHeader title="Notification channels" description="Where escalation steps send notifications. Credentials are stored encrypted and never shown again." />
      <Section title="Channels" id="channels">
        {channels.length === 0 ? (
          <EmptyState>No channels yet. Create one below.</EmptyState>
        ) : (
          <DataTable caption="Notification channels">
            <THead>
              <Th>Name</Th>
              <Th>Type</Th>
              <Th>Sends to</Th>
              <Th>Credentials</Th>
              <Th>State</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </THead>
            <TBody>
              {channels.map((c) => (
                <Tr key={c.id}>
                  <Td id={`channel-${c.id}`} className="font-medium">
                    {c.name}
                  </Td>
                  <Td className="text-xs">{CHANNEL_TYPE_NAMES[c.type]}</Td>
                  <Td className="max-w-xs truncate text-xs" title={destinationText(c.type, c.config)}>
                    {destinationText(c.type, c.config)}
                  </Td>
                  <Td className="text-xs">{c.credentials === null ? <span className="text-red-700">unreadable: save them again</span> : c.credentials.length ? c.credentials.join(", ") : "—"}</Td>
                  <Td>{c.enabled ? <Badge tone="good">Enabled</Badge> : <Badge>Disabled</Badge>}</Td>
                  <Td>
                    <div className="flex flex-wrap items-center justify-end gap-1">
                      <Link href={`/oncall/channels/${c.id}`} className={buttonClass("secondary", "sm")} aria-describedby={`channel-${c.id}`}>
                        Edit
                      </Link>
                      <ActionButton action={setChannelEnabledAction} fields={{ id: c.id, enabled: String(!c.enabled) }} label={c.enabled ? "Disable" : "Enable"} describedBy={`channel-${c.id}`} />
                      <ActionButton action={deleteChannelAction} fields={{ id: c.id }} label="Delete" variant="danger" pendingText="Deleting…" describedBy={`channel-${c.id}`} confirm={`Delete channel "${c.name}"?`} />
                    </div>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </DataTable>
        )}
      </Section>
      <Section title="New channel" id="new-channel">
        <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <ChannelForm initial={{ name: "", type: "webhook", enabled: true, config: {}, credentials: [] }} />
        </div>
      </Section>
    </>
  );
}
