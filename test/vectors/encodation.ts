// Data codewords of the encodation stage (assembly/encodation/), one row per case: the input (one
// byte per char code; "\x1d" is the GS1 separator in GS1 mode), the data capacity it is planned
// for, and the codewords written before padding, as space-separated decimals.
//
// "hand-computed" rows derive every codeword from ISO/IEC 16022:2006 5.2 in the comment above
// them. Packing, as used there:
//   C40/Text/X12 triplet (v1 v2 v3) → 1600·v1 + 40·v2 + v3 + 1, written high byte, low byte;
//     values: space 3, digits 4..13, basic letters 14..39 (C40 capitals, Text small letters),
//     Shift 1/2/3 = 0/1/2, Shift 2 value 27 = FNC1, Shift 2 value 30 = upper shift, Text shift 3
//     capitals 1..26; X12 CR 0, * 1, > 2, space 3.
//   EDIFACT: four 6-bit values (ASCII & 63) → 3 codewords; unlatch value 31; zero bits fill.
//   Base 256: R = (V + ((149·P) mod 255) + 1) mod 256, P the 1-based position (Annex B.2).
// Where a row's rule ties with another encodation of the same length, the comment says so: the
// planner takes the ending whose rule the size allows before the plain unlatch.

/** One encodation case. */
export interface EncodationVector {
  /** The rule the row shows. */
  name: string;
  input: string;
  gs1: boolean;
  /** Data capacity of the symbol the input is planned for (a square size's). */
  capacity: number;
  /** Data codewords written, no pads. */
  codewords: string;
  /** True if no smaller square size holds the input. */
  smallest: boolean;
  source: string;
}

const HAND = "hand-computed, see comment";

/** Base 256 codeword value `value` randomised for 1-based position `position` (Annex B.2). */
function randomised(value: number, position: number): number {
  return (value + ((149 * position) % 255) + 1) % 256;
}

/**
 * The codewords of a Base 256 field starting at 1-based position `at` (the latch): latch 231,
 * then `length` (one or two values) and the bytes, all randomised by position (5.2.9, B.2).
 */
function base256Field(at: number, lengthField: number[], bytes: number[]): string {
  const field = [...lengthField, ...bytes].map((v, i) => randomised(v, at + 1 + i));
  return [231, ...field].join(" ");
}

export const ENCODATION_VECTORS: EncodationVector[] = [
  // "01" "23" "45" "67" "89" → 130 + pair.
  {
    name: "ASCII digit pairs",
    input: "0123456789",
    gs1: false,
    capacity: 5,
    codewords: "131 153 175 197 219",
    smallest: true,
    source: HAND,
  },
  // 'a' 97 → 98; 0xE9 → upper shift 235, then 233 - 127 = 106.
  {
    name: "ASCII upper shift for a byte above 127",
    input: "a\xe9",
    gs1: false,
    capacity: 3,
    codewords: "98 235 106",
    smallest: true,
    source: HAND,
  },
  // FNC1 232 first; "10" → 140; 'A' → 66; separator → FNC1 232; "21" → 151; 'B' → 67.
  {
    name: "GS1: FNC1 first and as the separator, in ASCII",
    input: "10A\x1d21B",
    gs1: true,
    capacity: 8,
    codewords: "232 140 66 232 151 67",
    smallest: true,
    source: HAND,
  },
  // 230; [A I M] = [14 22 26] → 23307 = 91·256 + 11, twice. Full: no unlatch (5.2.5.2 a).
  {
    name: "C40 filling the symbol exactly: no unlatch",
    input: "AIMAIM",
    gs1: false,
    capacity: 5,
    codewords: "230 91 11 91 11",
    smallest: true,
    source: HAND,
  },
  // 230, three [A I M] triplets (7 codewords), five left: unlatch 254.
  {
    name: "C40 with room after it: unlatch",
    input: "AIMAIMAIM",
    gs1: false,
    capacity: 12,
    codewords: "230 91 11 91 11 91 11 254",
    smallest: false,
    source: HAND,
  },
  // As above in 14x14: one codeword left after the last triplet is read as ASCII (5.2.5.2 d),
  // so the pad that follows needs no unlatch before it.
  {
    name: "C40 with one codeword left: no unlatch, the pad is read as ASCII",
    input: "AIMAIMAIM",
    gs1: false,
    capacity: 8,
    codewords: "230 91 11 91 11 91 11",
    smallest: true,
    source: HAND,
  },
  // 232 230, four [A I M] triplets (10 codewords), two left and [A I] pending:
  // [A I Shift 1] = [14 22 0] → 23281 = 90·256 + 241, no unlatch (5.2.5.2 b). Ties with
  // 'A' in ASCII, C40 for the rest and 'I' in ASCII after an implied unlatch (also 12).
  {
    name: "C40 with two values pending and two codewords left: Shift 1 pad",
    input: "AIMAIMAIMAIMAI",
    gs1: true,
    capacity: 12,
    codewords: "232 230 91 11 91 11 91 11 91 11 90 241",
    smallest: true,
    source: HAND,
  },
  // 230, three [A I M] triplets, one codeword left and 'A' to go: 'A' in ASCII (66) with the
  // unlatch implied (5.2.5.2 d). Ties with 'A' in ASCII first and C40 to the end.
  {
    name: "C40 with one data character and one codeword left: ASCII, implied unlatch",
    input: "AIMAIMAIMA",
    gs1: false,
    capacity: 8,
    codewords: "230 91 11 91 11 91 11 66",
    smallest: true,
    source: HAND,
  },
  // As above with a digit pair as the last ASCII codeword: "12" → 142.
  {
    name: "C40 implied unlatch before a last digit pair",
    input: "AIMAIMAIM12",
    gs1: false,
    capacity: 8,
    codewords: "230 91 11 91 11 91 11 142",
    smallest: true,
    source: HAND,
  },
  // 239; Text [a i m] = [14 22 26], the same values as C40's AIM.
  {
    name: "Text for small letters",
    input: "aimaim",
    gs1: false,
    capacity: 5,
    codewords: "239 91 11 91 11",
    smallest: true,
    source: HAND,
  },
  // 239; [a b c] = [14 15 16] → 23017 = 89·256 + 233; [Shift 3, D = 4, e = 18] → 3379 =
  // 13·256 + 51; [f g h] = [19 20 21] → 31222 = 121·256 + 246; one left: no unlatch.
  {
    name: "Text with a capital in shift set 3",
    input: "abcDefgh",
    gs1: false,
    capacity: 8,
    codewords: "239 89 233 13 51 121 246",
    smallest: true,
    source: HAND,
  },
  // 232 230; [A B C] → 89 233; [D E F] = [17 18 19] → 27940 = 109·256 + 36;
  // [G, Shift 2, 27] = [20 1 27] → 32068 = 125·256 + 68; [H I J] = [21 22 23] → 34504 =
  // 134·256 + 200; [K L M] = [24 25 26] → 39427 = 154·256 + 3. Full: no unlatch.
  {
    name: "C40 carrying the GS1 separator as Shift 2 + 27 (FNC1)",
    input: "ABCDEFG\x1dHIJKLM",
    gs1: true,
    capacity: 12,
    codewords: "232 230 89 233 109 36 125 68 134 200 154 3",
    smallest: true,
    source: HAND,
  },
  // 230; [ABC] 89 233; [DEF] 109 36; [G H I] = [20 21 22] → 32863 = 128·256 + 95;
  // [J K L] = [23 24 25] → 37786 = 147·256 + 154; 0xC1 = [Shift 2, 30, A] = [1 30 14] →
  // 2815 = 10·256 + 255; one left: no unlatch.
  {
    name: "C40 upper shift for a byte above 127",
    input: "ABCDEFGHIJKL\xc1",
    gs1: false,
    capacity: 12,
    codewords: "230 89 233 109 36 128 95 147 154 10 255",
    smallest: true,
    source: HAND,
  },
  // 238; X12 [A B C] → 89 233; [CR D E] = [0 17 18] → 699 = 2·256 + 187; [F CR G] =
  // [19 0 20] → 30421 = 118·256 + 213; [H I CR] = [21 22 0] → 34481 = 134·256 + 177; 254.
  {
    name: "X12 with CR, unlatch after it",
    input: "ABC\rDEF\rGHI\r",
    gs1: false,
    capacity: 12,
    codewords: "238 89 233 2 187 118 213 134 177 254",
    smallest: true,
    source: HAND,
  },
  // Two bytes more than a triplet: X12 has no shift to pad with, so they go in ASCII, here
  // before the run (66 67), which costs no unlatch: 238; [C CR D] = [16 0 17] → 25618 =
  // 100·256 + 18; [E F CR] → 29561 = 115·256 + 121; [G H I] → 32863 = 128·256 + 95;
  // [CR J K] = [0 23 24] → 945 = 3·256 + 177; one left: no unlatch.
  {
    name: "X12 bytes that make no triplet go in ASCII",
    input: "ABC\rDEF\rGHI\rJK",
    gs1: false,
    capacity: 12,
    codewords: "66 67 238 100 18 115 121 128 95 3 177",
    smallest: true,
    source: HAND,
  },
  // zint spends the 22nd codeword on an unlatch (254); here it stays a pad, read as ASCII.
  {
    name: "X12 for * and > in a GS1 lot",
    input: "010950600013435210ABC*DEF*GHI>JKL",
    gs1: true,
    capacity: 22,
    codewords: "232 131 139 180 190 130 143 173 182 140 238 89 233 8 251 118 253 134 179 147 154",
    smallest: true,
    source: "dmtxread -c on zint 2.11 -b 71 --gs1 --square output (its first 21 codewords)",
  },
  // 240; [A . B .] = 1, 46, 2, 46 → 450734 → 6 224 174; [C . D .] → 975150 → 14 225 46.
  // One codeword left at the group boundary: ASCII from there on, no unlatch (5.2.8.2).
  {
    name: "EDIFACT with one codeword left: no unlatch",
    input: "A.B.C.D.",
    gs1: false,
    capacity: 8,
    codewords: "240 6 224 174 14 225 46",
    smallest: true,
    source: HAND,
  },
  // As above plus [E . F .] → 1499566 → 22 225 174; two codewords left: 'a' in ASCII (98)
  // with no unlatch (5.2.8.2).
  {
    name: "EDIFACT with two codewords left: the rest in ASCII, no unlatch",
    input: "A.B.C.D.E.F.a",
    gs1: false,
    capacity: 12,
    codewords: "240 6 224 174 14 225 46 22 225 174 98",
    smallest: true,
    source: HAND,
  },
  // 240, two groups, then [E . F unlatch 31] → 1499551 → 22 225 159, then 'a' 98.
  {
    name: "EDIFACT group cut short by the unlatch value",
    input: "A.B.C.D.E.Fa",
    gs1: false,
    capacity: 12,
    codewords: "240 6 224 174 14 225 46 22 225 159 98",
    smallest: true,
    source: HAND,
  },
  // In 18x18 there is room for the unlatch: [E . F 31] → 22 225 159, then '.' 47 and 'a' 98
  // in ASCII (ties with the full group [E . F .] and the unlatch alone, 124).
  {
    name: "EDIFACT unlatch with room after it",
    input: "A.B.C.D.E.F.a",
    gs1: false,
    capacity: 18,
    codewords: "240 6 224 174 14 225 46 22 225 159 47 98",
    smallest: false,
    source: HAND,
  },
  // 231; length 4 at P2: 4 + 43 + 1 = 48; 0x80 at P3: 128 + 192 + 1 = 321 → 65;
  // 0x81 at P4: 129 + 86 + 1 = 216; 0x82 at P5: 130 + 235 + 1 = 366 → 110;
  // 0x83 at P6: 131 + 129 + 1 = 261 → 5.
  {
    name: "Base 256 with its length and 255-state randomisation",
    input: "\x80\x81\x82\x83",
    gs1: false,
    capacity: 8,
    codewords: "231 48 65 216 110 5",
    smallest: true,
    source: HAND,
  },
  // A..F in ASCII (66..71, P1..P6), 231 at P7, length 3 at P8: 3 + 172 + 1 = 176; 0xC1 at
  // P9: 193 + 66 + 1 = 260 → 4; 0xC2 at P10: 194 + 215 + 1 = 410 → 154; 0xC3 at P11:
  // 195 + 109 + 1 = 305 → 49. Ties with C40 (upper shifts) at 11.
  {
    name: "Base 256 after ASCII: randomised by position in the whole stream",
    input: "ABCDEF\xc1\xc2\xc3",
    gs1: false,
    capacity: 12,
    codewords: "66 67 68 69 70 71 231 176 4 154 49",
    smallest: true,
    source: HAND,
  },
  // 260 bytes need a two-codeword length: 260 / 250 + 249 = 250, 260 mod 250 = 10.
  {
    name: "Base 256 longer than 249 bytes: two length codewords",
    input: "\xa5".repeat(260),
    gs1: false,
    capacity: 280,
    codewords: base256Field(1, [250, 10], Array(260).fill(0xa5)),
    smallest: true,
    source: HAND,
  },
  // 278 bytes fill 64x64 (280) only with length 0, "to the end of the symbol" (5.2.9).
  {
    name: "Base 256 filling the symbol: length 0",
    input: "\xa5".repeat(278),
    gs1: false,
    capacity: 280,
    codewords: base256Field(1, [0], Array(278).fill(0xa5)),
    smallest: true,
    source: HAND,
  },
  // The anchors' example: 20x20, where zint 2.11 makes 22x22. ASCII up to the pair "10" (140),
  // C40 for TRAPUPKYH ([T R A] = [33 31 14] → 54055 = 211·256 + 39 ...), and the last H in
  // ASCII (73) with the unlatch implied: one codeword was left.
  {
    name: "GS1 [01]01111543726513[17]291217[10]TRAPUPKYHH in 20x20",
    input: "01011115437265131729121710TRAPUPKYHH",
    gs1: true,
    capacity: 22,
    codewords:
      "232 131 131 141 145 173 202 195 143 147 159 142 147 140 230 211 39 186 174 156 6 73",
    smallest: true,
    source: "dmtxwrite -G 29 -e b -c (libdmtx 0.7.x optimising mode) prints the same codewords",
  },
  {
    name: "GS1 ASCII with an FNC1 separator between lot and serial",
    input: "010001234567890510LOT-A001\x1d21SN-0001",
    gs1: true,
    capacity: 30,
    codewords:
      "232 131 130 131 153 175 197 219 135 140 77 80 85 46 66 130 50 232 151 84 79 46 130 131",
    smallest: true,
    source: "dmtxread -c on zint 2.11 -b 71 --gs1 --square output",
  },
  {
    name: "GS1 digits only: pairs",
    input: "0109506000134352172706301012345678901234567890",
    gs1: true,
    capacity: 30,
    codewords:
      "232 131 139 180 190 130 143 173 182 147 157 136 160 140 142 164 186 208 220 142 164 186 208 220",
    smallest: true,
    source: "dmtxread -c on zint 2.11 -b 71 --gs1 --square output",
  },
];
