// Notification channel contract, drafted while shaping the notification spec
// (agentops/product-dev/specs/2025-11-08-notification-system/). The senders,
// preferences and delivery queue are not written yet: tasks come next.

export type NotificationChannel = "email" | "in_app";

export type NotificationKind =
  | "security.new_login"
  | "billing.payment_succeeded"
  | "billing.payment_failed"
  | "booking.reminder";

export interface Notification {
  kind: NotificationKind;
  userId: string;
  channel: NotificationChannel;
  /** Template variables; templates live beside the senders. */
  data: Record<string, string>;
  /** Same key, same notification: lets webhook retries enqueue safely. */
  dedupeKey: string;
}

/** Security notices cannot be turned off; every other kind can. */
export const MANDATORY_KINDS: ReadonlySet<NotificationKind> = new Set(["security.new_login"]);
