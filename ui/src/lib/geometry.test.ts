import { describe, expect, it } from 'vitest';

import { contains, fanOffsets, nudge, toGridPoint, toScreenPoint } from './geometry';

const rect = { left: 100, top: 50, width: 800, height: 400 };

describe('toGridPoint', () => {
  it('measures x from the left edge and y from the bottom edge', () => {
    expect(toGridPoint(rect, 100, 450)).toEqual({ x: 0, y: 0 });
    expect(toGridPoint(rect, 900, 50)).toEqual({ x: 1, y: 1 });
    expect(toGridPoint(rect, 300, 350)).toEqual({ x: 0.25, y: 0.25 });
  });

  it('puts a point outside the grid on its nearest edge', () => {
    expect(toGridPoint(rect, 20, 250)).toEqual({ x: 0, y: 0.5 });
    expect(toGridPoint(rect, 1200, 900)).toEqual({ x: 1, y: 0 });
  });

  it('is the inverse of toScreenPoint inside the grid', () => {
    const point = { x: 0.3, y: 0.8 };
    const screen = toScreenPoint(rect, point);
    const back = toGridPoint(rect, screen.clientX, screen.clientY);
    expect(back.x).toBeCloseTo(0.3, 10);
    expect(back.y).toBeCloseTo(0.8, 10);
  });
});

describe('contains and nudge', () => {
  it('knows inside from outside', () => {
    expect(contains(rect, 500, 200)).toBe(true);
    expect(contains(rect, 99, 200)).toBe(false);
  });

  it('keeps nudged points on the grid', () => {
    expect(nudge({ x: 0.99, y: 0.01 }, 0.05, -0.05)).toEqual({ x: 1, y: 0 });
  });
});

describe('fanOffsets', () => {
  it('fans out cards at the same spot so none hides another', () => {
    const same = { x: 0.5, y: 0.5 };
    expect(fanOffsets([same, same, same], 1000, 1000)).toEqual([0, 16, 32]);
  });

  it('leaves cards apart where they are', () => {
    expect(fanOffsets([{ x: 0.1, y: 0.1 }, { x: 0.9, y: 0.9 }], 1000, 1000)).toEqual([0, 0]);
  });

  it('shifts nothing before the grid has a size', () => {
    const same = { x: 0.5, y: 0.5 };
    expect(fanOffsets([same, same], 0, 0)).toEqual([0, 0]);
  });

  it('stays fast for hundreds of cards', () => {
    const points = Array.from({ length: 600 }, (_, i) => ({ x: (i % 30) / 30, y: Math.floor(i / 30) / 20 }));
    const offsets = fanOffsets(points, 1200, 800);
    expect(offsets.every((o) => o === 0)).toBe(true);
  });
});
