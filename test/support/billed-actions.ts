// Temporal Cloud's billed actions read off workflow histories, by the rules of its Actions page
// (https://docs.temporal.io/cloud/actions, read 2026-12): a start (continue-as-new included), each
// activity attempt, all local activities of one workflow task as one, each signal (counted where it is
// sent: a client's signal in the receiving history, a workflow's where it is initiated), each accepted
// update, each timer, each child start, each search-attribute upsert except the SDK's
// TemporalChangeVersion (patches) and those set at start. Heartbeats and queries do not show in
// histories and are left out.
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface BilledActions {
  total: number;
  byKind: Record<string, number>;
}

export function billedActions(events: HistoryEvent[]): BilledActions {
  const byKind: Record<string, number> = {};
  const add = (kind: string, n = 1) => (byKind[kind] = (byKind[kind] ?? 0) + n);
  const localActivityTasks = new Set<string>();
  for (const e of events) {
    if (e.workflowExecutionStartedEventAttributes) add('start');
    if (e.activityTaskStartedEventAttributes)
      add('activity', e.activityTaskStartedEventAttributes.attempt ?? 1);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      localActivityTasks.add(String(marker.workflowTaskCompletedEventId ?? e.eventId));
    }
    // From a client (no sending workflow): billed here. A workflow's signal is billed where it was sent.
    const signaled = e.workflowExecutionSignaledEventAttributes;
    if (signaled && !signaled.externalWorkflowExecution) add('signal');
    if (e.signalExternalWorkflowExecutionInitiatedEventAttributes) add('signal');
    if (e.workflowExecutionUpdateAcceptedEventAttributes) add('update');
    if (e.timerStartedEventAttributes) add('timer');
    if (e.startChildWorkflowExecutionInitiatedEventAttributes) add('child', 2);
    const upsert = e.upsertWorkflowSearchAttributesEventAttributes;
    if (upsert) {
      const keys = Object.keys(upsert.searchAttributes?.indexedFields ?? {});
      if (keys.some((k) => k !== 'TemporalChangeVersion')) add('upsert');
    }
  }
  if (localActivityTasks.size > 0) add('localActivities', localActivityTasks.size);
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
}
