import { enrichOnce } from './handle-command';

describe('enrichOnce (facts from other streams gathered once per command, not once per attempt)', () => {
  it('given the same basis on a retry, when asked again, then the facts are not gathered again', async () => {
    const gather = jest.fn(async (state: { school: string }) => `facts of ${state.school}`);
    const facts = enrichOnce((state: { school: string }) => state.school, gather);
    expect(await facts({ school: '100001' })).toBe('facts of 100001');
    expect(await facts({ school: '100001' })).toBe('facts of 100001');
    expect(gather).toHaveBeenCalledTimes(1);
  });

  it('given a retry whose state moved (a concurrent transfer), when asked, then the facts are gathered again for the new basis', async () => {
    const gather = jest.fn(async (state: { school: string }) => `facts of ${state.school}`);
    const facts = enrichOnce((state: { school: string }) => state.school, gather);
    await facts({ school: '100001' });
    expect(await facts({ school: '100002' })).toBe('facts of 100002');
    expect(gather).toHaveBeenCalledTimes(2);
  });

  it('given gathering failed (out of scope), when asked again with the same basis, then it fails the same way without reading again', async () => {
    const gather = jest.fn(async () => {
      throw new Error('PARTICIPANT_NOT_FOUND');
    });
    const facts = enrichOnce(() => 'same', gather);
    await expect(facts({})).rejects.toThrow('PARTICIPANT_NOT_FOUND');
    await expect(facts({})).rejects.toThrow('PARTICIPANT_NOT_FOUND');
    expect(gather).toHaveBeenCalledTimes(1);
  });
});
