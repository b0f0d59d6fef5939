import { describe, expect, it } from 'vitest';

import type { PhoneChange } from '../generated/PhoneChange';
import type { PhoneSession } from '../generated/PhoneSession';
import { loadLanguage } from '../lib/i18n.svelte';
import { applyPhoneChange, describePhoneChange, fitPhone, isMine } from './phoneView';

const card = (id: string, name: string) => ({ id, name, shortLabel: '', colour: '#336699', directlyAffected: false });

function view(): PhoneSession {
  return {
    revision: 10,
    title: 'Housing',
    question: 'Who decides?',
    organizations: [card('o1', 'City Council'), card('o2', 'Tenants Union')],
    grids: [],
    places: [['g1', 'o1', 0.5, 0.5]],
    people: [
      { id: 'p1', name: 'Amina' },
      { id: 'p2', name: 'Tom' },
    ],
    participantId: 'p2',
    organizationId: null,
    decisionBand: 0.8,
  };
}

describe('a phone applies the room’s changes', () => {
  it('fits changes by revision: the next one, one seen, one after a gap', () => {
    expect(fitPhone({ revision: 10 }, { revision: 11 })).toBe('apply');
    expect(fitPhone({ revision: 10 }, { revision: 10 })).toBe('seen');
    expect(fitPhone({ revision: 10 }, { revision: 13 })).toBe('missed');
  });

  it('moves, places and trays cards from a compact move, leaving the old view as it was', () => {
    const before = view();
    const moved = applyPhoneChange(before, { revision: 11, by: 'p1', moves: [['g1', 'o1', 0.1, 0.9], ['g1', 'o2', 0.3, 0.3]] });
    expect(moved.places).toEqual([
      ['g1', 'o1', 0.1, 0.9],
      ['g1', 'o2', 0.3, 0.3],
    ]);
    expect(before.places).toEqual([['g1', 'o1', 0.5, 0.5]]);
    const trayed = applyPhoneChange(moved, { revision: 12, trays: [['g1', 'o1']] });
    expect(trayed.places).toEqual([['g1', 'o2', 0.3, 0.3]]);
    expect(trayed.revision).toBe(12);
  });

  it('replaces and adds rows by id, and takes out what is gone with its places', () => {
    const next = applyPhoneChange(view(), {
      revision: 11,
      organizations: [card('o2', 'Tenants Union (East)'), card('o3', 'Newcomers')],
      gone: ['o1'],
      session: { title: 'Housing, again', question: 'Who decides now?' },
    });
    expect(next.organizations.map((o) => o.name)).toEqual(['Tenants Union (East)', 'Newcomers']);
    expect(next.places).toEqual([]);
    expect(next.title).toBe('Housing, again');
  });

  it('knows its own changes by participant id, not by name', async () => {
    await loadLanguage('en');
    const before = view();
    const mine: PhoneChange = { revision: 11, by: 'p2', moves: [['g1', 'o1', 0.2, 0.2]] };
    expect(isMine(before, mine)).toBe(true);
    expect(describePhoneChange(before, applyPhoneChange(before, mine), mine, 'en')).toBeNull();
    // Someone else with the same name is still someone else.
    const namesake = { ...before, people: [...before.people, { id: 'p3', name: 'Tom' }] };
    const theirs: PhoneChange = { revision: 11, by: 'p3', moves: [['g1', 'o1', 0.2, 0.2]] };
    expect(isMine(namesake, theirs)).toBe(false);
    expect(describePhoneChange(namesake, applyPhoneChange(namesake, theirs), theirs, 'en')).toBe('Tom — Move “City Council”');
  });

  it('names moves from its own cards, and other changes by their label', async () => {
    await loadLanguage('en');
    const before = view();
    const placing: PhoneChange = { revision: 11, who: { kind: 'facilitator' }, moves: [['g1', 'o2', 0.4, 0.4]] };
    expect(describePhoneChange(before, applyPhoneChange(before, placing), placing, 'en')).toBe(
      'Facilitator — Place “Tenants Union”',
    );
    const undone: PhoneChange = { revision: 11, action: 'undo', by: 'p1', trays: [['g1', 'o1']] };
    expect(describePhoneChange(before, applyPhoneChange(before, undone), undone, 'en')).toBe(
      'Amina — Undo: Send “City Council” to the tray',
    );
    const added: PhoneChange = {
      revision: 11,
      who: { kind: 'facilitator' },
      label: { key: 'add-organization', name: 'Newcomers' },
      organizations: [card('o3', 'Newcomers')],
    };
    expect(describePhoneChange(before, applyPhoneChange(before, added), added, 'en')).toBe('Facilitator — Add “Newcomers”');
    // A change to what phones do not draw says nothing.
    const quiet: PhoneChange = { revision: 11 };
    expect(describePhoneChange(before, applyPhoneChange(before, quiet), quiet, 'en')).toBeNull();
  });
});
