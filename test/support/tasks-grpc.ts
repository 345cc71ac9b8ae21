// A small client for containerd's own gRPC services (not the shim's ttrpc):
// containerd.services.tasks.v1.Tasks and containerd.services.containers.v1.Containers.
// Tests use it for what ctr 1.6 cannot do: Create-then-Start, Wait, Get with
// exit status, Update. The .proto files are read at run time with
// @grpc/proto-loader; test-only, the shim never loads this.
//
// containerd picks the namespace from gRPC metadata key `containerd-namespace`.
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The repo root, from dist/test/support or test/support. */
const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..');
// containerd's client-side services live with the tests (the shim never
// serves or calls them); the types they import come from proto/.
const PROTO_DIRS = [path.join(ROOT, 'test/proto'), path.join(ROOT, 'proto')];

export interface Timestamp { seconds: number; nanos: number }
export interface Any { type_url: string; value: Buffer }
export interface Mount { type: string; source: string; target?: string; options: string[] }

/** containerd.v1.types.Status, as its enum name. */
export type TaskStatus = 'UNKNOWN' | 'CREATED' | 'RUNNING' | 'STOPPED' | 'PAUSED' | 'PAUSING';

export interface Process {
  container_id: string; id: string; pid: number; status: TaskStatus;
  stdin: string; stdout: string; stderr: string; terminal: boolean;
  exit_status: number; exited_at: Timestamp | null;
}

export interface CreateTaskRequest {
  container_id: string; rootfs?: Mount[]; stdin?: string; stdout?: string; stderr?: string;
  terminal?: boolean; options?: Any; runtime_path?: string;
}

export interface Container {
  id: string; labels?: Record<string, string>; image?: string;
  runtime?: { name: string; options?: Any | null } | null;
  spec?: Any | null; snapshotter?: string; snapshot_key?: string;
  created_at?: Timestamp | null; updated_at?: Timestamp | null;
}

/** The type_url containerd uses for an OCI runtime spec stored as JSON in an Any. */
export const SPEC_TYPE_URL = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';
/** Likewise for an OCI LinuxResources (Tasks.Update) and an OCI Process (Tasks.Exec). */
export const RESOURCES_TYPE_URL = 'types.containerd.io/opencontainers/runtime-spec/1/LinuxResources';
export const PROCESS_TYPE_URL = 'types.containerd.io/opencontainers/runtime-spec/1/Process';

/** Wraps a JSON value in an Any, the way containerd's typeurl does for OCI types. */
export function jsonAny(typeUrl: string, value: unknown): Any {
  return { type_url: typeUrl, value: Buffer.from(JSON.stringify(value)) };
}

let loaded: grpc.GrpcObject | undefined;
function services(): grpc.GrpcObject {
  if (!loaded) {
    const def = protoLoader.loadSync(
      ['containerd/services/tasks/v1/tasks.proto', 'containerd/services/containers/v1/containers.proto'],
      { includeDirs: PROTO_DIRS, keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true },
    );
    loaded = grpc.loadPackageDefinition(def);
  }
  return loaded;
}

function serviceCtor(dotted: string): grpc.ServiceClientConstructor {
  let node: unknown = services();
  for (const part of dotted.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'function') throw new Error(`tasks-grpc: ${dotted} not found in test/proto/`);
  return node as grpc.ServiceClientConstructor;
}

type Method = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, res: unknown) => void) => grpc.ClientUnaryCall;

/** One unary call with the namespace header and a deadline. */
function unary<Res>(client: grpc.Client, namespace: string, method: string, req: unknown, timeoutMs: number): Promise<Res> {
  const md = new grpc.Metadata();
  md.set('containerd-namespace', namespace);
  const fn = (client as unknown as Record<string, Method>)[method];
  return new Promise((resolve, reject) => {
    fn.call(client, req, md, { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(Object.assign(new Error(`${method}: ${err.details || err.message}`), { code: err.code }));
      else resolve(res as Res);
    });
  });
}

export interface ContainerdClientOptions {
  /** containerd's gRPC socket path (not a URL). */
  address: string;
  namespace: string;
  /** Deadline of every call but Wait; default 30 s. */
  timeoutMs?: number;
}

/** Tasks and Containers clients sharing one channel to containerd. */
export class ContainerdClient {
  readonly namespace: string;
  private readonly tasksClient: grpc.Client;
  private readonly containersClient: grpc.Client;
  private readonly timeoutMs: number;

  constructor(opts: ContainerdClientOptions) {
    this.namespace = opts.namespace;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const target = `unix://${opts.address}`;
    const Tasks = serviceCtor('containerd.services.tasks.v1.Tasks');
    const Containers = serviceCtor('containerd.services.containers.v1.Containers');
    this.tasksClient = new Tasks(target, grpc.credentials.createInsecure());
    this.containersClient = new Containers(target, grpc.credentials.createInsecure(), {
      channelOverride: this.tasksClient.getChannel(),
    });
  }

  private task<Res>(method: string, req: unknown, timeoutMs = this.timeoutMs): Promise<Res> {
    return unary<Res>(this.tasksClient, this.namespace, method, req, timeoutMs);
  }
  private container<Res>(method: string, req: unknown): Promise<Res> {
    return unary<Res>(this.containersClient, this.namespace, method, req, this.timeoutMs);
  }

  // Tasks
  createTask(req: CreateTaskRequest): Promise<{ container_id: string; pid: number }> {
    return this.task('Create', req);
  }
  startTask(containerId: string, execId = ''): Promise<{ pid: number }> {
    return this.task('Start', { container_id: containerId, exec_id: execId });
  }
  getTask(containerId: string, execId = ''): Promise<Process> {
    return this.task<{ process: Process }>('Get', { container_id: containerId, exec_id: execId }).then((r) => r.process);
  }
  listTasks(filter = ''): Promise<Process[]> {
    return this.task<{ tasks: Process[] }>('List', { filter }).then((r) => r.tasks);
  }
  kill(containerId: string, signal: number, opts: { execId?: string; all?: boolean } = {}): Promise<void> {
    return this.task('Kill', { container_id: containerId, exec_id: opts.execId ?? '', signal, all: opts.all ?? false });
  }
  /** Resolves when the process exits; timeoutMs bounds the wait (default 60 s). */
  wait(containerId: string, execId = '', timeoutMs = 60_000): Promise<{ exit_status: number; exited_at: Timestamp | null }> {
    return this.task('Wait', { container_id: containerId, exec_id: execId }, timeoutMs);
  }
  deleteTask(containerId: string): Promise<{ id: string; pid: number; exit_status: number; exited_at: Timestamp | null }> {
    return this.task('Delete', { container_id: containerId });
  }
  closeIO(containerId: string, execId = ''): Promise<void> {
    return this.task('CloseIO', { container_id: containerId, exec_id: execId, stdin: true });
  }
  listPids(containerId: string): Promise<number[]> {
    return this.task<{ processes: { pid: number }[] }>('ListPids', { container_id: containerId })
      .then((r) => r.processes.map((p) => p.pid));
  }
  /** resources: an OCI LinuxResources object, sent as JSON in an Any. */
  update(containerId: string, resources: unknown, annotations: Record<string, string> = {}): Promise<void> {
    return this.task('Update', { container_id: containerId, resources: jsonAny(RESOURCES_TYPE_URL, resources), annotations });
  }

  // Containers
  getContainer(id: string): Promise<Container> {
    return this.container<{ container: Container }>('Get', { id }).then((r) => r.container);
  }
  createContainer(c: Container): Promise<Container> {
    return this.container<{ container: Container }>('Create', { container: c }).then((r) => r.container);
  }
  /** Replaces the fields named in fieldPaths (all when empty). */
  updateContainer(c: Container, fieldPaths: string[] = []): Promise<Container> {
    return this.container<{ container: Container }>('Update', { container: c, update_mask: { paths: fieldPaths } })
      .then((r) => r.container);
  }
  deleteContainer(id: string): Promise<void> {
    return this.container('Delete', { id });
  }

  /** The OCI spec of a container, decoded from its Any. */
  async getSpec(id: string): Promise<Record<string, any>> {
    const c = await this.getContainer(id);
    if (!c.spec) throw new Error(`container ${id} has no spec`);
    return JSON.parse(Buffer.from(c.spec.value).toString('utf8'));
  }

  /** Stores a new OCI spec for a container. */
  async setSpec(id: string, spec: unknown): Promise<void> {
    await this.updateContainer({ id, spec: jsonAny(SPEC_TYPE_URL, spec) }, ['spec']);
  }

  close(): void {
    this.containersClient.close();
    this.tasksClient.close();
  }
}
