import sharp from 'sharp';
import { requireFontFamilies } from './installed-fonts.js';

/** A page of known text rendered for the held-out set: never one of the shared fixtures. */
export interface HeldOutPage {
  name: string;
  /** Grey PNG at 300 dpi. */
  bytes: Buffer;
  truth: string;
}

// Text written for this set alone (no fixture shares it): prose, figures and key-value lines.
const texts = [
  `Minutes of the facilities committee, third quarter. The committee met on 14 October in the north
meeting room with seven members present. The heating contract was renewed for two years at a cost of
18,450 per year, which is 6 percent above the previous term. Members asked that the supplier report
monthly on energy use and that any fault be answered within four working hours. Roof repairs over the
west stairwell are planned for late November, weather permitting. Parking permits for visitors will move
to the reception desk from 1 December. The next meeting is set for 9 January at 10:30.`,
  `Delivery note 55-2081
Ship to: Harbour Lane Workshop, Unit 7, Dockside Road
Order date: 02/11/2026   Carrier: Northline Freight
Item 1: steel brackets, galvanised, 40 pieces
Item 2: hex bolts M10 x 60, 250 pieces
Item 3: timber battens 38 x 63 mm, 24 lengths
Received in good condition. Signature and date below.
Questions about this delivery: call 0161 555 0147 quoting the note number.`,
  `Quiet water moves slowly past the old mill, where the wheel has not turned for eighty years. Local
volunteers cleared the channel last spring and found coins, a brass key and the iron hinge of a gate
that no longer exists. The museum now shows these finds in a small glass case near the entrance, with
a map of the river as it ran in 1890. Visitors often ask why the mill stopped; the answer is simple:
the town built a dam upstream, and the current was never strong enough again.`,
];

// Font, size (pt) and wrap width (characters) per page: serif, sans and mono at body sizes.
const styles = [
  { family: 'Liberation Serif', points: 11, columns: 88 },
  { family: 'DejaVu Sans Mono', points: 10, columns: 72 },
  { family: 'Nimbus Sans', points: 9, columns: 100 },
] as const;

const dpi = 300;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  for (const paragraphLine of text.split('\n')) {
    let line = '';
    for (const word of paragraphLine.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > columns) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
  }
  return lines;
}

/**
 * Three pages (2480 px wide, A4 at 300 dpi, as tall as their text) in three fonts and sizes,
 * rendered from SVG: ground truth is the text itself. Built once, before any held-out result.
 */
export async function heldOutPages(): Promise<HeldOutPage[]> {
  const width = 2480;
  const margin = 200;
  const pages: HeldOutPage[] = [];
  await requireFontFamilies(styles.map((style) => style.family));
  for (const [index, text] of texts.entries()) {
    const style = styles[index % styles.length];
    if (!style) continue;
    const size = (style.points * dpi) / 72;
    const leading = size * 1.45;
    const lines = wrap(text, style.columns);
    const height = Math.round(2 * margin + lines.length * leading);
    const tspans = lines
      .map(
        (line, i) =>
          `<text x="${margin}" y="${(margin + (i + 0.8) * leading).toFixed(1)}">${escape(line)}</text>`,
      )
      .join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#fff"/>
<g font-family="${style.family}" font-size="${size.toFixed(1)}" fill="#111">${tspans}</g></svg>`;
    const bytes = await sharp(Buffer.from(svg))
      .flatten({ background: '#ffffff' })
      .toColourspace('b-w')
      .withMetadata({ density: dpi })
      .png()
      .toBuffer();
    pages.push({ name: `${style.family} ${style.points} pt`, bytes, truth: lines.join('\n') });
  }
  return pages;
}
