import { describe, expect, it } from 'vitest';

import { mergeEdit } from './edits';

describe('mergeEdit', () => {
  const base = { name: 'Tenants Union', notes: 'Meets Tuesdays', colour: '#2a9d8f', labels: ['a', 'b'] };

  it('keeps a change someone else made to a field the person did not touch', () => {
    const mine = { ...base, name: 'Riverside Tenants Union' };
    const current = { ...base, notes: 'Meets Thursdays now' };
    expect(mergeEdit(base, mine, current)).toEqual({ ...base, name: 'Riverside Tenants Union', notes: 'Meets Thursdays now' });
  });

  it("saves the person's value where both changed the same field", () => {
    const mine = { ...base, notes: 'Mine' };
    const current = { ...base, notes: 'Theirs' };
    expect(mergeEdit(base, mine, current).notes).toBe('Mine');
  });

  it('compares lists and objects by value', () => {
    const mine = { ...base, labels: ['a', 'b'] };
    const current = { ...base, labels: ['a', 'c'] };
    expect(mergeEdit(base, mine, current).labels).toEqual(['a', 'c']);
  });

  it('sends only the form\u2019s own fields', () => {
    const current = { ...base, id: 'org-1', seq: 4 };
    expect(Object.keys(mergeEdit(base, { ...base }, current)).sort()).toEqual(Object.keys(base).sort());
  });
});
