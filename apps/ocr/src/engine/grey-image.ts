/** An upright page as 8-bit single-channel pixels, row by row: what the recognizer reads. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly data: Buffer;
}
