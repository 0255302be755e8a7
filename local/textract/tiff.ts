/**
 * TIFF documents for the local Textract: the product's reader (lib/pages/tiff.ts, which the review
 * desk renders pages with), held to the service's image size limit.
 */
import { TiffDocument as ProductTiffDocument } from '../../lib/pages/tiff';
import { limits } from './documents';

export { readTiffInfo, TiffPageError, type TiffInfo, type TiffPage } from '../../lib/pages/tiff';

/** A TIFF whose pages may be at most `limits.imageSide` pixels on a side. */
export class TiffDocument extends ProductTiffDocument {
  constructor(bytes: Uint8Array) {
    super(bytes, limits.imageSide);
  }
}
