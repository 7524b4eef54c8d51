/// Continuous intake (issue 20): the inbox `omsync watch DIR` imports from (files appearing,
/// stable, moved to `done/` or `failed/` after their run; `Inbox`, `InboxSignal`) and the
/// Ordermentum webhook receiver that writes each delivery durably into that inbox before
/// answering. docs/intake.md.
public enum Intake {}
