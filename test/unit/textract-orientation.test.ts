import type { Block } from '@aws-sdk/client-textract';
import { geometry } from '@docket/local/textract/blocks';
import {
  fromUpright,
  orientBlocks,
  rotateGrey,
  toUpright,
  uprightBox,
  type QuarterTurns,
} from '@docket/local/textract/orientation';
import type { GreyImage } from '@docket/local/textract/selection';

const turns: QuarterTurns[] = [0, 1, 2, 3];

test('turning an image clockwise moves its left column to the top row; four turns give it back', () => {
  // 3 wide, 2 tall:  1 2 3 / 4 5 6
  const image: GreyImage = { pixels: Uint8Array.from([1, 2, 3, 4, 5, 6]), width: 3, height: 2 };
  const once = rotateGrey(image, 1);
  expect([once.width, once.height]).toEqual([2, 3]);
  expect([...once.pixels]).toEqual([4, 1, 5, 2, 6, 3]);
  expect([...rotateGrey(image, 2).pixels]).toEqual([6, 5, 4, 3, 2, 1]);
  expect([...rotateGrey(image, 3).pixels]).toEqual([3, 6, 2, 5, 1, 4]);
  let back = image;
  for (let i = 0; i < 4; i++) back = rotateGrey(back, 1);
  expect(back).toEqual(image);
});

test('a point taken upright and back lands where it started, for every turn', () => {
  for (const t of turns) {
    const p = fromUpright(toUpright({ X: 0.2, Y: 0.7 }, t), t);
    expect(p.X).toBeCloseTo(0.2);
    expect(p.Y).toBeCloseTo(0.7);
  }
  // The image's top-left pixel, turned clockwise once, is at its top-right.
  expect(toUpright({ X: 0, Y: 0 }, 1)).toEqual({ X: 1, Y: 0 });
});

test('a box on a sideways page becomes the box it covers upright', () => {
  const box = uprightBox({ left: 0.1, top: 0.2, width: 0.3, height: 0.05 }, 1);
  expect(box.left).toBeCloseTo(0.75);
  expect(box.top).toBeCloseTo(0.1);
  expect(box.width).toBeCloseTo(0.05);
  expect(box.height).toBeCloseTo(0.3);
});

test('blocks read upright are turned back: the polygon still starts at the text top-left', () => {
  // A word near the upright top-left of a page that was stored turned 90 degrees anticlockwise
  // (it needed one clockwise turn): on the stored page it runs bottom to top, near the bottom-left.
  const word: Block = {
    BlockType: 'WORD',
    Geometry: geometry({ left: 0.1, top: 0.1, width: 0.2, height: 0.05 }),
  };
  const page: Block = { BlockType: 'PAGE', Geometry: geometry({ left: 0, top: 0, width: 1, height: 1 }) };
  orientBlocks([page, word], 1);
  expect(page.Geometry?.Polygon?.[0]).toEqual({ X: 0, Y: 0 });
  const box = word.Geometry?.BoundingBox;
  expect(box?.Left).toBeCloseTo(0.1);
  expect(box?.Top).toBeCloseTo(0.7);
  expect(box?.Width).toBeCloseTo(0.05);
  expect(box?.Height).toBeCloseTo(0.2);
  // The text's top-left is the stored box's bottom-left corner; its top-right, the box's top-left.
  const [tl, tr] = word.Geometry?.Polygon ?? [];
  expect(tl?.X).toBeCloseTo(0.1);
  expect(tl?.Y).toBeCloseTo(0.9);
  expect(tr?.X).toBeCloseTo(0.1);
  expect(tr?.Y).toBeCloseTo(0.7);
});
