import { ChildProcessWithoutNullStreams, execFileSync, spawn, SpawnOptionsWithoutStdio } from 'node:child_process';

/**
 * Hosts of their own on this machine: each a Linux network namespace with one interface (a veth pair)
 * on a bridge, and its own address. A process started in a host sees only that interface: it reaches
 * the others over the bridge as it would across a network, and nothing on 127.0.0.1 but itself.
 * The test process stays in the root namespace and reaches every host through the bridge's address.
 *
 * Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) and `ip`. Every name starts with `ecfh<pid>` (the
 * test process's pid), so `removeLeftovers` can remove what earlier runs left behind when their
 * process died before cleaning up, without touching a concurrent run's hosts.
 */
const NAME_PREFIX = 'ecfh';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const quietly = (action: () => unknown): void => {
  try {
    action();
  } catch {
    // Already gone.
  }
};

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** SIGKILLs every process inside a namespace (its own children included), then deletes it. */
function removeNamespace(name: string): void {
  quietly(() => {
    for (const pid of ip('netns', 'pids', name).split('\n').filter(Boolean)) quietly(() => process.kill(Number(pid), 'SIGKILL'));
  });
  quietly(() => ip('netns', 'del', name));
}

/** Why namespaces cannot be made here, or null when they can (tried for real: add, then delete). */
export function namespacesUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root (CAP_NET_ADMIN, CAP_SYS_ADMIN)';
  const probe = `${NAME_PREFIX}${process.pid}probe`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return null;
  } catch (error) {
    return `\`ip netns add\` failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`;
  }
}

/** Namespaces, veths and bridges left by runs whose process is gone (killed before its afterAll). */
export function removeLeftovers(): void {
  const owner = (name: string): number | null => {
    const match = new RegExp(`^${NAME_PREFIX}(\\d+)`).exec(name);
    return match ? Number(match[1]) : null;
  };
  const stale = (name: string) => {
    const pid = owner(name);
    return pid !== null && pid !== process.pid && !processAlive(pid);
  };
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0];
    if (name && stale(name)) removeNamespace(name);
  }
  for (const line of ip('-o', 'link', 'show').split('\n')) {
    const name = /^\d+: ([^:@]+)/.exec(line)?.[1];
    if (name && stale(name)) quietly(() => ip('link', 'del', name));
  }
}

export interface Host {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
}

/** A private network of hosts on one bridge, 10.213.N.0/24 (N from the pid, so concurrent runs do not collide). */
export class HostNetwork {
  private readonly hosts: Host[] = [];
  private readonly prefix = `${NAME_PREFIX}${process.pid}`;
  private readonly subnet = `10.213.${process.pid % 250}`;
  readonly bridge = `${this.prefix}br`;
  /** The test process's own address on the bridge. */
  readonly gateway = `${this.subnet}.1`;
  private created = false;

  create(): void {
    this.created = true;
    ip('link', 'add', this.bridge, 'type', 'bridge');
    ip('addr', 'add', `${this.gateway}/24`, 'dev', this.bridge);
    ip('link', 'set', this.bridge, 'up');
  }

  /** A new host: its namespace, a veth pair (eth0 inside, on the bridge outside) and the next address. */
  addHost(name: string): Host {
    if (!/^[a-z][a-z0-9]{0,2}$/.test(name)) throw new RangeError('host names here are a lower-case letter and up to 2 more letters or digits (interface names are limited to 15 characters)');
    const host = { name, namespace: `${this.prefix}-${name}`, address: `${this.subnet}.${this.hosts.length + 2}` };
    this.hosts.push(host);
    const outside = `${this.prefix}${name}`;
    ip('netns', 'add', host.namespace);
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.namespace);
    ip('link', 'set', outside, 'master', this.bridge, 'up');
    ip('-n', host.namespace, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
    ip('-n', host.namespace, 'link', 'set', 'eth0', 'up');
    ip('-n', host.namespace, 'link', 'set', 'lo', 'up');
    return host;
  }

  /** A process inside the host (`ip netns exec` execs it: the child's pid is the program's own). */
  spawn(host: Host, command: string, args: readonly string[], options: SpawnOptionsWithoutStdio = {}): ChildProcessWithoutNullStreams {
    return spawn('ip', ['netns', 'exec', host.namespace, command, ...args], options);
  }

  /** Kills every process in every host, deletes the hosts, their veths and the bridge. Safe to call twice, and after a failed create. */
  destroy(): void {
    for (const host of this.hosts.splice(0)) {
      removeNamespace(host.namespace);
      // Deleting the namespace deletes the veth pair only once the kernel lets the namespace go, which
      // lingers (its sockets' last packets); deleting this end removes the pair now.
      quietly(() => ip('link', 'del', `${this.prefix}${host.name}`));
    }
    if (this.created) quietly(() => ip('link', 'del', this.bridge));
    this.created = false;
  }
}
