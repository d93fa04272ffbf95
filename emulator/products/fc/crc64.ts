/** CRC-64/XZ (ECMA-182, reflected), the checksum FC reports as codeChecksum (as OSS does). */
const POLY = 0xc96c5795d7870f42n;
const MASK = 0xffffffffffffffffn;

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let crc = BigInt(n);
  for (let k = 0; k < 8; k += 1) crc = crc & 1n ? (crc >> 1n) ^ POLY : crc >> 1n;
  return crc;
});

export function crc64(data: Buffer): string {
  let crc = MASK;
  for (const byte of data) crc = (TABLE[Number((crc ^ BigInt(byte)) & 0xffn)] ?? 0n) ^ (crc >> 8n);
  return ((crc ^ MASK) & MASK).toString(10);
}
