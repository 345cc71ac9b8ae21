// Where the task layer sends events. The shim's publisher implements it;
// tests use a recording one. Values are already-encoded protobuf messages.
export interface EventSink {
  publish(topic: string, typeUrl: string, value: Uint8Array): void;
}

export const TOPICS = {
  create: '/tasks/create',
  start: '/tasks/start',
  exit: '/tasks/exit',
  delete: '/tasks/delete',
} as const;
