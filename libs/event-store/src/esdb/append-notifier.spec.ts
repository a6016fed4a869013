import { AppendNotifier } from './append-notifier';
import { InMemoryEsdbClient } from './testing/in-memory-esdb-client';

describe('AppendNotifier (on a model of the client)', () => {
  let server: InMemoryEsdbClient;
  let notifier: AppendNotifier;
  /** Subscription data arrives on a later tick, as it does from the network. */
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    server = new InMemoryEsdbClient();
    notifier = new AppendNotifier(server.asClient());
  });

  afterEach(async () => {
    await notifier.close();
    jest.useRealTimers();
  });

  it('subscribes only once someone listens, and then only once', () => {
    expect(server.subscriptions).toHaveLength(0);

    notifier.add(() => undefined);
    notifier.add(() => undefined);

    expect(server.subscriptions).toHaveLength(1);
  });

  it('wakes every listener for each of our events, not for system events, and stops after unsubscribe', async () => {
    const woken: string[] = [];
    const unsubscribeA = notifier.add(() => woken.push('a'));
    notifier.add(() => woken.push('b'));

    server.write('participant-1', 'ECTRegistered');
    server.write('$$participant-1', '$metadata');
    await settle();
    unsubscribeA();
    server.write('participant-1', 'ECTPaused');
    await settle();

    expect(woken).toEqual(['a', 'b', 'b']);
  });

  it('a listener that throws does not keep the others from waking', async () => {
    const woken: string[] = [];
    notifier.add(() => {
      throw new Error('listener bug');
    });
    notifier.add(() => woken.push('b'));

    server.write('participant-1', 'ECTRegistered');
    await settle();

    expect(woken).toEqual(['b']);
  });

  it('when the server drops the subscription, wakes listeners once and subscribes again after a pause', async () => {
    jest.useFakeTimers();
    let woken = 0;
    notifier.add(() => woken++);

    server.subscriptions[0].destroy(new Error('leader changed'));
    await jest.advanceTimersByTimeAsync(0);
    expect(woken).toBe(1);
    expect(server.subscriptions).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(1000);
    expect(server.subscriptions).toHaveLength(2);
    server.write('participant-1', 'ECTRegistered');
    await jest.advanceTimersByTimeAsync(0);
    expect(woken).toBe(2);
  });

  it('close ends the subscription, forgets listeners and does not subscribe again', async () => {
    let woken = 0;
    notifier.add(() => woken++);

    await notifier.close();
    notifier.add(() => woken++);
    server.write('participant-1', 'ECTRegistered');
    await settle();

    expect(server.subscriptions[0].writableEnded).toBe(true);
    expect(server.subscriptions).toHaveLength(1);
    expect(woken).toBe(0);
  });
});
