import { describe, expect, it } from 'vitest';

import type { Organization } from '../generated/Organization';
import type { SessionChange } from '../generated/SessionChange';
import type { SessionData } from '../generated/SessionData';
import { applyChange, fit } from './sessionChanges';

const organization = (id: string, name: string): Organization => ({
  id,
  identity: id,
  name,
  shortLabel: '',
  sector: 'community-group',
  directlyAffected: false,
  contact: '',
  notes: '',
  colour: '#336699',
});

function session(): SessionData {
  return {
    session: {
      id: 's',
      title: 'Workshop',
      question: '',
      date: null,
      place: '',
      facilitator: '',
      notes: '',
      followsUp: null,
      campaign: 's',
      createdAt: 1,
      updatedAt: 1,
    },
    organizations: [organization('a', 'Alpha'), organization('b', 'Beta'), organization('c', 'Gamma')],
    grids: [],
    placements: [{ gridId: 'g', organizationId: 'b', x: 0.5, y: 0.5, movedBy: '', movedAt: 1 }],
    commitments: [],
    participants: [{ id: 'p', name: 'Amina', organizationId: 'b' }],
    reviews: [],
    relationships: [],
    rounds: [],
    lastTime: null,
    history: { undo: null, redo: null },
    revision: 7,
    order: { a: 1, b: 2, c: 3, p: 1 },
  };
}

function change(revision: number, parts: Partial<SessionChange>): SessionChange {
  return {
    sessionId: 's',
    revision,
    action: 'do',
    label: { key: 'edit-session' },
    actor: { kind: 'facilitator' },
    author: { kind: 'facilitator' },
    at: 2,
    written: [],
    removed: [],
    history: { undo: { label: { key: 'edit-session' }, actor: { kind: 'facilitator' }, at: 2 }, redo: null },
    ...parts,
  };
}

describe('fit', () => {
  it('applies the next revision, skips one already applied, and sees a gap as a missed change', () => {
    const data = session();
    expect(fit(data, change(8, {}))).toBe('apply');
    expect(fit(data, change(7, {}))).toBe('seen');
    expect(fit(data, change(3, {}))).toBe('seen');
    expect(fit(data, change(9, {}))).toBe('missed');
  });
});

describe('applyChange', () => {
  it('files what the backend removed and rewrote: no rule of its cascades is repeated here', () => {
    // What the backend sends when Beta is removed: its placement goes with it, and the
    // participant who spoke for it stays, for nobody (the bug this replaces left Amina
    // pointing at Beta, and the people dialog showed "Amina · ").
    let data = session();
    data = applyChange(
      data,
      change(8, {
        label: { key: 'remove-organization', name: 'Beta' },
        removed: [
          { table: 'placement', gridId: 'g', organizationId: 'b' },
          { table: 'organization', id: 'b' },
        ],
        written: [{ table: 'participant', row: { id: 'p', name: 'Amina', organizationId: null }, seq: 1 }],
      }),
    );
    expect(data.organizations.map((o) => o.id)).toEqual(['a', 'c']);
    expect(data.placements).toEqual([]);
    expect(data.participants).toEqual([{ id: 'p', name: 'Amina', organizationId: null }]);
    expect(data.revision).toBe(8);
    expect(data.history.undo?.label).toEqual({ key: 'edit-session' });
  });

  it('puts a row brought back by undo at its old place in the list', () => {
    let data = session();
    data = applyChange(data, change(8, { removed: [{ table: 'organization', id: 'b' }] }));
    data = applyChange(data, change(9, { written: [{ table: 'organization', row: organization('b', 'Beta'), seq: 2 }] }));
    expect(data.organizations.map((o) => o.id)).toEqual(['a', 'b', 'c']);
    data = applyChange(data, change(10, { written: [{ table: 'organization', row: organization('d', 'Delta'), seq: 4 }] }));
    expect(data.organizations.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('leaves the rows it was given as they were: only the lists it touched are new, and only the rows it rewrote', () => {
    const before = session();
    const organizations = [...before.organizations];
    const after = applyChange(
      before,
      change(8, {
        written: [
          { table: 'organization', row: organization('b', 'Beta Union'), seq: 2 },
          { table: 'placement', row: { gridId: 'g', organizationId: 'a', x: 0.2, y: 0.3, movedBy: '', movedAt: 2 } },
        ],
      }),
    );
    expect(before.organizations).toEqual(organizations);
    expect(before.revision).toBe(7);
    expect(after.organizations).not.toBe(before.organizations);
    expect(after.organizations[0]).toBe(before.organizations[0]);
    expect(after.organizations[1].name).toBe('Beta Union');
    expect(after.participants).toBe(before.participants);
    expect(after.commitments).toBe(before.commitments);
    expect(after.placements).toHaveLength(before.placements.length + 1);
  });

  it('replaces a placement in place and adds a new one', () => {
    let data = session();
    data = applyChange(
      data,
      change(8, {
        written: [
          { table: 'placement', row: { gridId: 'g', organizationId: 'b', x: 0.9, y: 0.1, movedBy: 'Amina', movedAt: 2 } },
          { table: 'placement', row: { gridId: 'g', organizationId: 'a', x: 0.2, y: 0.3, movedBy: '', movedAt: 2 } },
        ],
      }),
    );
    expect(data.placements.map((p) => [p.organizationId, p.x, p.y])).toEqual([
      ['b', 0.9, 0.1],
      ['a', 0.2, 0.3],
    ]);
  });
});

describe('rounds', () => {
  it('a round started, then revealed, then gone with its grid: the view follows each change', () => {
    let data = session();
    const round = {
      id: 'r',
      gridId: 'g',
      organizationIds: ['a', 'b'],
      startedAt: 2,
      revealedAt: null,
      closedAt: null,
      namesShown: false,
    };
    data = applyChange(data, change(8, { label: { key: 'start-round', grid: 'G' }, written: [{ table: 'round', row: round }] }));
    expect(data.rounds).toEqual([round]);
    data = applyChange(
      data,
      change(9, { label: { key: 'reveal-round', grid: 'G' }, written: [{ table: 'round', row: { ...round, revealedAt: 3 } }] }),
    );
    expect(data.rounds.map((r) => r.revealedAt)).toEqual([3]);
    data = applyChange(data, change(10, { removed: [{ table: 'round', id: 'r' }] }));
    expect(data.rounds).toEqual([]);
  });
});
