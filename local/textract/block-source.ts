/**
 * A job's result blocks, read by position. Real results are arrays; synthetic results generate each
 * block from its index, so a 1.5-million-block job costs no memory until a page of it is read.
 */
import type { Block } from '@aws-sdk/client-textract';

export interface BlockSource {
  readonly count: number;
  /** Blocks [start, end) in result order. */
  slice(start: number, end: number): Block[];
}

/** Blocks held in memory. */
export class ArrayBlocks implements BlockSource {
  constructor(private readonly blocks: readonly Block[]) {}

  get count(): number {
    return this.blocks.length;
  }

  slice(start: number, end: number): Block[] {
    return this.blocks.slice(start, end);
  }
}
